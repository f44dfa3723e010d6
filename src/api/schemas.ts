/**
 * Runtime shapes of every response in the contract, checked before use.
 * Fields a person reads are `text` (sanitized for the terminal); fields sent
 * back or matched exactly (ids, tokens, the QR payload) are `string`.
 */
import type {
  AppInfo,
  CodeResponse,
  E2EEStatus,
  MatrixAccount,
  MatrixCredentials,
  RegistrationCopy,
  ResetRecoveryKeyResponse,
  Session,
  SessionEnvelope,
  SignInSuccess,
  StartResponse,
  Verification,
  VerificationList,
} from './types.js';
import { array, boolean, literal, number, object, optional, paragraph, ShapeError, string, text, type Guard } from './validate.js';

const matrixAccount: Guard<MatrixAccount> = object({ deviceID: text, homeserver: text, userID: text });

const matrixCredentials: Guard<MatrixCredentials> = object({
  accessToken: string,
  deviceID: text,
  homeserver: text,
  userID: text,
});

export const verification: Guard<Verification> = object({
  id: string,
  state: text,
  availableActions: array(text),
  direction: text,
  methods: array(text),
  purpose: text,
  otherDevice: optional(object({ id: text, name: optional(text) })),
  otherUserID: optional(text),
  qr: optional(object({ data: string })),
  sas: optional(object({ emojis: text, decimals: optional(text) })),
  error: optional(object({ code: text, reason: paragraph })),
});

const e2ee: Guard<E2EEStatus> = object({
  initialized: boolean,
  crossSigning: boolean,
  verified: boolean,
  secretStorage: boolean,
  keyBackup: boolean,
  firstSyncDone: boolean,
  hasBackedUpRecoveryKey: boolean,
  recoveryKeyGeneratedAt: optional(number),
  secrets: object({
    masterKey: boolean,
    selfSigningKey: boolean,
    userSigningKey: boolean,
    megolmBackupKey: boolean,
    recoveryKey: boolean,
  }),
});

export const session: Guard<Session> = object({
  state: text,
  matrix: optional(matrixAccount),
  verification: optional(verification),
  // The flow decides from `state` alone: a server that leaves the details out is still understood.
  e2ee: optional(e2ee),
});

export const startResponse: Guard<StartResponse> = object({ setupRequestID: string, signInMethods: optional(array(text)) });

/**
 * The access token is returned once: a session we cannot read must not cost it.
 * A malformed session next to good credentials is dropped (the caller reads the
 * session again with the new token) instead of failing the whole answer.
 */
const sessionIfReadable: Guard<Session | undefined> = (value, path) => {
  try {
    return session(value, path);
  } catch (error) {
    if (error instanceof ShapeError) return undefined;
    throw error;
  }
};

const signInSuccessFields = object({ matrix: matrixCredentials, session: sessionIfReadable });

export const signInSuccess: Guard<SignInSuccess> = (value, path) => ({ kind: 'signed-in', ...signInSuccessFields(value, path) });

/** The contract's own wording, for a server that sends no `copy` (or only part of it). */
export const DEFAULT_REGISTRATION_COPY: RegistrationCopy = {
  title: 'Choose your username',
  usernamePlaceholder: 'Username',
  terms: 'By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy.',
  submit: 'Continue',
};

const registrationFields = object({
  registrationRequired: literal(true),
  setupRequestID: string,
  leadToken: string,
  usernameSuggestions: optional(array(text)),
  copy: optional(object({ title: optional(text), usernamePlaceholder: optional(text), terms: optional(paragraph), submit: optional(text) })),
});

/** `registrationRequired: true` marks the second shape; a success may also say `false`. */
export const codeResponse: Guard<CodeResponse> = (value, path) => {
  const isRegistration = typeof value === 'object' && value !== null && (value as { registrationRequired?: unknown }).registrationRequired === true;
  if (!isRegistration) return signInSuccess(value, path);
  const { setupRequestID, leadToken, usernameSuggestions, copy } = registrationFields(value, path);
  return {
    kind: 'registration-required',
    setupRequestID,
    leadToken,
    usernameSuggestions: usernameSuggestions ?? [],
    // A text that cleans to nothing (it was only control characters) keeps the contract's wording.
    copy: { ...DEFAULT_REGISTRATION_COPY, ...Object.fromEntries(Object.entries(copy ?? {}).filter(([, value]) => value !== '')) },
  };
};

export const sessionEnvelope: Guard<SessionEnvelope> = object({ session, verification: optional(verification) });

export const resetRecoveryKeyResponse: Guard<ResetRecoveryKeyResponse> = object({ recoveryKey: string, session });

export const verificationList: Guard<VerificationList> = object({ items: array(verification) });

export const appInfo: Guard<AppInfo> = object({
  app: object({ name: text, version: text, bundle_id: optional(text) }),
  platform: optional(object({ os: optional(text), arch: optional(text), release: optional(text) })),
  server: optional(
    object({
      base_url: optional(text),
      hostname: optional(text),
      port: optional(number),
      remote_access: optional(boolean),
      status: optional(text),
      mcp_enabled: optional(boolean),
    }),
  ),
});
