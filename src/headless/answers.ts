/**
 * The answer to each step that needs one, headless: from a flag, a file or
 * the environment (sent once; a rejection ends the run with the server's
 * words), or one line of stdin (asked again when wrong, within bounds).
 * Where nobody can answer, a CliError with exit code 3 names what supplies it.
 */
import type { SetupEvent } from '../../machines/setupMachine.js';
import { PRIVACY_URL, TERMS_URL } from '../api/types.js';
import { ExitCode } from '../exitCodes.js';
import { checkRecoveryKey, describeRecoveryKeyProblem, stripWhitespace } from '../shared/recoveryKey.js';
import { parseSasDecimals, parseSasEmojis } from '../shared/sas.js';
import { Secret } from '../shared/secret.js';
import type { Driver } from './driver.js';
import { describeKeySource, newKeyFileProblem, readKey, recoveryKeySource, writeNewKey } from './keys.js';
import { HeadlessError } from './output.js';
import type { AskStep, SetupSnapshot } from './steps.js';

/** Wrong recovery keys typed on stdin before giving up. */
export const MAX_KEY_ATTEMPTS = 3;
/** Times a verification method is picked before giving up (a verification that keeps ending unfinished). */
const MAX_METHOD_CHOICES = 3;

/** Steps the machine returns to, with a problem, when our answer was refused. */
const REPLY_STEPS = new Set<AskStep>(['email', 'code', 'username', 'terms', 'recovery-key']);

const needs = (message: string, hint: string) => () => new HeadlessError('input-needed', message, ExitCode.InputNeeded, hint);

