/**
 * Pre-flight for runs without the wizard: every problem the command line, the
 * files it names and the environment reveal, found before the first request
 * (and so before a code is mailed or anything changes on the server). Bad
 * values are usage errors (exit 2), unusable files errors (exit 1), an answer
 * nobody will be able to give exits 3. README's "Checked before anything is
 * sent" lists these.
 */
import { CliError, ExitCode } from '../exitCodes.js';
import type { RunContext } from '../runtime.js';
import { codeProblem, emailProblem, usernameProblem } from '../shared/validation.js';
import { newKeyFileProblem, readValidKey, recoveryKeySource } from './keys.js';
import type { LineSource } from '../lines.js';
import { HeadlessError } from './output.js';
import { checkScannedQrFile } from './scannedQr.js';

export interface PreflightIO {
  lines: LineSource;
  /** A person can read a new recovery key here and type part of it back (plain mode in a terminal). */
  canShowNewKey: boolean;
}

const usage = (message: string, hint?: string) => new CliError(message, ExitCode.Usage, hint);

export async function preflight(ctx: RunContext, io: PreflightIO): Promise<void> {
  const { options } = ctx;
  const env = ctx.io.env;

  // Values given on the command line that cannot be right, whatever the server says.
  const email = options.email !== undefined ? emailProblem(options.email) : undefined;
  if (email) throw usage(`--email: ${email}`);
  const username = options.username !== undefined ? usernameProblem(options.username) : undefined;
  if (username) throw usage(`--username: ${username}`);
  if (options.code !== undefined) {
    const code = codeProblem(options.code);
    if (code) throw usage(`--code: ${code}`);
    checkCodeContinuesASignIn(ctx);
  }

  // Files and variables that hold answers: readable and well-formed before anything is sent.
  const keySource = recoveryKeySource(options, env);
  if (keySource && keySource.kind !== 'stdin') await readValidKey(keySource, env);
  if (options.newRecoveryKeyFile !== undefined) {
    const problem = await newKeyFileProblem(options.newRecoveryKeyFile, env);
    if (problem) throw problem;
  }

  // verify --qr-file: read once the verification is accepted, but a path that could never be read is refused now.
  if (options.command === 'verify' && options.qrFile) {
    if (options.qrFile === '-' && !io.lines.canAsk()) {
      throw new HeadlessError(
        'input-needed',
        "--qr-file - reads the payload of the other device's QR code from stdin once the verification is accepted, and stdin has nothing to read.",
        ExitCode.InputNeeded,
        'Write the payload to stdin once the prompt for "qr-payload" comes, or give --qr-file PATH.',
      );
    }
    await checkScannedQrFile(options.qrFile);
  }

  // Answers that will be needed and that nobody will be able to give.
  if (options.verify === 'reset' && options.newRecoveryKeyFile === undefined && !io.canShowNewKey) {
    throw (await newKeyFileProblem(undefined, env))!;
  }
  if (!io.lines.canAsk()) {
    if (options.verify === 'device' || options.qr) {
      throw new HeadlessError(
        'input-needed',
        `${options.qr ? '--qr' : '--verify device'} needs a yes or no on stdin once the other device has ${options.qr ? 'scanned the code' : 'shown its emojis'}, and stdin has nothing to read.`,
        ExitCode.InputNeeded,
        'Run it where stdin can answer (a terminal, or a pipe you write to), or verify with --recovery-key-file PATH.',
      );
    }
    if (options.verify === 'recovery-key' && !keySource) {
      throw new HeadlessError(
        'input-needed',
        '--verify recovery-key needs the key, and there is none to read: stdin is empty.',
        ExitCode.InputNeeded,
        'Pass --recovery-key-file PATH or set BEEPER_RECOVERY_KEY.',
      );
    }
  }
}

/** --code finishes a sign-in an earlier run left waiting for its code; without one it would meet a fresh code. */
function checkCodeContinuesASignIn(ctx: RunContext): void {
  const { options } = ctx;
  if (!options.saveToken) {
    throw usage('--code continues a sign-in an earlier run saved, and --no-save-token neither saves nor reads one.', 'Leave out --code: the code is asked for on stdin once it is mailed.');
  }
  const pending = ctx.pendingSignIn;
  if (pending?.registration) {
    throw usage(`--code is not needed: the sign-in waiting for ${pending.email} is past its code and continues at the username.`, 'Leave out --code.');
  }
  if (!pending) {
    throw usage(
      `--code continues a sign-in that an earlier run left waiting for its code, and none is waiting for ${ctx.tokenKey}.`,
      'Run without --code: beeper-setup mails a code and asks for it on stdin (or exits 3, and then a rerun with --code continues).',
    );
  }
  if (options.email !== undefined && options.email.trim().toLowerCase() !== pending.email.toLowerCase()) {
    throw usage(`--code belongs to the sign-in waiting for ${pending.email}, not to --email ${options.email.trim()}.`, `Give --email ${pending.email}, or leave out --code to sign in as ${options.email.trim()}.`);
  }
}
