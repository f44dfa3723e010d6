/**
 * Where a new recovery key can go besides the screen: the clipboard (OSC 52,
 * written to the terminal) and a private file that is never overwritten and
 * is synced to disk, with its folder, before the key can be confirmed.
 * Plain Node code; the shell hands it to NewRecoveryKeyStep as a prop.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nextFreeName, readSmallFile, writeKeyFile } from '../src/shared/keyFile.js';
import { sameRecoveryKey } from '../src/shared/recoveryKey.js';
import { lookUpKeyFile, recordKeyFile } from '../src/tokenStore.js';
import { existingKeyFile } from '../src/wording/newKey.js';
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

/** The environment whose config folder records key files: this process's, or the one under another home. */
const configUnder = (home: string): NodeJS.ProcessEnv => (home === homedir() ? process.env : { XDG_CONFIG_HOME: join(home, '.config') });

/** Saves the key through the shared writer and words the outcome for the screen. */
export async function saveKeyFile(path: string, key: string, home: string = homedir(), env: NodeJS.ProcessEnv = configUnder(home)): Promise<SaveResult> {
  const result = await writeKeyFile(path, key, home);
  if (result.ok) {
    // Noted before the key can be confirmed: a later run that finds the file says what it holds.
    await recordKeyFile(result.path, 'written', undefined, env).catch(() => {});
    return result;
  }
  if (result.exists) {
    // Saved there already, in this run: the file holds this very key.
    const there = await readSmallFile(result.path, 4096);
    if (there.ok && sameRecoveryKey(there.bytes.toString('utf8'), key)) return { ok: true, path: result.path };
    const record = await lookUpKeyFile(result.path, env).catch(() => undefined);
    const message = record ? existingKeyFile(result.path, record, '').message : `${result.path} already exists, and beeper-setup never overwrites a file.`;
    return { ...result, message, suggestion: nextFreeName(path, home) };
  }
  // The key is only activated after it is kept: a failed save loses nothing, and leaves nothing at the path.
  return { ...result, message: `Could not write ${result.path}: ${result.reason}. Nothing was left there, and the new key is not active yet.` };
}

/**
 * The real thing: OSC 52 through `write` (the terminal), files under the home folder, recorded in
 * the run's config folder (`env`: the run's environment, as the token store reads it).
 */
export function createKeyStorage(write: (data: string) => void, env?: NodeJS.ProcessEnv, home: string = homedir()): KeyStorage {
  return {
    defaultPath: DEFAULT_KEY_FILE,
    copy: (text) => write(osc52(text)),
    save: (path, text) => saveKeyFile(path, text, home, env ?? configUnder(home)),
  };
}
