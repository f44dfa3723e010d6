/** The flow machine's public shapes: its input, context, events and output. */
import type { AppInfo, RegistrationCopy, Session, Verification } from '../src/api/types.js';
import type { Secret } from '../src/shared/secret.js';
import type { SetupApi } from './api.js';
import type { Problem } from './problems.js';

export interface SetupInput {
  api: SetupApi;
  /** A saved or BEEPER_ACCESS_TOKEN token to resume with. */
  accessToken?: Secret | undefined;
  /** Prefills the email step (headless passes --email). */
  email?: string | undefined;
  /** A sign-in an earlier run started: its code is in the mailbox, so this run asks for it. */
  pendingSignIn?: PendingSignIn | undefined;
  /** Skip the QR code and compare emojis straight away. */
  preferEmoji?: boolean | undefined;
  pollIntervalMs?: number | undefined;
  maxPollBackoffMs?: number | undefined;
  resendCooldownMs?: number | undefined;
  /** Longest wait for the server or the other device; none by default. */
  waitTimeoutMs?: number | undefined;
}

export interface PendingSignIn {
  setupRequestID: string;
  email: string;
}

/** Informational lines the UI words itself; they are not errors. */
export type Notice =
  | 'code-resent'
  | 'sign-in-restarted'
  | 'token-refused'
  | 'signed-out'
  | 'verification-cancelled-by-us'
  | undefined;

export interface Registration {
  setupRequestID: string;
  leadToken: Secret;
  usernameSuggestions: string[];
  copy: RegistrationCopy;
}

export interface SetupContext {
  api: SetupApi;
  accessToken: Secret | undefined;
  app: AppInfo | undefined;
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
  /** What the user typed as their recovery key; kept after a wrong attempt for editing. */
  recoveryKeyDraft: Secret | undefined;
  /** Offered by the user before a reset, so old backups stay readable. */
  existingRecoveryKey: Secret | undefined;
  /** A freshly created key: shown once, then confirmed. */
  newRecoveryKey: Secret | undefined;
  /** Why a new key is being made: a new account needs one, a lost key is replaced. */
  newKeyReason: 'new-account' | 'lost-key';
  verification: Verification | undefined;
  /** An incoming request from another device, offered as a choice. */
  incomingVerification: Verification | undefined;
  sasConfirmed: boolean;
  /** sas/start was sent for this verification: wait for the other device rather than send it again. */
  sasStarted: boolean;
  preferEmoji: boolean;
  /** Where to go once a verification the user walked away from is cancelled. */
  leaveTo: 'chooseMethod' | 'enterRecoveryKey';
  /** The cancel code sent when the user rejects: m.mismatched_sas or m.user. */
  rejectCode: string;
  problem: Problem | undefined;
  notice: Notice;
  /** Consecutive failed polls; drives the backoff and the "retrying" line. */
  pollFailures: number;
  pollIntervalMs: number;
  maxPollBackoffMs: number;
  resendCooldownMs: number;
  waitTimeoutMs: number | undefined;
}

export type SetupEvent =
  | { type: 'SUBMIT_EMAIL'; email: string }
  | { type: 'SUBMIT_CODE'; code: Secret }
  | { type: 'RESEND_CODE' }
  /** Internal: the resend cooldown of the last mailed code is over. */
  | { type: 'RESEND_READY' }
  | { type: 'CHANGE_EMAIL' }
  | { type: 'SUBMIT_USERNAME'; username: string }
  | { type: 'ACCEPT_TERMS' }
  | { type: 'CHOOSE_DEVICE' }
  | { type: 'ACCEPT_INCOMING' }
  | { type: 'CHOOSE_RECOVERY_KEY' }
  | { type: 'FORGOT_RECOVERY_KEY' }
  | { type: 'SUBMIT_RECOVERY_KEY'; recoveryKey: Secret }
  | { type: 'CREATE_RECOVERY_KEY' }
  | { type: 'CONFIRM_RESET'; existingRecoveryKey?: Secret | undefined }
  | { type: 'KEY_SAVED' }
  | { type: 'SHOW_EMOJI' }
  | { type: 'MATCH' }
  | { type: 'NO_MATCH' }
  | { type: 'SCAN_CONFIRMED' }
  | { type: 'SCAN_DENIED' }
  | { type: 'USE_RECOVERY_KEY' }
  | { type: 'BACK' }
  | { type: 'RETRY' }
  | { type: 'INTERRUPT' };

export type SetupOutcome = 'ready' | 'interrupted' | 'timed-out';

export interface SetupOutput {
  outcome: SetupOutcome;
  session: Session | undefined;
}
