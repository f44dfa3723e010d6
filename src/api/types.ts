/**
 * Wire types of the Beeper app-setup API (docs/api.md).
 * Field names are the camelCase wire names. Enum-like fields accept unknown
 * future values as plain strings: the client carries them through, callers
 * decide what an unknown value means.
 */

/** Keeps editor completion for known literals while accepting any string. */
export type OpenString<Known extends string> = Known | (string & {});

export const SESSION_STATES = [
  'needs-login',
  'initializing',
  'needs-cross-signing-setup',
  'needs-verification',
  'needs-secrets',
  'needs-first-sync',
  'ready',
] as const;
export type KnownSessionState = (typeof SESSION_STATES)[number];
export type SessionState = OpenString<KnownSessionState>;

export const VERIFICATION_STATES = [
  'requested',
  'ready',
  'sas_ready',
  'qr_scanned',
  'done',
  'cancelled',
  'error',
] as const;
export type VerificationState = OpenString<(typeof VERIFICATION_STATES)[number]>;

export const VERIFICATION_ACTIONS = ['accept', 'cancel', 'qr.confirmScanned', 'sas.start', 'sas.confirm'] as const;
export type VerificationAction = OpenString<(typeof VERIFICATION_ACTIONS)[number]>;

export type VerificationMethod = OpenString<'qr' | 'sas'>;
export type VerificationDirection = OpenString<'incoming' | 'outgoing'>;
export type VerificationPurpose = OpenString<'login' | 'device'>;

export interface MatrixAccount {
  deviceID: string;
  homeserver: string;
  userID: string;
}

/** Returned exactly once, by `response` and `register`. Holds the access token. */
export interface MatrixCredentials extends MatrixAccount {
  accessToken: string;
}

export interface Verification {
  id: string;
  state: VerificationState;
  availableActions: VerificationAction[];
  direction: VerificationDirection;
  methods: VerificationMethod[];
  purpose: VerificationPurpose;
  otherDevice?: { id: string; name?: string };
  otherUserID?: string;
  qr?: { data: string };
  /** `emojis` is one string holding the sequence; see src/shared/sas.ts to split it. */
  sas?: { emojis: string; decimals?: string };
  error?: { code: string; reason: string };
}

export interface E2EEStatus {
  initialized: boolean;
  crossSigning: boolean;
  verified: boolean;
  secretStorage: boolean;
  keyBackup: boolean;
  firstSyncDone: boolean;
  hasBackedUpRecoveryKey: boolean;
  recoveryKeyGeneratedAt?: number;
  secrets: {
    masterKey: boolean;
    selfSigningKey: boolean;
    userSigningKey: boolean;
    megolmBackupKey: boolean;
    recoveryKey: boolean;
  };
}

export interface Session {
  state: SessionState;
  matrix?: MatrixAccount;
  verification?: Verification;
  e2ee?: E2EEStatus;
}

export interface StartResponse {
  setupRequestID: string;
  signInMethods?: string[];
}

export interface RegistrationCopy {
  title: string;
  usernamePlaceholder: string;
  terms: string;
  submit: string;
}

export interface SignInSuccess {
  kind: 'signed-in';
  matrix: MatrixCredentials;
  /** Absent when the server's session could not be read: the token still counts; read it again. */
  session?: Session;
}

export interface RegistrationRequired {
  kind: 'registration-required';
  setupRequestID: string;
  leadToken: string;
  usernameSuggestions: string[];
  copy: RegistrationCopy;
}

/** `POST /response` answers one of two shapes; the client tags them with `kind`. */
export type CodeResponse = SignInSuccess | RegistrationRequired;

export interface SessionEnvelope {
  session: Session;
  verification?: Verification;
}

export interface ResetRecoveryKeyResponse {
  recoveryKey: string;
  session: Session;
}

export interface VerificationList {
  items: Verification[];
}

export interface AppInfo {
  app: { name: string; version: string; bundle_id?: string };
  platform?: { os?: string; arch?: string; release?: string };
  server?: { base_url?: string; hostname?: string; port?: number; remote_access?: boolean; status?: string; mcp_enabled?: boolean };
  endpoints?: Record<string, unknown>;
}

/** Terms links from the contract; the server's `copy.terms` names them. */
export const TERMS_URL = 'https://www.beeper.com/terms-onboarding';
export const PRIVACY_URL = 'https://www.beeper.com/privacy';
/** The port Beeper Desktop and Beeper Server listen on: defined here once, everything else imports it. */
export const BEEPER_PORT = 23373;
export const DEFAULT_BASE_URL = `http://localhost:${BEEPER_PORT}`;
