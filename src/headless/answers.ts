/**
 * The answer to each step that needs one, headless: from a flag, a file or
 * the environment (a preset: reused for the whole run; a refusal ends the run,
 * which the machine decides), or one line of stdin (asked again when wrong,
 * within the machine's limits). Where nobody can answer, an error with exit
 * code 3 names what supplies it. Talks to the world only through AnswerIO.
 */
import type { AskStep, ShowStep } from '../../machines/steps.js';
import type { SetupContext, SetupEvent } from '../../machines/types.js';
import type { CliOptions } from '../args.js';
import { PRIVACY_URL, TERMS_URL } from '../api/types.js';
import { CliError, ExitCode } from '../exitCodes.js';
import { expandHome } from '../shared/keyFile.js';
import { showsUnicode } from '../shared/locale.js';
import { checkRecoveryKey, formatRecoveryKey, retypeProblem, stripWhitespace } from '../shared/recoveryKey.js';
import { parseSasDecimals, parseSasEmojis } from '../shared/sas.js';
import { sasNames } from '../shared/sasNames.js';
import { Secret } from '../shared/secret.js';
import { cleanUsernameInput, qrPayloadProblem } from '../shared/validation.js';
import { missingStepData, withAttemptsLeft } from '../wording/problems.js';
import { capitalize, otherDevice, otherDeviceName, verificationNotAppliedText } from '../wording/states.js';
import { TYPE_BACK_PROMPT } from '../wording/newKey.js';
import { describeKeySource, newKeyFileProblem, readKey, readValidKey, recoveryKeySource, writeNewKey } from './keys.js';
import { HeadlessError, type HeadlessEvent, type PromptFor } from './output.js';
import { QR_FILE_POLL_MS, readScannedQrFile } from './scannedQr.js';

/** What an answer may do: read one line, print, emit, wait for the machine. Nothing else of the driver. */
export interface AnswerIO {
  readonly options: CliOptions;
  readonly env: NodeJS.ProcessEnv;
  /** The language emoji names are shown in. */
  readonly language: string;
  /** A person answers at a terminal (plain mode): the wizard's questions may be asked, a new key shown. */
  readonly person: boolean;
  say(line: string): void;
  /** A secret shown on purpose to that person (the new recovery key, once); never an event. */
  reveal(lines: string[]): void;
  emit(event: HeadlessEvent): void;
  canAsk(): boolean;
  /** One line of stdin, announced first; rejects with `missing()` when stdin has nothing to give. */
  ask(what: PromptFor, message: string, missing: () => CliError, secret?: boolean): Promise<string>;
  /** Resolves once the machine's context satisfies `ready` (or the step changes). */
  until(ready: (context: SetupContext) => boolean): Promise<void>;
  /** Tries `attempt` every `everyMs` (the run's clock) until it gives a value; stops when the step changes. */
  poll<T>(attempt: () => Promise<T | undefined>, everyMs: number): Promise<T>;
  /** A problem that ends the run, as the error to throw. */
  fail(problem: NonNullable<SetupContext['problem']>): HeadlessError;
}

/** What answers remember between steps: only what was already shown or checked, never a flow decision. */
export interface AnswerMemory {
  /** The setup request a --code was used for: a later request needs a new code. */
  codeUsedFor?: string | undefined;
  /** The verification whose emojis were printed. */
  shownSasFor?: string | undefined;
  /** Terms and the new key's file were checked before an account is created. */
  registrationChecked?: boolean;
  /** A new recovery key was written to its file in this run. */
  keySaved?: boolean;
  /** The new key was shown to the person at the terminal (once). */
  keyShown?: boolean;
  /** A typed username cleaned of what Beeper refuses, offered for Enter. */
  usernameOffer?: string | undefined;
  /** Its confirm was sent again after Beeper did not take it (the answer was lost). */
  confirmedAgain?: boolean;
}

const needs = (message: string, hint: string) => () => new HeadlessError('input-needed', message, ExitCode.InputNeeded, hint);

