/**
 * Writing a recovery key to a file, for the wizard's "save to file" and the
 * headless --new-recovery-key-file: mode 0600, one line, never over an
 * existing file (a key overwritten is a key lost), and on disk for good —
 * file and folder synced — before the caller goes on to activate the key.
 */
import { constants, existsSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileCalls, fileProblem, PlaceFileError, placeFile, readAtMost } from './privateFile.js';

export { fileProblem };

/** "~/x" and relative paths, as a person types them, made absolute. */
export function expandHome(path: string, home: string = homedir()): string {
  const trimmed = path.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/')) return resolve(home, trimmed.slice(2));
  return isAbsolute(trimmed) ? trimmed : resolve(trimmed);
}

/** "~/key.txt" → "~/key-2.txt" (then -3, …): the first name not taken. */
export function nextFreeName(path: string, home: string = homedir()): string {
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  const [stem, ext] = dot > slash + 1 ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  const base = stem.replace(/-\d+$/, '');
  for (let n = 2; n < 1000; n++) {
    const candidate = `${base}-${n}${ext}`;
    if (!existsSync(expandHome(candidate, home))) return candidate;
  }
  return `${base}-${Date.now()}${ext}`;
}

export type KeyFileResult = { ok: true; path: string } | { ok: false; path: string; exists: boolean; reason: string };

/**
 * Writes the key alone on one line, mode 0600, durably (privateFile.ts's placeFile): fails, leaving
 * nothing at the path, when the file exists or anything on the way does not work.
 */
export async function writeKeyFile(path: string, key: string, home: string = homedir()): Promise<KeyFileResult> {
  const full = expandHome(path, home);
  let folder;
  try {
    // The user's own folder: opened to be synced, never created or changed.
    folder = await fileCalls.open(dirname(full), constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    return { ok: false, path: full, exists: false, reason: fileProblem(error, true) };
  }
  try {
    await placeFile(folder, full, `${key}\n`, 'create');
    return { ok: true, path: full };
  } catch (error) {
    if (!(error instanceof PlaceFileError)) throw error;
    return { ok: false, path: full, exists: error.stage === 'exists', reason: error.reason };
  } finally {
    await folder.close();
  }
}

/** What a path that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a device (a terminal, say)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a folder';
  return 'not a regular file';
}

export type SmallFile = { ok: true; bytes: Buffer } | { ok: false; reason: string; tooLarge?: boolean; notAFile?: boolean };

/**
 * Reads a small file the user named (a recovery key, a QR payload). Only a regular file: the open
 * never blocks (O_NONBLOCK: a FIFO nobody writes to, /dev/tty), and anything else is refused,
 * so --timeout and Ctrl-C always work. At most `maxBytes` are read; more is refused, never buffered.
 */
export async function readSmallFile(path: string, maxBytes: number): Promise<SmallFile> {
  let handle;
  try {
    handle = await fileCalls.open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, reason: fileProblem(error) };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, notAFile: true, reason: `it is ${kindOf(stats)}, not a regular file` };
    const bytes = await readAtMost(handle, maxBytes);
    return bytes ? { ok: true, bytes } : { ok: false, tooLarge: true, reason: 'it is too large' };
  } catch (error) {
    return { ok: false, reason: fileProblem(error) };
  } finally {
    await handle.close();
  }
}