export async function answer(d: Driver, step: AskStep, snapshot: SetupSnapshot): Promise<SetupEvent | undefined> {
  const { context } = snapshot;
  const { options, memory } = d;
  // A refused username comes back after the terms were accepted: it answers the username.
  const last = step === 'username' && memory.last?.step === 'terms' ? { step, fromStdin: memory.usernameFromStdin } : memory.last;
  /** The server's (or the machine's) reply to our last answer on this step. */
  const problem = last?.step === step && REPLY_STEPS.has(step) ? context.problem : undefined;
  const sent = (event: SetupEvent, fromStdin: boolean): SetupEvent => {
    memory.last = { step, fromStdin };
    if (step === 'username') memory.usernameFromStdin = fromStdin;
    return event;
  };
  const once = (key: string, value: string | undefined) => (value !== undefined && !memory.used.has(key) ? (memory.used.add(key), value) : undefined);
  // The server ended the sign-in (too many wrong codes, or it expired) and a new code was mailed.
  const restarted =
    step === 'code' && (context.problem?.kind === 'sign-in-expired' || context.notice === 'sign-in-restarted') && memory.restartedFor !== context.setupRequestID;
  if (restarted) {
    // Once, and only when a person is typing: a code from a flag cannot be for the new request.
    if (memory.restartedFor !== undefined || !last?.fromStdin || !d.io.lines.canAsk()) {
      throw d.fail(context.problem ?? { kind: 'sign-in-expired', message: 'The sign-in expired.' }, 'The sign-in was stopped: ');
    }
    memory.restartedFor = context.setupRequestID;
    d.out.say(`${context.problem?.message ?? 'The sign-in expired.'} A new code was emailed to ${context.email}.`);
  } else if (problem) {
    // Only a refused answer is worth asking again; a dropped connection or a server failure is not the answer's fault.
    const answerWasRefused = problem.kind === 'rejected' || problem.kind === 'unauthorized';
    if (!last?.fromStdin || !answerWasRefused) throw d.fail(problem);
    d.note(problem);
  }

  switch (step) {
    case 'email': {
      const flag = once('email', options.email);
      if (flag !== undefined) return sent({ type: 'SUBMIT_EMAIL', email: flag }, false);
      const line = await d.ask('email', 'Email address of your Beeper account (or the one to create it with):', needs(
        'An email address is needed to sign in.',
        'Pass --email EMAIL.',
      ));
      return sent({ type: 'SUBMIT_EMAIL', email: line.trim() }, true);
    }

    case 'code': {
      const flag = once('code', options.code);
      if (flag !== undefined) return sent({ type: 'SUBMIT_CODE', code: new Secret(flag) }, false);
      const line = await d.ask('code', `Enter the 6-digit sign-in code emailed to ${context.email}:`, needs(
        `The sign-in code emailed to ${context.email} is needed, and stdin has nothing to read.`,
        d.options.saveToken
          ? 'Write the code to stdin (one line), or run the same command again with --code CODE: it continues this sign-in.'
          : 'Write the code to stdin (one line).',
      ));
      return sent({ type: 'SUBMIT_CODE', code: new Secret(line.trim()) }, true);
    }

    case 'username': {
      const registration = context.registration;
      if (!memory.registrationChecked) {
        memory.registrationChecked = true;
        // Everything a new account needs is checked before it is created.
        if (!options.acceptTerms) {
          throw new HeadlessError(
            'terms-not-accepted',
            [
              `${context.email} has no Beeper account yet. Creating one needs your agreement:`,
              `  "${registration?.copy.terms ?? 'By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy.'}"`,
              `  Terms of Use: ${TERMS_URL}`,
              `  Privacy Policy: ${PRIVACY_URL}`,
            ].join('\n'),
            ExitCode.InputNeeded,
            'Pass --accept-terms if you agree.',
          );
        }
        const keyProblem = await newKeyFileProblem(options.newRecoveryKeyFile);
        if (keyProblem) throw keyProblem;
      }
      const flag = once('username', options.username);
      if (flag !== undefined) return sent({ type: 'SUBMIT_USERNAME', username: flag }, false);
      const suggested = registration?.usernameSuggestions ?? [];
      const line = await d.ask(
        'username',
        `Choose a username for the new account${suggested[0] ? ` (Enter for "${suggested[0]}")` : ''}:`,
        needs(`${context.email} has no Beeper account yet; a username is needed to create one.`, `Pass --username NAME${suggested.length ? ` (available: ${suggested.join(', ')})` : ''}.`),
      );
      return sent({ type: 'SUBMIT_USERNAME', username: line.trim() || suggested[0] || '' }, true);
    }

    case 'terms': {
      const text = context.registration?.copy.terms ?? '';
      d.out.say(`${text}\n  Terms of Use: ${TERMS_URL}\n  Privacy Policy: ${PRIVACY_URL}\nAccepted with --accept-terms.`);
      d.out.emit({ event: 'terms', text, termsUrl: TERMS_URL, privacyUrl: PRIVACY_URL, accepted: true });
      return sent({ type: 'ACCEPT_TERMS' }, false);
    }

    case 'choose-method':
      return chooseMethod(d, snapshot, sent);

    case 'recovery-key':
      return recoveryKey(d, snapshot, sent, !!problem);

    case 'create-recovery-key': {
      // The account's first key: only made once it has a file to go to.
      const keyProblem = await newKeyFileProblem(options.newRecoveryKeyFile);
      if (keyProblem) throw keyProblem;
      d.out.say('This account has no recovery key yet; creating one.');
      return sent({ type: 'CREATE_RECOVERY_KEY' }, false);
    }

    case 'reset-warning': {
      d.out.say('Making a new recovery key. It replaces the old one; messages that only the old key can unlock may stay unreadable here.');
      const source = recoveryKeySource(options, d.io.env);
      // An old key still at hand keeps old backups readable.
      const existing = source && source.kind !== 'stdin' ? await readKey(source, d.io.env) : undefined;
      return sent({ type: 'CONFIRM_RESET', existingRecoveryKey: existing && checkRecoveryKey(existing.reveal()).ok ? existing : undefined }, false);
    }

    case 'creation-failed':
      throw d.fail(context.problem ?? { kind: 'unexpected', message: 'Creating a recovery key failed.' });

    case 'save-recovery-key': {
      // Back here after the key was saved means activating it failed.
      if (memory.keySaved) throw d.fail(context.problem ?? { kind: 'unexpected', message: 'Activating the new recovery key failed.' });
      const path = options.newRecoveryKeyFile;
      const key = context.newRecoveryKey;
      if (!path || !key) throw (await newKeyFileProblem(path)) ?? new Error('no new recovery key in the machine context');
      await writeNewKey(path, key);
      memory.keySaved = true;
      d.out.say(`Saved the new recovery key to ${path} (mode 0600). Keep a copy somewhere safe, off this machine: it unlocks your encrypted messages on new devices.`);
      d.out.emit({ event: 'recovery-key-saved', path });
      return sent({ type: 'KEY_SAVED' }, false);
    }

    case 'compare-emojis':
      return compareEmojis(d, snapshot, sent);

    case 'confirm-scan': {
      const device = context.verification?.otherDevice?.name ?? 'your other device';
      const yes = await yesNo(d, 'scan-confirm', `Does ${device} say the QR code was scanned and the verification succeeded? Answer yes or no:`);
      return yes === undefined ? undefined : sent({ type: yes ? 'SCAN_CONFIRMED' : 'SCAN_DENIED' }, true);
    }

    case 'verification-failed': {
      const reason = context.verification?.error?.reason ?? context.problem?.message ?? 'It was cancelled.';
      throw new HeadlessError(
        'verification-failed',
        `The verification stopped: ${reason}`,
        ExitCode.Error,
        'Nothing was trusted. Run again to start a new verification, or verify with your recovery key (--recovery-key-file PATH).',
      );
    }
  }
}