/** A refused answer typed on stdin: said, and asked again. Anything else on the step ends the run. */
function replyTo(io: AnswerIO, context: SetupContext): void {
  const problem = context.problem;
  if (!problem) return;
  const refused = problem.kind === 'rejected' || problem.kind === 'unauthorized';
  if (!refused) throw io.fail(problem);
  const message = withAttemptsLeft(problem);
  io.say(message);
  io.emit({ event: 'problem', code: problem.code ?? problem.kind, message, ...(problem.attemptsLeft !== undefined ? { attemptsLeft: problem.attemptsLeft } : {}) });
}

/** What a step's answer gets: the context, the world (io), and what earlier answers remembered. */
type Answer = (context: SetupContext, io: AnswerIO, memory: AnswerMemory) => Promise<SetupEvent | undefined> | SetupEvent | undefined;

/** The steps headless answers: every step that asks, and every outcome that offers a way on. */
export type AnsweredStep = AskStep | ShowStep;

/** A stop with nothing to choose without a person: the run ends on its problem. */
const stopped = (context: SetupContext, io: AnswerIO): never => {
  throw io.fail(context.problem ?? { kind: 'unexpected', message: 'Setup stopped.' });
};

/** One answer per step that needs one: a step added without its answer fails the typecheck. */
export const ANSWERS: Record<AnsweredStep, Answer> = {
  email: async (context, io) => {
    const { options } = io;
    replyTo(io, context);
    if (options.email !== undefined) return { type: 'SUBMIT_EMAIL', email: options.email, source: 'preset' };
    const line = await io.ask('email', 'Email address of your Beeper account (or the one to create it with):', needs(
      'An email address is needed to sign in.',
      'Pass --email EMAIL.',
    ));
    return { type: 'SUBMIT_EMAIL', email: line.trim() };
  },

  code: async (context, io, memory) => {
    const { options } = io;
    replyTo(io, context);
    // --code belongs to the sign-in it continues; a new request needs the new email's code.
    if (options.code !== undefined && (memory.codeUsedFor === undefined || memory.codeUsedFor === context.setupRequestID)) {
      memory.codeUsedFor = context.setupRequestID;
      return { type: 'SUBMIT_CODE', code: new Secret(options.code), source: 'preset' };
    }
    const line = await io.ask('code', `Enter the sign-in code emailed to ${context.email}:`, needs(
      `The sign-in code emailed to ${context.email} is needed, and stdin has nothing to read.`,
      options.saveToken
        ? 'Write the code to stdin (one line), or run the same command again with --code CODE: it continues this sign-in.'
        : 'Write the code to stdin (one line).',
    ));
    return { type: 'SUBMIT_CODE', code: new Secret(line.trim()) };
  },

  username: async (context, io, memory) => {
    const { options } = io;
    replyTo(io, context);
    const registration = context.registration;
    if (!memory.registrationChecked) {
      memory.registrationChecked = true;
      // Everything a new account needs is checked before it is created; a person at the terminal is asked instead.
      if (!options.acceptTerms && !io.person) {
        throw new HeadlessError(
          'terms-not-accepted',
          [
            `${context.email} has no Beeper account yet. Creating one needs your agreement:`,
            `  "${registration?.copy.terms ?? ''}"`,
            `  Terms of Use: ${TERMS_URL}`,
            `  Privacy Policy: ${PRIVACY_URL}`,
          ].join('\n'),
          ExitCode.InputNeeded,
          'Pass --accept-terms if you agree. A rerun continues this sign-in at the username, without a new code.',
        );
      }
      if (!io.person) {
        const keyProblem = await newKeyFileProblem(options.newRecoveryKeyFile, io.env);
        if (keyProblem) throw keyProblem;
      }
    }
    if (options.username !== undefined) return { type: 'SUBMIT_USERNAME', username: options.username, source: 'preset' };
    const suggested = registration?.usernameSuggestions ?? [];
    if (suggested.length > 1 && memory.usernameOffer === undefined) io.say(`Suggested usernames: ${suggested.join(', ')}.`);
    const offer = memory.usernameOffer ?? suggested[0];
    const line = (
      await io.ask(
        'username',
        `Choose a username for the new account${offer ? ` (Enter for "${offer}")` : ''}:`,
        needs(`${context.email} has no Beeper account yet; a username is needed to create one.`, `Pass --username NAME${suggested.length ? ` (available: ${suggested.join(', ')})` : ''}.`),
      )
    ).trim();
    if (line === '' && offer) return { type: 'SUBMIT_USERNAME', username: offer };
    // What Beeper refuses is said, and the cleaned name offered, never sent unseen.
    const { kept, note } = cleanUsernameInput(line);
    if (note && kept.length > 0) {
      io.say(`${note} Press Enter for "${kept}", or type another.`);
      memory.usernameOffer = kept;
      return undefined;
    }
    return { type: 'SUBMIT_USERNAME', username: line };
  },

  terms: async (context, io) => {
    const { options } = io;
    replyTo(io, context);
    const text = context.registration?.copy.terms ?? '';
    io.say(`${text}\n  Terms of Use: ${TERMS_URL}\n  Privacy Policy: ${PRIVACY_URL}`);
    if (options.acceptTerms) io.say('Accepted with --accept-terms.');
    else if (!(await agrees(io, context, 'terms', 'Do you agree to the Terms of Use and the Privacy Policy? Answer yes or no:'))) {
      throw new HeadlessError(
        'terms-declined',
        `No account was created for ${context.email}: creating one needs your agreement to the terms.`,
        ExitCode.Error,
        'Run again to continue at the username; or sign in with the email of an existing account.',
      );
    }
    io.emit({ event: 'terms', text, termsUrl: TERMS_URL, privacyUrl: PRIVACY_URL, accepted: true });
    return { type: 'ACCEPT_TERMS' };
  },

  'choose-method': (context, io) => chooseMethod(io, context),

  'recovery-key': (context, io) => recoveryKey(io, context),

  'create-recovery-key': async (_context, io) => {
    const { options } = io;
    // The account's first key: only made once it has a file to go to, or a person to show it to.
    if (!io.person) {
      const keyProblem = await newKeyFileProblem(options.newRecoveryKeyFile, io.env);
      if (keyProblem) throw keyProblem;
    }
    io.say('This account has no recovery key yet; creating one.');
    return { type: 'CREATE_RECOVERY_KEY' };
  },

  'reset-warning': async (context, io) => {
    const { options } = io;
    if (context.problem) throw io.fail(context.problem);
    if (options.verify !== 'reset') {
      // Chosen at the terminal, not by a flag: the cost is said and agreed to first, as in the wizard.
      io.say('A new recovery key replaces the old one: messages that only the old key can unlock may stay unreadable on this device, and other devices may need to be verified again.');
      if (!(await agrees(io, context, 'reset-confirm', 'Make a new recovery key? Answer yes or no:'))) return { type: 'BACK' };
    } else {
      // Asked for by a flag: the cost is said once, as it is done.
      io.say('Making a new recovery key. It replaces the old one; messages that only the old key can unlock may stay unreadable here.');
    }
    const source = recoveryKeySource(options, io.env);
    // An old key still at hand keeps old backups readable.
    const existing = source && source.kind !== 'stdin' ? await readKey(source, io.env) : undefined;
    return { type: 'CONFIRM_RESET', existingRecoveryKey: existing && checkRecoveryKey(existing.reveal()).ok ? existing : undefined };
  },

  'save-recovery-key': async (context, io, memory) => {
    const { options } = io;
    // The confirm lost its answer and Beeper did not take the key: it is in its file, so confirm it again, once.
    if (context.problem?.kind === 'key-not-activated' && memory.keySaved && !memory.confirmedAgain) {
      memory.confirmedAgain = true;
      io.say(`${context.problem.message} Confirming it again.`);
      return { type: 'KEY_SAVED' };
    }
    // Back here with a problem: activating the saved key failed.
    if (context.problem) throw io.fail(context.problem);
    const path = options.newRecoveryKeyFile;
    const key = context.newRecoveryKey;
    // A bug, as the wizard shows it: the step has nothing to save.
    if (!key) throw new Error(missingStepData('save-recovery-key', 'the new recovery key').message);
    if (!path && io.person) return keepShownKey(io, context, key, memory);
    if (!path) throw (await newKeyFileProblem(path, io.env))!;
    const savedTo = await writeNewKey(path, key, io.env);
    memory.keySaved = true;
    io.say(`Saved the new recovery key to ${path} (mode 0600). Keep a copy somewhere safe, off this machine: it unlocks your encrypted messages on new devices.`);
    io.emit({ event: 'recovery-key-saved', path });
    return { type: 'KEY_SAVED', savedTo };
  },

  'compare-emojis': (context, io, memory) => compareEmojis(io, context, memory),

  // Headless never reports QR_ROOM, so the code always fits and this offer is not made; were it made, the code is drawn whatever its size.
  'offer-emoji': () => ({ type: 'SHOW_QR' }),

  'confirm-scan': async (context, io) => {
    const device = otherDeviceName(context.verification);
    const yes = await yesNo(io, context, 'scan-confirm', `Does ${device} say the QR code was scanned and the verification succeeded? Answer yes or no:`);
    return yes === undefined ? undefined : { type: yes ? 'SCAN_CONFIRMED' : 'SCAN_DENIED' };
  },

  'awaiting-request': (context, io) => awaitRequest(io, context),

  'qr-payload': (context, io) => scannedQr(io, context),

  'verification-not-applied': async (context, io) => {
    const { options } = io;
    const text = verificationNotAppliedText(context);
    const source = recoveryKeySource(options, io.env);
    if (source) {
      io.say(`${text.message} Using the recovery key from ${describeKeySource(source)} instead.`);
      return { type: 'USE_RECOVERY_KEY' };
    }
    throw new HeadlessError('verification-not-applied', text.message, ExitCode.Error, 'Run again to verify again, or use your recovery key (--recovery-key-file PATH).');
  },

  'verification-failed': async (context) => {
    const reason = context.verification?.error?.reason ?? context.problem?.message ?? 'It was cancelled.';
    throw new HeadlessError(
      'verification-failed',
      `The verification stopped: ${reason}`,
      ExitCode.Error,
      context.mode === 'vouch'
        ? 'Nothing was trusted. Run beeper-setup verify again to start a new verification.'
        : 'Nothing was trusted. Run again to start a new verification, or verify with your recovery key (--recovery-key-file PATH).',
    );
  },

  'creation-failed': stopped,

  failed: stopped,
};

