/**
 * Where a new recovery key can go besides the screen: the clipboard (OSC 52,
 * written to the terminal) and a private file that is never overwritten.
 * Plain Node code; the shell hands it to NewRecoveryKeyStep as a prop.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { osc52 } from './terminalCodes.js';

export type SaveResult =
  | { ok: true; path: string }
  | { ok: false; path: string; exists: boolean; message: string; suggestion?: string };

export interface KeyStorage {
  /** Shown in the file name field. */
  defaultPath: string;
  /** Sends the text to the terminal's clipboard; whether it arrived cannot be known. */
  copy(text: string): void;
  save(path: string, text: string): Promise<SaveResult>;
}

export const DEFAULT_KEY_FILE = '~/beeper-recovery-key.txt';

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

/** Writes the key alone on one line, mode 0600, failing (never overwriting) when the file exists. */
export async function saveKeyFile(path: string, key: string, home: string = homedir()): Promise<SaveResult> {
  const full = expandHome(path, home);
  try {
    await writeFile(full, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { ok: true, path: full };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      return { ok: false, path: full, exists: true, message: `${full} already exists, and beeper-setup never overwrites a file.`, suggestion: nextFreeName(path, home) };
    }
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'unknown error');
    return { ok: false, path: full, exists: false, message: `Could not write ${full}: ${reason}.` };
  }
}

/** The real thing: OSC 52 through `write` (the terminal), files under the home folder. */
export function createKeyStorage(write: (data: string) => void, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): KeyStorage {
  return {
    defaultPath: DEFAULT_KEY_FILE,
    copy: (text) => write(osc52(text, env)),
    save: (path, text) => saveKeyFile(path, text, home),
  };
}
