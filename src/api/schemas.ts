/** Runtime shapes of every response in the contract, checked before use. */
import type {
  AppInfo,
  CodeResponse,
  E2EEStatus,
  MatrixAccount,
  MatrixCredentials,
  ResetRecoveryKeyResponse,
  Session,
  SessionEnvelope,
  SignInSuccess,
  StartResponse,
  Verification,
  VerificationList,
} from './types.js';
import { array, boolean, literal, number, object, optional, string, type Guard } from './validate.js';

const matrixAccount: Guard<MatrixAccount> = object({ deviceID: string, homeserver: string, userID: string });

const matrixCredentials: Guard<MatrixCredentials> = object({
  accessToken: string,
  deviceID: string,
  homeserver: string,
  userID: string,
});

export const verification: Guard<Verification> = object({
  id: string,
  state: string,
  availableActions: array(string),
  direction: string,
  methods: array(string),
  purpose: string,
  otherDevice: optional(object({ id: string, name: optional(string) })),
  otherUserID: optional(string),
  qr: optional(object({ data: string })),
  sas: optional(object({ emojis: string, decimals: optional(string) })),
  error: optional(object({ code: string, reason: string })),
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
  state: string,
  matrix: optional(matrixAccount),
  verification: optional(verification),
  e2ee,
});

export const startResponse: Guard<StartResponse> = object({ setupRequestID: string, signInMethods: array(string) });

const signInSuccessFields = object({ matrix: matrixCredentials, session });

export const signInSuccess: Guard<SignInSuccess> = (value, path) => ({ kind: 'signed-in', ...signInSuccessFields(value, path) });

const registrationFields = object({
  registrationRequired: literal(true),
  setupRequestID: string,
  leadToken: string,
  usernameSuggestions: optional(array(string)),
  copy: object({ title: string, usernamePlaceholder: string, terms: string, submit: string }),
});

export const codeResponse: Guard<CodeResponse> = (value, path) => {
  const isRegistration = typeof value === 'object' && value !== null && 'registrationRequired' in value;
  if (!isRegistration) return signInSuccess(value, path);
  const { setupRequestID, leadToken, usernameSuggestions, copy } = registrationFields(value, path);
  return { kind: 'registration-required', setupRequestID, leadToken, usernameSuggestions: usernameSuggestions ?? [], copy };
};

export const sessionEnvelope: Guard<SessionEnvelope> = object({ session, verification: optional(verification) });

export const resetRecoveryKeyResponse: Guard<ResetRecoveryKeyResponse> = object({ recoveryKey: string, session });

export const verificationList: Guard<VerificationList> = object({ items: array(verification) });

export const appInfo: Guard<AppInfo> = object({
  app: object({ name: string, version: string, bundle_id: string }),
  platform: optional(object({ os: optional(string), arch: optional(string), release: optional(string) })),
  server: optional(
    object({
      base_url: optional(string),
      hostname: optional(string),
      port: optional(number),
      remote_access: optional(boolean),
      status: optional(string),
      mcp_enabled: optional(boolean),
    }),
  ),
});
