/** The flow machine's public shapes: its input, context, events, output, and what each state means. */
import type { AppInfo, RegistrationCopy, Session, Verification } from '../src/api/types.js';
import type { Secret } from '../src/shared/secret.js';
import type { KeyFileRecord } from '../src/tokenStore.js';
import type { SetupApi } from './api.js';
import type { Problem } from './problems.js';

/**
 * `setup`: sign this app in and make this device trusted (the wizard's flow).
 * `vouch`: this app is ready and vouches for another device of the user (`beeper-setup verify`).
 */
export type FlowMode = 'setup' | 'vouch';

/** How two devices compare: seven emojis, or a QR code the other device scans. */
export type CompareMethod = 'emoji' | 'qr';

/** Where an answer came from: typed by a person, or given up front (a flag, a file, a variable). */
export type AnswerSource = 'typed' | 'preset';

export interface Limits {
  /** Wrong recovery keys before the run stops asking. */
  recoveryKeyAttempts: number;
  /** Verifications started by a preset choice before the run gives up. */
  presetVerifications: number;
  /** Sign-ins the flow starts over by itself (mailing a new code) when the server ends one. */
  signInRestarts: number;
}

export const DEFAULT_LIMITS: Limits = { recoveryKeyAttempts: 3, presetVerifications: 3, signInRestarts: 1 };

export interface VouchOptions {
  /** `POST /verifications` names this user (`userID`); absent: the app decides. */
  userID?: string | undefined;
  /** Only accept a request from the other device; never start one. */
  waitForRequest?: boolean | undefined;
  /**
   * The user scans the other device's QR code with another app. The other device shows it only
   * once the verification is accepted (the code carries the transaction and both keys), so its
   * payload is asked for then (the `qr-payload` step, SUBMIT_QR) and submitted with `qr/scan`.
   */
  scanQr?: boolean | undefined;
}

/** How far a new recovery key written to a file got: never sent, sent to be activated, active. */
export type KeyFileState = KeyFileRecord['state'];

/**
 * What a run keeps on disk, as the flow asks for it. The machine's persistence actions (and the
 * new key's confirm) call these, so an actor of the machine cannot be started without saying
 * where its token and sign-ins go: src/tokenKeeper.ts for a run, a fake in tests.
 */
export interface Persistence {
  /** Sign-in produced a token worth keeping for the next run. */
  rememberToken(token: Secret): void;
  /** The token we held was refused or signed out: a saved copy is worthless. */
  forgetSavedToken(): void;
  /** A mailed code (or a registration) outlives this run; `undefined` once signed in. */
  rememberPendingSignIn(pending: PendingSignIn | undefined): void;
  /** Records the new key's file now (the confirm waits for it, so the record is on disk before the request leaves); never rejects. */
  recordKeyFile(path: string | undefined, state: KeyFileState): Promise<void>;
  /** The same record, queued with the run's other writes: what a lost confirm answer turned out to be. */
  rememberKeyFileState(path: string | undefined, state: KeyFileState): void;
}

export interface SetupInput {
  api: SetupApi;
  /** Where the token, pending sign-ins and new key files are kept (required: a run that saves nothing says so with a Persistence that does nothing). */
  persistence: Persistence;
  mode?: FlowMode | undefined;
  vouch?: VouchOptions | undefined;
  /** A saved or BEEPER_ACCESS_TOKEN token to resume with. */
  accessToken?: Secret | undefined;
  /** Prefills the email step (headless passes --email). */
  email?: string | undefined;
  /** A sign-in an earlier run started: its code is in the mailbox (or it reached the username step). */
  pendingSignIn?: PendingSignIn | undefined;
  /** Skip the QR code and compare emojis straight away. */
  preferEmoji?: boolean | undefined;
  pollIntervalMs?: number | undefined;
  maxPollBackoffMs?: number | undefined;
  resendCooldownMs?: number | undefined;
  /** Longest wait for the server or the other device; none by default. */
  waitTimeoutMs?: number | undefined;
  limits?: Partial<Limits> | undefined;
}

