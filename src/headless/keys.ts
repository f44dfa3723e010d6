/**
 * Recovery keys without a terminal: where an existing key comes from (file,
 * stdin, BEEPER_RECOVERY_KEY), and the file a new key goes to (mode 0600,
 * created, never overwritten: the only place a new key lands headless).
 */
import { constants } from 'node:fs';
import { access, lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CliOptions } from '../args.js';
import { CliError, ExitCode } from '../exitCodes.js';
import { expandHome, fileProblem, readSmallFile, writeKeyFile } from '../shared/keyFile.js';
import { lookUpKeyFile, recordKeyFile } from '../tokenStore.js';
import { existingKeyFile } from '../wording/newKey.js';
import { HeadlessError } from './output.js';
import { checkRecoveryKey, describeRecoveryKeyProblem, stripWhitespace } from '../shared/recoveryKey.js';
import { Secret } from '../shared/secret.js';

export type KeySource = { kind: 'file'; path: string } | { kind: 'env' } | { kind: 'stdin' };

/** The flag wins over the variable; --recovery-key-file and --recovery-key-stdin exclude each other (args.ts). */
export function recoveryKeySource(options: CliOptions, env: NodeJS.ProcessEnv): KeySource | undefined {
  if (options.recoveryKeyFile) return { kind: 'file', path: options.recoveryKeyFile };
  if (options.recoveryKeyStdin) return { kind: 'stdin' };
  if (env.BEEPER_RECOVERY_KEY?.trim()) return { kind: 'env' };
  return undefined;
}

const MAX_KEY_FILE_BYTES = 4096;

export function describeKeySource(source: KeySource): string {
  if (source.kind === 'file') return `the file ${source.path}`;
  if (source.kind === 'env') return 'BEEPER_RECOVERY_KEY';
  return 'stdin';
}

/** Reads a key from a file or the environment; spaces and line breaks are ignored. */
export async function readKey(source: KeySource & { kind: 'file' | 'env' }, env: NodeJS.ProcessEnv): Promise<Secret> {
  if (source.kind === 'env') return new Secret(stripWhitespace(env.BEEPER_RECOVERY_KEY ?? ''));
  // A key is 59 characters; read a little more than a sane file could hold, never a whole /dev/zero.
  const file = await readSmallFile(source.path, MAX_KEY_FILE_BYTES);
  if (!file.ok) {
    if (file.tooLarge) throw new CliError(`${source.path} is too large to be a recovery key file (a key is 48 characters).`, ExitCode.Error);
    throw new CliError(
      `Could not read the recovery key file ${source.path}: ${file.reason}.`,
      ExitCode.Error,
      file.notAFile ? 'beeper-setup reads a key only from a regular file, so that nothing can hang it. To pass the key through a pipe, use --recovery-key-stdin.' : undefined,
    );
  }
  return new Secret(stripWhitespace(file.bytes.toString('utf8')));
}

/** A key from a file or the environment that must be a valid key: one that is not is refused, saying why, and never sent. */
export async function readValidKey(source: KeySource & { kind: 'file' | 'env' }, env: NodeJS.ProcessEnv): Promise<Secret> {
  const key = await readKey(source, env);
  const check = checkRecoveryKey(key.reveal());
  if (!check.ok) throw new HeadlessError('invalid-recovery-key', `The recovery key in ${describeKeySource(source)} is not valid: ${describeRecoveryKeyProblem(check.reason)}`, ExitCode.Error);
  return key;
}

/**
 * Why a new key cannot be written to `path`, checked before the server is
 * asked for one (a key the server made but we could not save would be lost).
 */
export async function newKeyFileProblem(path: string | undefined, env: NodeJS.ProcessEnv): Promise<CliError | undefined> {
  if (!path) {
    return new CliError(
      'A new recovery key would be created, and without a terminal it can only be written to a file.',
      ExitCode.InputNeeded,
      'Pass --new-recovery-key-file PATH (created with mode 0600; an existing file is never overwritten).',
    );
  }
  // Checked where the key will be written (a "~/" the shell left alone included), named as given.
  const full = expandHome(path);
  try {
    await lstat(full);
    // Perhaps a key an earlier run wrote: say what it holds, and whether it may be the account's.
    const record = await lookUpKeyFile(full, env).catch(() => undefined);
    const text = existingKeyFile(path, record, '--new-recovery-key-file');
    return new CliError(text.message, ExitCode.Error, text.fix);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return new CliError(`Cannot use ${path} for the new recovery key: ${fileProblem(error)}.`, ExitCode.Error);
    }
  }
  try {
    await access(dirname(full), constants.W_OK);
  } catch (error) {
    return new CliError(`Cannot create ${path} for the new recovery key: ${fileProblem(error, true)}.`, ExitCode.Error, 'Choose a path in a folder you can write to.');
  }
  return undefined;
}

/**
 * Creates the file with the key (mode 0600, never over an existing file, synced with its folder)
 * and records it as not yet active, before the key is sent to be activated: a rerun that finds the
 * file says what it holds. Returns its full path.
 */
export async function writeNewKey(path: string, key: Secret, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await writeKeyFile(path, key.reveal());
  if (result.ok) {
    await recordKeyFile(result.path, 'written', undefined, env).catch(() => {});
    return result.path;
  }
  throw new CliError(
    `Could not write the new recovery key to ${path}: ${result.reason}. It was not activated, and nothing was left at that path; your old key (if any) still works.`,
    ExitCode.Error,
  );
}