type Sent = (event: SetupEvent, fromStdin: boolean) => SetupEvent;

async function chooseMethod(d: Driver, snapshot: SetupSnapshot, sent: Sent): Promise<SetupEvent | undefined> {
  const { options, memory } = d;
  // The other device may have asked already: with --verify device, look once before asking it ourselves.
  if (options.verify === 'device' && !snapshot.context.incomingVerification && !memory.lookedForIncoming) {
    memory.lookedForIncoming = true;
    await d.nextPoll();
    return undefined;
  }
  if (++memory.methodChoices > MAX_METHOD_CHOICES) {
    throw new HeadlessError('verification-failed', 'The device verification keeps ending unfinished.', ExitCode.Error, 'Run again, or use --recovery-key-file PATH.');
  }
  const source = recoveryKeySource(options, d.io.env);
  const method = options.verify ?? (source ? 'recovery-key' : d.io.lines.canAsk() ? 'device' : undefined);
  d.out.say('This device needs to be verified to read encrypted messages.');
  switch (method) {
    case 'recovery-key':
      return sent({ type: 'CHOOSE_RECOVERY_KEY' }, false);
    case 'reset':
      return sent(await forgot(d), false);
    case 'device':
      if (!d.io.lines.canAsk()) {
        throw new HeadlessError(
          'input-needed',
          'Verifying from another device needs a yes or no on stdin once the emojis are shown, and stdin has nothing to read.',
          ExitCode.InputNeeded,
          'Run it where you can answer (ssh -t, or a pipe you write to after comparing), or use --recovery-key-file PATH, --recovery-key-stdin or BEEPER_RECOVERY_KEY.',
        );
      }
      if (options.verify === 'device' && snapshot.context.incomingVerification) {
        d.out.say(`Accepting the verification request from ${snapshot.context.incomingVerification.otherDevice?.name ?? 'your other device'}.`);
        return sent({ type: 'ACCEPT_INCOMING' }, false);
      }
      return sent({ type: 'CHOOSE_DEVICE' }, false);
    default:
      throw new HeadlessError(
        'input-needed',
        'This device needs to be verified, and there is no way to ask how.',
        ExitCode.InputNeeded,
        'Give the recovery key with --recovery-key-file PATH, --recovery-key-stdin or BEEPER_RECOVERY_KEY; or feed stdin to compare emojis with another device (--verify device); or make a new key with --reset-recovery-key --new-recovery-key-file PATH.',
      );
  }
}

/** A reset is only started once the new key has somewhere to go. */
async function forgot(d: Driver): Promise<SetupEvent> {
  const problem = await newKeyFileProblem(d.options.newRecoveryKeyFile);
  if (problem) throw problem;
  return { type: 'FORGOT_RECOVERY_KEY' };
}

