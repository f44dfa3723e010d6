/**
 * Where a new recovery key can go besides the screen: the clipboard (OSC 52,
 * written to the terminal) and a private file that is never overwritten and
 * is synced to disk, with its folder, before the key can be confirmed.
 * Plain Node code; the shell hands it to NewRecoveryKeyStep as a prop.
 */
import { homedir } from 'node:os';
import { nextFreeName, writeKeyFile } from '../src/shared/keyFile.js';
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

/** Saves the key through the shared writer and words the outcome for the screen. */
export async function saveKeyFile(path: string, key: string, home: string = homedir()): Promise<SaveResult> {
  const result = await writeKeyFile(path, key, home);
  if (result.ok) return result;
  if (result.exists) {
    return { ...result, message: `${result.path} already exists, and beeper-setup never overwrites a file.`, suggestion: nextFreeName(path, home) };
  }
  // The key is only activated after it is kept: a failed save loses nothing, and leaves nothing at the path.
  return { ...result, message: `Could not write ${result.path}: ${result.reason}. Nothing was left there, and the new key is not active yet.` };
}

/** The real thing: OSC 52 through `write` (the terminal), files under the home folder. */
export function createKeyStorage(write: (data: string) => void, home: string = homedir()): KeyStorage {
  return {
    defaultPath: DEFAULT_KEY_FILE,
    copy: (text) => write(osc52(text)),
    save: (path, text) => saveKeyFile(path, text, home),
  };
}
