/**
 * Every HTTP call the flow makes, as a named promise actor with typed input.
 * Secrets cross the actor boundary wrapped in Secret, so the done events the
 * machine receives (and any inspector sees) never hold a bare token or key.
 */
import { fromPromise } from 'xstate';
import { HttpError } from '../src/api/errors.js';
import type { AppInfo, RegistrationCopy, Session, SessionEnvelope, StartResponse, Verification } from '../src/api/types.js';
import { Secret } from '../src/shared/secret.js';
import type { SetupApi } from './api.js';
import { isAcceptableIncoming } from './routing.js';
import type { FlowMode, KeyFileState, Persistence } from './types.js';

interface Authed {
  api: SetupApi;
  token: Secret | undefined;
}

const auth = (input: Authed, signal: AbortSignal) => ({ accessToken: input.token?.reveal(), signal });

/** A verification round-trip, normalised: the envelope's own verification, else the session's. */
export interface VerificationUpdate {
  session: Session;
  verification: Verification | undefined;
}

const toUpdate = (envelope: SessionEnvelope): VerificationUpdate => ({
  session: envelope.session,
  verification: envelope.verification ?? envelope.session.verification,
});

export interface ProbeResult {
  app: AppInfo | undefined;
  /** Undefined when the app has no `GET /v1/app/setup` (404) or refused our token (401). */
  session: Session | undefined;
  /** The token we had was refused: sign in again. */
  tokenRefused: boolean;
  /** The app wants a token to show its state: someone is signed in, with no token of ours that it accepts. */
  signedInWithoutUs: boolean;
}

export type SignInResult =
  | { kind: 'signed-in'; token: Secret; session: Session | undefined }
  | {
      kind: 'registration-required';
      setupRequestID: string;
      leadToken: Secret;
      usernameSuggestions: string[];
      copy: RegistrationCopy;
    };