async function recoveryKey(d: Driver, snapshot: SetupSnapshot, sent: Sent, rejected: boolean): Promise<SetupEvent> {
  const { options, memory } = d;
  if (options.verify === 'reset') return sent(await forgot(d), false);
  const draft = snapshot.context.recoveryKeyDraft?.reveal();
  if (rejected) {
    memory.wrongKeys += 1;
    if (memory.wrongKeys >= MAX_KEY_ATTEMPTS) {
      throw new HeadlessError('wrong-recovery-key', `${MAX_KEY_ATTEMPTS} recovery keys were not accepted; stopping.`, ExitCode.Error, 'Check the saved key, or make a new one with --reset-recovery-key --new-recovery-key-file PATH.');
    }
  }
  const source = recoveryKeySource(options, d.io.env);
  if (source && source.kind !== 'stdin' && !memory.used.has('recovery-key')) {
    memory.used.add('recovery-key');
    const key = await readKey(source, d.io.env);
    const check = checkRecoveryKey(key.reveal());
    // A file or variable holding something else: say what is wrong with it, without sending it.
    if (!check.ok) throw new HeadlessError('invalid-recovery-key', `The recovery key in ${describeKeySource(source)} is not valid: ${describeRecoveryKeyProblem(check.reason)}`, ExitCode.Error);
    d.out.say(`Using the recovery key from ${describeKeySource(source)}.`);
    return sent({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: key }, false);
  }
  if (rejected && draft !== undefined) {
    const check = checkRecoveryKey(draft);
    if (!check.ok) d.out.say(describeRecoveryKeyProblem(check.reason));
  }
  const verified = snapshot.context.session?.state === 'needs-secrets';
  const line = await d.ask(
    'recovery-key',
    `${verified ? 'This device is verified; the recovery key unlocks the encrypted messages. ' : ''}Enter your recovery key (48 characters; spaces are ignored):`,
    needs(
      verified ? 'This device is verified but needs the recovery key to unlock encrypted messages.' : 'The recovery key is needed, and stdin has nothing to read.',
      'Pass --recovery-key-file PATH, --recovery-key-stdin, or set BEEPER_RECOVERY_KEY.',
    ),
    true,
  );
  return sent({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(stripWhitespace(line)) }, true);
}

async function compareEmojis(d: Driver, snapshot: SetupSnapshot, sent: Sent): Promise<SetupEvent | undefined> {
  const verification = snapshot.context.verification;
  const device = verification?.otherDevice?.name ?? 'your other device';
  if (verification && d.memory.shownSasFor !== verification.id) {
    d.memory.shownSasFor = verification.id;
    const emojis = parseSasEmojis(verification.sas?.emojis ?? '');
    const decimals = parseSasDecimals(verification.sas?.decimals).join(' ');
    d.out.say(`Compare these emojis with the ones ${device} shows:`);
    d.out.say(`  ${emojis.map((entry, i) => `${i + 1}. ${entry.emoji} ${entry.name}`).join('   ')}`);
    if (decimals) d.out.say(`  (or the numbers: ${decimals})`);
    d.out.emit({ event: 'verification', otherDevice: device, emojis: emojis.map(({ emoji, name }) => ({ emoji, name })), decimals });
  }
  const yes = await yesNo(d, 'emoji-match', `Do all of them match, in the same order, on ${device}? Answer yes or no:`);
  return yes === undefined ? undefined : sent({ type: yes ? 'MATCH' : 'NO_MATCH' }, true);
}

/** yes → true, no → false, anything else → undefined (asked again). Never answers on its own. */
async function yesNo(d: Driver, what: 'emoji-match' | 'scan-confirm', question: string): Promise<boolean | undefined> {
  const line = await d.ask(what, question, needs(
    'A yes or no is needed on stdin to finish the verification, and stdin has nothing more to read. Nothing was confirmed.',
    'Write "yes" or "no" to stdin when asked, or verify with --recovery-key-file PATH instead.',
  ));
  const word = line.trim().toLowerCase();
  if (['y', 'yes'].includes(word)) return true;
  if (['n', 'no'].includes(word)) return false;
  d.out.say('Please answer yes or no.');
  return undefined;
}