export interface PendingSignIn {
  setupRequestID: string;
  email: string;
  /** Set once the code was accepted for an address without an account: resume at the username. */
  registration?: Registration | undefined;
}

/** Informational lines the front ends word themselves (src/wording); they are not errors. */
export type Notice =
  | 'code-resent'
  | 'sign-in-restarted'
  | 'token-refused'
  | 'signed-out'
  | 'verification-cancelled-by-us'
  | 'connection-lost'
  | 'registration-resumed'
  /** The confirm's answer was lost; the session read again shows the new key was taken. */
  | 'new-key-active'
  /** The confirm's answer was lost; the session read again does not say whether the new key was taken. */
  | 'new-key-unknown'
  | undefined;

export interface Registration {
  setupRequestID: string;
  leadToken: Secret;
  usernameSuggestions: string[];
  copy: RegistrationCopy;
}

export interface SetupContext {
  api: SetupApi;
  persistence: Persistence;
  mode: FlowMode;
  vouch: VouchOptions;
  accessToken: Secret | undefined;
  app: AppInfo | undefined;
  /** What answers is known to be Beeper: /v1/info or the setup API answered as the contract says. */
  confirmedBeeper: boolean;
  /** The app is signed in (it wants a token to show its state) and holds no token of ours: a 409 at sign-in means that. */
  signedInWithoutUs: boolean;
  session: Session | undefined;
  email: string;
  setupRequestID: string | undefined;
  /** Codes mailed in this run: a new one restarts the resend cooldown (and the UI's countdown). */
  codesSent: number;
  /** The cooldown of the last mailed code is over; survives checking a code, so a wrong code does not restart it. */
  resendReady: boolean;
  /** The last code submitted, kept so a failed send can be retried without retyping. */
  code: Secret | undefined;
  registration: Registration | undefined;
  username: string;
  /** The person accepted the terms for this registration (a taken username does not ask again). */
  termsAccepted: boolean;
  /** What the user typed as their recovery key; kept after a wrong attempt for editing. */
  recoveryKeyDraft: Secret | undefined;
  /** Offered by the user before a reset, so old backups stay readable. */
  existingRecoveryKey: Secret | undefined;
  /** A freshly created key: shown once, then confirmed. */
  newRecoveryKey: Secret | undefined;
  /** Where the front end saved the new key, if in a file: messages about it name the file. */
  newKeyFile: string | undefined;
  /** The session as it was before the confirm: what its outcome is judged against when the answer is lost. */
  keyBaseline: Session | undefined;
  /** Why a new key is being made: a new account needs one, a lost key is replaced. */
  newKeyReason: 'new-account' | 'lost-key';
  /** Where the reset warning was opened from: "back" returns there. */
  resetFrom: 'chooseMethod' | 'enterRecoveryKey';
  verification: Verification | undefined;
  /** vouch: the other device's QR payload, scanned elsewhere (SUBMIT_QR), while it is submitted. */
  scannedQr: Secret | undefined;
  /** An incoming request from another device, offered as a choice. */
  incomingVerification: Verification | undefined;
  /** The server was asked for incoming requests at least once since this choice began. */
  incomingChecked: boolean;
  sasConfirmed: boolean;
  /** sas/start was sent for this verification: wait for the other device rather than send it again. */
  sasStarted: boolean;
  preferEmoji: boolean;
  /**
   * The largest QR code (modules a side) the front end can draw whole right now, as it reports
   * (QR_ROOM); undefined: any size (headless draws it whatever its size). A code that does not fit
   * is not offered first: emojis are, with the code one key away (SHOW_QR).
   */
  qrRoom: number | undefined;
  /** The user asked for the QR code (SHOW_QR) though it did not fit: show it (the wizard says how big the window must be). */
  qrChosen: boolean;
  /** Where to go once a verification the user walked away from is cancelled. */
  leaveTo: 'chooseMethod' | 'enterRecoveryKey';
  /** The cancel code sent when the user rejects: m.mismatched_sas or m.user. */
  rejectCode: string;
  /** Where the last answer came from: a refused preset is not asked again (nobody could retype it). */
  answerSource: AnswerSource;
  attempts: { recoveryKey: number; presetVerifications: number; signInRestarts: number };
  limits: Limits;
  problem: Problem | undefined;
  notice: Notice;
  /** What ended the last sign-in the flow started over by itself (the `sign-in-restarted` notice says it). */
  signInEndedBy: Problem | undefined;
  /** A wait has lasted longer than the server's state explains (see `stallDelay`). */
  stalled: boolean;
  /** Consecutive failed polls; drives the backoff and the "retrying" line. */
  pollFailures: number;
  pollIntervalMs: number;
  maxPollBackoffMs: number;
  resendCooldownMs: number;
  waitTimeoutMs: number | undefined;
}