export const probe = fromPromise<ProbeResult, Authed>(async ({ input, signal }) => {
  const [app, sessionResult] = await Promise.all([
    // /v1/info is optional: older builds and proxies may not serve it.
    input.api.info({ signal, retries: 0 }).catch(() => undefined),
    input.api.getSession(auth(input, signal)).then(
      (session) => ({ session }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ('session' in sessionResult) return { app, session: sessionResult.session, tokenRefused: false, signedInWithoutUs: false };
  const { error } = sessionResult;
  // Not in the captured documents: an app without it answers 404; the calls that follow carry the session.
  if (error instanceof HttpError && error.status === 404) return { app, session: undefined, tokenRefused: false, signedInWithoutUs: false };
  // Signed in by another client and we hold no token: nothing was refused, we just have to sign in.
  if (error instanceof HttpError && error.status === 401) return { app, session: undefined, tokenRefused: !!input.token, signedInWithoutUs: true };
  throw error;
});

export const startSignIn = fromPromise<StartResponse, { api: SetupApi }>(({ input, signal }) => input.api.start({ signal }));

export const sendCode = fromPromise<void, { api: SetupApi; setupRequestID: string; email: string }>(({ input, signal }) =>
  input.api.sendEmail({ setupRequestID: input.setupRequestID, email: input.email }, { signal }),
);

/** Resend and restart: a fresh setup request, then a fresh code to the same address. */
export const restartSignIn = fromPromise<{ setupRequestID: string }, { api: SetupApi; email: string }>(async ({ input, signal }) => {
  const { setupRequestID } = await input.api.start({ signal });
  await input.api.sendEmail({ setupRequestID, email: input.email }, { signal });
  return { setupRequestID };
});

export const submitCode = fromPromise<SignInResult, { api: SetupApi; setupRequestID: string; code: Secret }>(async ({ input, signal }) => {
  const result = await input.api.submitCode({ setupRequestID: input.setupRequestID, code: input.code.reveal() }, { signal });
  // A session we could not read is left out: the token is kept, and the machine reads the session with it.
  if (result.kind === 'signed-in') return { kind: 'signed-in', token: new Secret(result.matrix.accessToken), session: result.session };
  return {
    kind: 'registration-required',
    setupRequestID: result.setupRequestID,
    leadToken: new Secret(result.leadToken),
    usernameSuggestions: result.usernameSuggestions,
    copy: result.copy,
  };
});

export const register = fromPromise<
  { token: Secret; session: Session | undefined },
  { api: SetupApi; setupRequestID: string; leadToken: Secret; username: string }
>(async ({ input, signal }) => {
  const result = await input.api.register(
    { setupRequestID: input.setupRequestID, leadToken: input.leadToken.reveal(), username: input.username, acceptTerms: true },
    { signal },
  );
  return { token: new Secret(result.matrix.accessToken), session: result.session };
});

/** One poll of the overall state; no client retries, the machine backs off itself. */
export const fetchSession = fromPromise<Session, Authed>(({ input, signal }) =>
  input.api.getSession({ ...auth(input, signal), retries: 0 }),
);

/**
 * While the user chooses a method (or, vouching, waits for a request): the session,
 * and an incoming request if the other device sent one.
 */
export const findIncoming = fromPromise<{ session: Session; incoming: Verification | undefined }, Authed & { mode: FlowMode }>(
  async ({ input, signal }) => {
    const session = await input.api.getSession({ ...auth(input, signal), retries: 0 });
    const fromSession = isAcceptableIncoming(session.verification) ? session.verification : undefined;
    const listed = input.mode === 'vouch' ? session.state === 'ready' : session.state === 'needs-verification';
    if (fromSession || !listed) return { session, incoming: fromSession };
    const { items } = await input.api.listVerifications({ ...auth(input, signal), retries: 0 });
    return { session, incoming: items.find(isAcceptableIncoming) };
  },
);

export const verifyRecoveryKey = fromPromise<Session, Authed & { recoveryKey: Secret }>(async ({ input, signal }) => {
  const { session } = await input.api.verifyRecoveryKey(input.recoveryKey.reveal(), auth(input, signal));
  return session;
});

export const resetRecoveryKey = fromPromise<{ recoveryKey: Secret; session: Session }, Authed & { existingRecoveryKey: Secret | undefined }>(
  async ({ input, signal }) => {
    const result = await input.api.resetRecoveryKey(input.existingRecoveryKey?.reveal(), auth(input, signal));
    return { recoveryKey: new Secret(result.recoveryKey), session: result.session };
  },
);

/** `savedTo`: the file the key was written to, if any; `persistence` records what became of it. */
export type ConfirmKeyInput = Authed & { recoveryKey: Secret; savedTo?: string | undefined; persistence: Pick<Persistence, 'recordKeyFile'> };

/**
 * The new key's file is recorded as sent for activation before the request leaves, and as active (or
 * not) once Beeper answers, so a rerun that finds the file can say what it holds (src/tokenStore.ts).
 */
export const confirmRecoveryKey = fromPromise<Session, ConfirmKeyInput>(async ({ input, signal }) => {
  const record = (state: KeyFileState) => input.persistence.recordKeyFile(input.savedTo, state);
  await record('activating');
  try {
    const { session } = await input.api.confirmRecoveryKeyReset(input.recoveryKey.reveal(), auth(input, signal));
    await record('active');
    return session;
  } catch (error) {
    // Refused (4xx): certainly not taken. Anything else (no answer, 5xx) may have been.
    if (error instanceof HttpError && error.status < 500) await record('written');
    throw error;
  }
});

/**
 * Accepts the incoming request when given one. Otherwise, setting this device up, asks the
 * other devices to verify it, sending nothing optional (the app decides what it is for, as
 * Beeper's CLI does); vouching, asks the user's other device to be verified (`purpose: device`).
 */
export const beginVerification = fromPromise<
  VerificationUpdate,
  Authed & { incomingID: string | undefined; mode: FlowMode; userID: string | undefined }
>(async ({ input, signal }) => {
  if (input.incomingID) return toUpdate(await input.api.acceptVerification(input.incomingID, auth(input, signal)));
  const body = input.mode === 'vouch' ? { purpose: 'device' as const, ...(input.userID ? { userID: input.userID } : {}) } : {};
  return toUpdate(await input.api.createVerification(body, auth(input, signal)));
});

/** Submits a QR payload scanned from the other device's screen. */
export const submitScannedQr = fromPromise<VerificationUpdate, Authed & { data: Secret }>(async ({ input, signal }) =>
  toUpdate(await input.api.scanQr(input.data.reveal(), auth(input, signal))),
);

type VerificationInput = Authed & { id: string };

export const fetchVerification = fromPromise<VerificationUpdate, VerificationInput>(async ({ input, signal }) =>
  toUpdate(await input.api.getVerification(input.id, { ...auth(input, signal), retries: 0 })),
);

export const startSas = fromPromise<VerificationUpdate, VerificationInput>(async ({ input, signal }) =>
  toUpdate(await input.api.startSas(input.id, auth(input, signal))),
);

export const confirmSas = fromPromise<VerificationUpdate, VerificationInput>(async ({ input, signal }) =>
  toUpdate(await input.api.confirmSas(input.id, auth(input, signal))),
);

export const confirmQrScanned = fromPromise<VerificationUpdate, VerificationInput>(async ({ input, signal }) =>
  toUpdate(await input.api.confirmQrScanned(input.id, auth(input, signal))),
);

/** `code` and `reason` are optional in the contract; a server that refuses them is asked again with neither. */
export const cancelVerification = fromPromise<VerificationUpdate, VerificationInput & { code?: string | undefined; reason?: string | undefined }>(
  async ({ input, signal }) => {
    const body = { ...(input.code ? { code: input.code } : {}), ...(input.reason ? { reason: input.reason } : {}) };
    return toUpdate(await input.api.cancelVerification(input.id, body, auth(input, signal)));
  },
);

export const setupActors = {
  probe,
  startSignIn,
  sendCode,
  restartSignIn,
  submitCode,
  register,
  fetchSession,
  findIncoming,
  verifyRecoveryKey,
  resetRecoveryKey,
  confirmRecoveryKey,
  beginVerification,
  fetchVerification,
  startSas,
  confirmSas,
  confirmQrScanned,
  cancelVerification,
  submitScannedQr,
};
