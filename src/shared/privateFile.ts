/**
 * Files only their owner may read, in a folder only its owner may enter: the
 * folder is made 0700 and the file 0600 (and a wider mode found is narrowed and
 * reported), a symbolic link is never followed, and a write lands whole or not
 * at all: a temp file with a random name, created exclusively, synced, renamed.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileProblem } from './keyFile.js';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;
/** Windows has neither the mode bits nor owners that these checks speak of. */
const POSIX = process.platform !== 'win32';

/** Far above any file beeper-setup writes; a bigger one is not ours. */
const MAX_BYTES = 1024 * 1024;

/** Why a private file could not be used, in words a person can act on. */
export class PrivateFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PrivateFileError';
  }
}

/** Told each thing done on the way that the caller did not ask for ("made … private (was 0644)"). */
export type Report = (note: string) => void;

const errno = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code;
const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

function symlinkError(path: string, what: string): PrivateFileError {
  return new PrivateFileError(path, `${what} ${path} is a symbolic link; beeper-setup never follows one. Remove the link and run again.`);
}

/** Checks that the opened file or folder is the kind expected and the user's own, and sets its mode to exactly `mode`. */
async function makePrivate(handle: FileHandle, path: string, kind: 'file' | 'folder', mode: number, report: Report): Promise<void> {
  const stats = await handle.stat();
  const what = kind === 'folder' ? 'The folder' : 'The file';
  if (kind === 'folder' ? !stats.isDirectory() : !stats.isFile()) {
    throw new PrivateFileError(path, `${path} is not a ${kind === 'folder' ? 'folder' : 'regular file'}. Move it away and run again.`);
  }
  if (!POSIX) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new PrivateFileError(path, `${what} ${path} belongs to another user (uid ${stats.uid}), so it is not private to you. Remove it, or set XDG_CONFIG_HOME to a folder of your own.`);
  }
  const was = stats.mode & 0o7777;
  if (was !== mode) {
    try {
      await handle.chmod(mode);
    } catch (error) {
      throw new PrivateFileError(path, `Could not set ${path} to mode ${octal(mode)} (it is ${octal(was)}): ${fileProblem(error)}. Run chmod ${octal(mode).slice(1)} ${path}.`, { cause: error });
    }
    // A narrower mode (a strict umask) is set right silently; a wider one was a leak, and is said.
    if (was & 0o077) report(`made ${kind === 'folder' ? `the folder ${path}` : path} private (was ${octal(was)})`);
  }
}

/** Opens (with `create`, first makes) the folder without following a link, and makes it private. Undefined: it does not exist. */
async function openFolder(dir: string, create: boolean, report: Report): Promise<FileHandle | undefined> {
  if (create) {
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      // Something other than a folder is in the way; opening it below says what.
      if (errno(error) !== 'EEXIST') throw new PrivateFileError(dir, `Could not create the folder ${dir}: ${fileProblem(error, true)}.`, { cause: error });
    }
  }
  let folder: FileHandle;
  try {
    folder = await open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    if (errno(error) === 'ENOENT' && !create) return undefined;
    if (errno(error) === 'ELOOP' || errno(error) === 'ENOTDIR') {
      // Linux answers ENOTDIR, not ELOOP, for a link opened with O_DIRECTORY | O_NOFOLLOW.
      if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) throw symlinkError(dir, 'The folder');
      throw new PrivateFileError(dir, `${dir} is not a folder. Move it away and run again.`, { cause: error });
    }
    throw new PrivateFileError(dir, `Could not open the folder ${dir}: ${fileProblem(error)}.`, { cause: error });
  }
  try {
    await makePrivate(folder, dir, 'folder', 0o700, report);
    return folder;
  } catch (error) {
    await folder.close();
    throw error;
  }
}

/** Reads up to `limit` bytes; undefined when the file holds more. */
async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
    if (length > limit) return undefined;
  }
}

/** The file's text; undefined when it (or its folder) does not exist. */
export async function readPrivateFile(file: string, report: Report = () => {}): Promise<string | undefined> {
  const folder = await openFolder(dirname(file), false, report);
  if (!folder) return undefined;
  await folder.close();
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO left there must not hang the open; it is refused as "not a regular file".
    handle = await open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    if (errno(error) === 'ELOOP') throw symlinkError(file, 'The file');
    throw new PrivateFileError(file, `Could not read ${file}: ${fileProblem(error)}.`, { cause: error });
  }
  try {
    await makePrivate(handle, file, 'file', 0o600, report);
    const bytes = await readAtMost(handle, MAX_BYTES);
    if (!bytes) throw new PrivateFileError(file, `${file} is larger than 1 MB, which no file of beeper-setup is. Move it away and run again.`);
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

// node:crypto loads only when a file is written (status and reads never pay for it).
const randomHex = async () => (await import('node:crypto')).randomBytes(8).toString('hex');

/**
 * Replaces the file with `text`, mode 0600. A symbolic link at `file` is
 * replaced itself, never written through. `randomName` exists for tests.
 */
export async function writePrivateFile(file: string, text: string, report: Report = () => {}, randomName: () => string | Promise<string> = randomHex): Promise<void> {
  const folder = (await openFolder(dirname(file), true, report))!;
  try {
    const temp = `${file}.${await randomName()}.tmp`;
    let handle: FileHandle;
    try {
      // O_EXCL: whatever already is at the temp name (a planted link, say) makes this fail and stays untouched.
      handle = await open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    } catch (error) {
      throw new PrivateFileError(file, `Could not create the temporary file ${temp} to save ${file}: ${fileProblem(error, true)}.`, { cause: error });
    }
    try {
      try {
        await handle.chmod(0o600); // the umask can only have taken bits away; now it is exactly 0600
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw new PrivateFileError(file, `Could not save ${file}: ${fileProblem(error, true)}.`, { cause: error });
    }
    // Syncing the folder makes the rename itself survive a crash; not every system allows it.
    await folder.sync().catch(() => {});
  } finally {
    await folder.close();
  }
}