export async function answer(step: AnsweredStep, context: SetupContext, io: AnswerIO, memory: AnswerMemory): Promise<SetupEvent | undefined> {
  return ANSWERS[step](context, io, memory);
}

async function chooseMethod(io: AnswerIO, context: SetupContext): Promise<SetupEvent | undefined> {
  const { options } = io;
  // The other device may have asked already: with --verify device, look once before asking it ourselves.
  if (options.verify === 'device' && !context.incomingChecked) {
    await io.until((next) => next.incomingChecked);
    return undefined;
  }
  const source = recoveryKeySource(options, io.env);
  // A person at the terminal chooses, as in the wizard (once the app was asked for a request from the other device).
  if (!options.verify && !source && io.person) {
    if (!context.incomingChecked) {
      await io.until((next) => next.incomingChecked);
      return undefined;
    }
    return askMethod(io, context);
  }
  const method = options.verify ?? (source ? 'recovery-key' : io.canAsk() ? 'device' : undefined);
  io.say('This device needs to be verified to read encrypted messages.');
  switch (method) {
    case 'recovery-key':
      return { type: 'CHOOSE_RECOVERY_KEY' };
    case 'reset':
      return forgot(io);
    case 'device':
      if (!io.canAsk()) {
        throw new HeadlessError(
          'input-needed',
          'Verifying from another device needs a yes or no on stdin once the emojis are shown, and stdin has nothing to read.',
          ExitCode.InputNeeded,
          'Run it where you can answer (ssh -t, or a pipe you write to after comparing), or use --recovery-key-file PATH, --recovery-key-stdin or BEEPER_RECOVERY_KEY.',
        );
      }
      if (context.incomingVerification) {
        io.say(accepting(context));
        return { type: 'ACCEPT_INCOMING', source: 'preset' };
      }
      return { type: 'CHOOSE_DEVICE', source: 'preset' };
    default:
      throw new HeadlessError(
        'input-needed',
        'This device needs to be verified, and there is no way to ask how.',
        ExitCode.InputNeeded,
        'Give the recovery key with --recovery-key-file PATH, --recovery-key-stdin or BEEPER_RECOVERY_KEY; or feed stdin to compare emojis with another device (--verify device); or make a new key with --reset-recovery-key --new-recovery-key-file PATH.',
      );
  }
}