export type SetupEvent =
  | { type: 'SUBMIT_EMAIL'; email: string; source?: AnswerSource }
  | { type: 'SUBMIT_CODE'; code: Secret; source?: AnswerSource }
  | { type: 'RESEND_CODE' }
  /** Internal: the resend cooldown of the last mailed code is over. */
  | { type: 'RESEND_READY' }
  | { type: 'CHANGE_EMAIL' }
  | { type: 'SUBMIT_USERNAME'; username: string; source?: AnswerSource }
  | { type: 'ACCEPT_TERMS' }
  /** `method`: how the person wants to compare (plain mode asks); absent, the front end's default stands. */
  | { type: 'CHOOSE_DEVICE'; source?: AnswerSource; method?: CompareMethod }
  | { type: 'ACCEPT_INCOMING'; source?: AnswerSource; method?: CompareMethod }
  | { type: 'CHOOSE_RECOVERY_KEY' }
  /** From the key field, with what was typed there: "back" from the reset warning returns it. */
  | { type: 'FORGOT_RECOVERY_KEY'; draft?: Secret | undefined }
  | { type: 'SUBMIT_RECOVERY_KEY'; recoveryKey: Secret; source?: AnswerSource }
  | { type: 'CREATE_RECOVERY_KEY' }
  | { type: 'CONFIRM_RESET'; existingRecoveryKey?: Secret | undefined }
  /** The new key is kept; `savedTo` names the file it was written to, if any. */
  | { type: 'KEY_SAVED'; savedTo?: string | undefined }
  | { type: 'SHOW_EMOJI' }
  /** The QR code after all, from the offer of emojis made because it did not fit. */
  | { type: 'SHOW_QR' }
  /** From the front end, at start and whenever its window changes: the largest QR code it can draw whole. */
  | { type: 'QR_ROOM'; modules: number }
  | { type: 'MATCH' }
  | { type: 'NO_MATCH' }
  | { type: 'SCAN_CONFIRMED' }
  | { type: 'SCAN_DENIED' }
  | { type: 'USE_RECOVERY_KEY' }
  /** vouch: send a verification request to the other device instead of waiting for one. */
  | { type: 'REQUEST_VERIFICATION' }
  /** vouch: a QR payload scanned on the other device, to submit with qr/scan. */
  | { type: 'SUBMIT_QR'; data: Secret; source?: AnswerSource }
  | { type: 'BACK' }
  | { type: 'RETRY' }
  | { type: 'INTERRUPT' }
  /** The way to Beeper closed for good (the --ssh tunnel's ssh exited): nothing more can be asked this run. */
  | { type: 'CONNECTION_CLOSED'; problem: Problem };

export type SetupOutcome = 'ready' | 'vouched' | 'interrupted' | 'timed-out';

export interface SetupOutput {
  outcome: SetupOutcome;
  session: Session | undefined;
  /** vouch: the device now trusted. */
  verification?: Verification | undefined;
}
