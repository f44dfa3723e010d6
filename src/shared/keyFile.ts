/**
 * Writing a recovery key to a file, for the wizard's "save to file" and the
 * headless --new-recovery-key-file: mode 0600, one line, and never over an
 * existing file — a key overwritten is a key lost.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

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

/** Why a file could not be used, in a few words ("permission denied"). */
export function fileProblem(error: unknown, writing = false): string {
  const code = (error as NodeJS.ErrnoException).code;
  // Creating a file fails with ENOENT only when its folder is missing.
  if (code === 'ENOENT') return writing ? 'its folder does not exist' : 'there is no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EEXIST') return 'it exists already';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}

export type KeyFileResult = { ok: true; path: string } | { ok: false; path: string; exists: boolean; reason: string };

/** Writes the key alone on one line, mode 0600; fails (never overwrites) when the file exists. */
export async function writeKeyFile(path: string, key: string, home: string = homedir()): Promise<KeyFileResult> {
  const full = expandHome(path, home);
  try {
    await writeFile(full, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { ok: true, path: full };
  } catch (error) {
    return { ok: false, path: full, exists: (error as NodeJS.ErrnoException).code === 'EEXIST', reason: fileProblem(error, true) };
  }
}