const accepting = (context: SetupContext) => `Accepting the verification request from ${otherDeviceName(context.incomingVerification)}.`;

/** verify: accept the other device's request, or (without --wait) send one when none came. */
async function awaitRequest(io: AnswerIO, context: SetupContext): Promise<SetupEvent | undefined> {
  if (context.incomingVerification) {
    io.say(accepting(context));
    return { type: 'ACCEPT_INCOMING' };
  }
  if (io.options.wait) {
    io.say('Waiting for a verification request from your other device (open Beeper there and verify it from this device)…');
    await io.until((next) => !!next.incomingVerification);
    return undefined;
  }
  if (!context.incomingChecked) {
    await io.until((next) => next.incomingChecked);
    return undefined;
  }
  return { type: 'REQUEST_VERIFICATION' };
}

/**
 * verify --qr-file: the other device shows its code now that the verification is accepted. Its
 * payload, scanned with another app, is read from stdin ("-"), or from the file once it is there.
 */
async function scannedQr(io: AnswerIO, context: SetupContext): Promise<SetupEvent | undefined> {
  const path = io.options.qrFile;
  const shown = `Scan the QR code ${otherDevice(context.verification)} shows now`;
  if (path && path !== '-') {
    const message = `${shown}, and write its payload to ${path}: it is read as soon as it is there.`;
    io.say(message);
    io.emit({ event: 'prompt', for: 'qr-payload', message });
    const data = await io.poll(() => readScannedQrFile(path), QR_FILE_POLL_MS);
    return { type: 'SUBMIT_QR', data: new Secret(data), source: 'preset' };
  }
  const line = await io.ask(
    'qr-payload',
    `${shown}, and paste its payload (one line):`,
    needs(`The payload of the QR code ${otherDevice(context.verification)} shows is needed, and stdin has nothing more to read.`, 'Write it to stdin once the prompt for "qr-payload" comes, or give --qr-file PATH.'),
  );
  const empty = qrPayloadProblem(line);
  if (empty) {
    io.say(empty);
    return undefined;
  }
  return { type: 'SUBMIT_QR', data: new Secret(line.trim()) };
}

