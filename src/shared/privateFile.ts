/**
 * Files only their owner may read, in a folder only its owner may enter: the
 * folder is made 0700 and the file 0600 (and a wider mode found is narrowed and
 * reported), a symbolic link is never followed, and a write lands whole and
 * durable or not at all: a temp file with a random name, created exclusively,
 * synced, moved into place (renamed over the old file, or linked to a name that
 * must be free), and the folder synced.
 */
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** Why a file could not be used, in a few words ("permission denied"). */
export function fileProblem(error: unknown, writing = false): string {
  const code = (error as NodeJS.ErrnoException).code;
  // Creating a file fails with ENOENT only when its folder is missing.
  if (code === 'ENOENT') return writing ? 'its folder does not exist' : 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EEXIST') return 'it exists already';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'your disk quota is used up';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'EIO') return 'an input/output error';
  return error instanceof Error ? error.message : String(error);
}

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
export async function readAtMost(handle: FileHandle, limit: number): Promise<Buffer | undefined> {
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
 * The file-system calls the writers make, in one object so that a test can inject a fault (a full
 * disk, an I/O error at sync or close) or watch their order; the program never changes them.
 */
export const fileCalls = { open, link, rename, unlink, lstat };

/** Errors that say "this file system cannot do that", not "it failed": link(2) on FAT, fsync of a folder on some mounts. */
const UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EINVAL', 'EXDEV']);

/** Where `placeFile` stopped, for the message: nothing is at the path after any of these. */
export type PlaceFailure = 'exists' | 'temp' | 'write' | 'move' | 'sync-folder';

export class PlaceFileError extends Error {
  /** The temporary file, when creating it failed. */
  readonly temp: string | undefined;

  constructor(
    readonly path: string,
    readonly stage: PlaceFailure,
    readonly reason: string,
    options?: { cause?: unknown; temp?: string },
  ) {
    super(`${path}: ${reason}`, options);
    this.temp = options?.temp;
    this.name = 'PlaceFileError';
  }
}

/**
 * Puts `text` at `file`, whole and durable, mode 0600: a temp file beside it (random name, O_EXCL),
 * written and fsynced, then moved to `file` and the folder fsynced, so that after a crash the file
 * is there complete or not at all. `replace` renames over what is there; `create` never touches an
 * existing file: link(2) gives the temp file its final name only if the name is free (EEXIST
 * otherwise), which no rename in Node can promise; where there are no hard links (FAT), an empty
 * file claims the name first and the temp file is renamed over it. On any failure the temp file is removed, and with
 * `create` nothing is left at `file`. `folder` is the open folder; `randomName` exists for tests.
 */
export async function placeFile(
  folder: FileHandle,
  file: string,
  text: string,
  how: 'replace' | 'create',
  randomName: () => string | Promise<string> = randomHex,
): Promise<void> {
  const temp = `${file}.${await randomName()}.tmp`;
  let handle: FileHandle;
  try {
    // O_EXCL: whatever already is at the temp name (a planted link, say) makes this fail and stays untouched.
    handle = await fileCalls.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  } catch (error) {
    throw new PlaceFileError(file, 'temp', fileProblem(error, true), { cause: error, temp });
  }
  let placed = false;
  try {
    try {
      // The umask can only have taken bits away; now it is exactly 0600. FAT has no modes to set.
      await handle.chmod(0o600).catch((error: unknown) => {
        if (!UNSUPPORTED.has(errno(error) ?? '')) throw error;
      });
      await writeAll(handle, Buffer.from(text, 'utf8'));
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      throw new PlaceFileError(file, 'write', fileProblem(error, true), { cause: error });
    }
    try {
      // A close can report a write that failed late (NFS, EIO): only a clean close counts as written.
      await handle.close();
    } catch (error) {
      throw new PlaceFileError(file, 'write', fileProblem(error, true), { cause: error });
    }
    try {
      if (how === 'replace') await fileCalls.rename(temp, file);
      else {
        try {
          await fileCalls.link(temp, file);
        } catch (error) {
          if (!UNSUPPORTED.has(errno(error) ?? '')) throw error;
          // No hard links here (FAT, exFAT, some network mounts): the name is claimed with an empty
          // file made only if it is free, and the written file renamed over that claim.
          await (await fileCalls.open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)).close();
          placed = true;
          await fileCalls.rename(temp, file);
        }
      }
      placed = true;
    } catch (error) {
      if (errno(error) === 'EEXIST') throw new PlaceFileError(file, 'exists', 'it exists already', { cause: error });
      throw new PlaceFileError(file, 'move', fileProblem(error, true), { cause: error });
    }
    if (how === 'create') await fileCalls.unlink(temp).catch(() => {});
    try {
      // The new name survives a crash only once its folder is synced.
      await folder.sync();
    } catch (error) {
      if (!UNSUPPORTED.has(errno(error) ?? '')) throw new PlaceFileError(file, 'sync-folder', `could not sync its folder: ${fileProblem(error, true)}`, { cause: error });
    }
  } catch (error) {
    await fileCalls.unlink(temp).catch(() => {});
    // A file we created and could not make durable is taken back: with `create`, nothing stays at the path.
    if (placed && how === 'create') await fileCalls.unlink(file).catch(() => {});
    throw error;
  }
}

/** Writes every byte, however many calls it takes (a short write on a nearly full disk is not an error yet). */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    if (bytesWritten === 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

/**
 * Replaces the file with `text`, mode 0600, durably (see placeFile). A symbolic link at `file` is
 * replaced itself, never written through. `randomName` exists for tests.
 */
export async function writePrivateFile(file: string, text: string, report: Report = () => {}, randomName: () => string | Promise<string> = randomHex): Promise<void> {
  const folder = (await openFolder(dirname(file), true, report))!;
  try {
    await placeFile(folder, file, text, 'replace', randomName);
  } catch (error) {
    if (error instanceof PlaceFileError && error.stage === 'temp') {
      throw new PrivateFileError(file, `Could not create the temporary file ${error.temp} to save ${file}: ${error.reason}.`, { cause: error });
    }
    throw new PrivateFileError(file, `Could not save ${file}: ${error instanceof PlaceFileError ? error.reason : fileProblem(error, true)}.`, { cause: error });
  } finally {
    await folder.close();
  }
}

/** Makes the folder (0700) if it is missing and checks it as every private file's folder is checked. */
export async function ensurePrivateFolder(dir: string, report: Report = () => {}): Promise<void> {
  await (await openFolder(dir, true, report))!.close();
}

/**
 * Moves `file` aside to `file.SUFFIX` (then `file.SUFFIX-2`, …), never over another file, and
 * returns the new name. For a file beeper-setup cannot read but must not destroy.
 */
export async function moveAside(file: string, suffix: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const aside = `${file}.${suffix}${n > 1 ? `-${n}` : ''}`;
    try {
      await fileCalls.link(file, aside);
    } catch (error) {
      if (errno(error) === 'EEXIST') continue;
      // No hard links here: a rename checked just before is the best this file system allows.
      if (!UNSUPPORTED.has(errno(error) ?? '')) throw error;
      if (await fileCalls.lstat(aside).then(() => true, () => false)) continue;
      await fileCalls.rename(file, aside);
      return aside;
    }
    await fileCalls.unlink(file);
    return aside;
  }
  throw new PrivateFileError(file, `Could not move ${file} aside: too many earlier copies beside it.`);
}