/** A reset is only started once the new key has somewhere to go: a file, or a person who sees it. */
async function forgot(io: AnswerIO): Promise<SetupEvent> {
  if (!io.person || io.options.newRecoveryKeyFile !== undefined) {
    const problem = await newKeyFileProblem(io.options.newRecoveryKeyFile, io.env);
    if (problem) throw problem;
  }
  return { type: 'FORGOT_RECOVERY_KEY' };
}

interface MethodChoice {
  label: string;
  event: SetupEvent;
}

/** The wizard's choices, one per line, answered with a number: what a screen reader reads out well. */
async function askMethod(io: AnswerIO, context: SetupContext): Promise<SetupEvent | undefined> {
  const incoming = context.incomingVerification;
  const other = incoming ? otherDeviceName(incoming) : undefined;
  const start = incoming ? ({ type: 'ACCEPT_INCOMING' } as const) : ({ type: 'CHOOSE_DEVICE' } as const);
  const choices: MethodChoice[] = [
    { label: other ? `Accept the request from ${other} and compare emojis` : 'Compare emojis with another device where you are signed in', event: { ...start, method: 'emoji' } },
    // Half blocks need a UTF-8 terminal; elsewhere the QR code cannot be drawn.
    ...(showsUnicode(io.env) ? [{ label: other ? `Accept the request from ${other} and show a QR code for it to scan` : 'Show a QR code for another device to scan', event: { ...start, method: 'qr' } } as MethodChoice] : []),
    { label: 'Enter your recovery key', event: { type: 'CHOOSE_RECOVERY_KEY' } },
    { label: 'I lost my recovery key: make a new one', event: { type: 'FORGOT_RECOVERY_KEY' } },
  ];
  // One block: a line that starts with spaces is trimmed when printed on its own.
  io.say(['This device needs to be verified to read encrypted messages. How?', ...choices.map((choice, i) => `  ${i + 1}. ${choice.label}`)].join('\n'));
  const line = await io.ask('method', `Choose 1–${choices.length}:`, needs('A choice of how to verify is needed, and stdin has nothing more to read.', 'Pass --verify device, recovery-key or reset.'));
  const chosen = choices[Number(line.trim()) - 1];
  if (!/^\d+$/.test(line.trim()) || !chosen) {
    io.say(`Type a number from 1 to ${choices.length}.`);
    return undefined;
  }
  return chosen.event;
}

/** Asks until the answer is yes or no. */
async function agrees(io: AnswerIO, context: SetupContext, what: 'terms' | 'reset-confirm', question: string): Promise<boolean> {
  for (;;) {
    const answer = await yesNo(io, context, what, question);
    if (answer !== undefined) return answer;
  }
}

/**
 * The new key with no file to go to, for the person at this terminal: shown once, saved to a
 * file if they name one, and typed back in part before it is activated (the wizard's gate).
 */
async function keepShownKey(io: AnswerIO, context: SetupContext, key: Secret, memory: AnswerMemory): Promise<SetupEvent> {
  const formatted = formatRecoveryKey(key.reveal());
  if (!memory.keyShown) {
    memory.keyShown = true;
    io.say(`${context.newKeyReason === 'new-account' ? 'Your recovery key' : 'Your new recovery key'}, shown only this once. It unlocks your encrypted messages on a new device; keep it somewhere safe, like a password manager:`);
    io.reveal([formatted]);
  }
  let savedTo: string | undefined;
  while (!memory.keySaved) {
    const path = (await io.ask('new-key-file', 'To also save it to a file, type the path; or press Enter once you have saved it elsewhere:', needs('The new recovery key must be kept before it is activated, and stdin has nothing more to read. It was not activated.', 'Run again: a new key is made then.'))).trim();
    if (path === '') break;
    const saved = await saveShownKey(path, key, io.env);
    io.say(saved.ok ? `Saved to ${saved.path} (mode 0600: only you can read it).` : saved.message);
    if (saved.ok) {
      savedTo = saved.path;
      io.emit({ event: 'recovery-key-saved', path: saved.path });
      break;
    }
  }
  for (;;) {
    const typed = await io.ask('new-key-check', TYPE_BACK_PROMPT, needs('The new recovery key was not typed back, and stdin has nothing more to read. It was not activated.', 'Run again: a new key is made then.'));
    const wrong = retypeProblem(typed, key.reveal());
    if (!wrong) break;
    io.say(wrong);
  }
  // Kept: a lost confirm answer can be confirmed again, as with a file.
  memory.keySaved = true;
  return { type: 'KEY_SAVED', ...(savedTo ? { savedTo } : {}) };
}

/** Writes a shown key to the file a person named ("~/…" works), recorded as not yet active; never over an existing file. */
async function saveShownKey(path: string, key: Secret, env: NodeJS.ProcessEnv): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  try {
    const savedTo = await writeNewKey(expandHome(path), key, env);
    return { ok: true, path: savedTo };
  } catch (error) {
    return { ok: false, message: `${error instanceof Error ? error.message : String(error)} Type another path, or press Enter if it is saved elsewhere.` };
  }
}

async function recoveryKey(io: AnswerIO, context: SetupContext): Promise<SetupEvent> {
  const { options } = io;
  if (options.verify === 'reset') return forgot(io);
  replyTo(io, context);
  const source = recoveryKeySource(options, io.env);
  if (source && source.kind !== 'stdin') {
    const key = await readValidKey(source, io.env);
    io.say(`Using the recovery key from ${describeKeySource(source)}.`);
    return { type: 'SUBMIT_RECOVERY_KEY', recoveryKey: key, source: 'preset' };
  }
  const verified = context.session?.state === 'needs-secrets';
  const line = await io.ask(
    'recovery-key',
    `${verified ? 'This device is verified; the recovery key unlocks the encrypted messages. ' : ''}Enter your recovery key (48 characters, case-sensitive; spaces are ignored):`,
    needs(
      verified ? 'This device is verified but needs the recovery key to unlock encrypted messages.' : 'The recovery key is needed, and stdin has nothing to read.',
      'Pass --recovery-key-file PATH, --recovery-key-stdin, or set BEEPER_RECOVERY_KEY.',
    ),
    true,
  );
  return { type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(stripWhitespace(line)) };
}

async function compareEmojis(io: AnswerIO, context: SetupContext, memory: AnswerMemory): Promise<SetupEvent | undefined> {
  const verification = context.verification;
  const device = capitalize(otherDevice(verification));
  if (verification && memory.shownSasFor !== verification.id) {
    memory.shownSasFor = verification.id;
    const emojis = parseSasEmojis(verification.sas?.emojis ?? '').map((entry) => {
      const names = entry.number >= 0 ? sasNames(entry.number, io.language) : { name: entry.name, english: entry.name };
      return { emoji: entry.emoji, name: names.name, ...(names.english !== names.name ? { english: names.english } : {}) };
    });
    const decimals = parseSasDecimals(verification.sas?.decimals).join(' ');
    io.say(`Compare these emojis with the ones ${otherDevice(verification)} shows:`);
    io.say(`  ${emojis.map((entry, i) => `${i + 1}. ${entry.emoji} ${entry.name}${entry.english ? ` (${entry.english})` : ''}`).join('   ')}`);
    if (decimals) io.say(`  (or the numbers: ${decimals})`);
    io.emit({ event: 'verification', otherDevice: otherDeviceName(verification), emojis, decimals, language: io.language });
  }
  const yes = await yesNo(io, context, 'emoji-match', `Do all of them match, in the same order, on ${device.replace(/^Your/, 'your')}? Answer yes or no:`);
  return yes === undefined ? undefined : { type: yes ? 'MATCH' : 'NO_MATCH' };
}

/** yes → true, no → false, anything else → undefined (asked again). Never answers on its own. */
async function yesNo(io: AnswerIO, context: SetupContext, what: 'emoji-match' | 'scan-confirm' | 'terms' | 'reset-confirm', question: string): Promise<boolean | undefined> {
  const verifying = what === 'emoji-match' || what === 'scan-confirm';
  const line = await io.ask(what, question, needs(
    verifying ? 'A yes or no is needed on stdin to finish the verification, and stdin has nothing more to read. Nothing was confirmed.' : 'A yes or no is needed on stdin, and stdin has nothing more to read. Nothing was changed.',
    // Vouching for another device has no recovery-key way round it.
    context.mode === 'vouch' || !verifying ? 'Write "yes" or "no" to stdin when asked.' : 'Write "yes" or "no" to stdin when asked, or verify with --recovery-key-file PATH instead.',
  ));
  const word = line.trim().toLowerCase();
  if (['y', 'yes'].includes(word)) return true;
  if (['n', 'no'].includes(word)) return false;
  io.say('Please answer yes or no.');
  return undefined;
}
