/**
 * The machine's vocabulary, shared by every part of the flow: types, named
 * actors, guards, actions and delays. The states are in states/*.ts and the
 * assembled machine in setupMachine.ts.
 */
import { assign, cancel, raise, setup } from 'xstate';
import type { Session } from '../src/api/types.js';
import { qrModuleCount } from '../src/shared/qr.js';
import { checkRecoveryKey, describeRecoveryKeyProblem } from '../src/shared/recoveryKey.js';
import type { Secret } from '../src/shared/secret.js';
import { codeProblem, emailProblem, qrPayloadProblem, usernameProblem } from '../src/shared/validation.js';
import { setupActors, type VerificationUpdate } from './actors.js';
import { toProblem, type PresetAnswer, type Problem } from './problems.js';
import { isFinished, routeFor, verificationStep, type Route, type VerificationStep } from './routing.js';
import type { StepMeta } from './steps.js';
import type { Notice, PendingSignIn, SetupContext, SetupEvent, SetupInput, SetupOutcome, SetupOutput } from './types.js';

export const OUTCOMES: Record<string, SetupOutcome> = {
  'xstate.done.state.setup.ready': 'ready',
  'xstate.done.state.setup.vouched': 'vouched',
  'xstate.done.state.setup.timedOut': 'timed-out',
  'xstate.done.state.setup.interrupted': 'interrupted',
};

/** setTimeout cannot wait longer than this; "no timeout" waits this long. */
export const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * How long a wait may last before the front ends say more than "waiting", by what
 * the app reports. A verification that is done but not taken in should be taken
 * in within a poll or two; starting encryption and a first sync take longer.
 */
export const STALL_MS = {
  verificationNotApplied: 5_000,
  startingEncryption: 60_000,
  firstSync: 5 * 60_000,
  unknownState: 60_000,
  otherDevice: 2 * 60_000,
} as const;

/** A key field left blank counts as no key. */
export const given = (key: Secret | undefined) => (key && key.reveal().trim() !== '' ? key : undefined);
export function notARecoveryKey(key: Secret): Problem {
  const check = checkRecoveryKey(key.reveal());
  const message = check.ok ? 'That is not a recovery key.' : describeRecoveryKeyProblem(check.reason);
  return { kind: 'rejected', code: 'NOT_A_RECOVERY_KEY', message };
}
/** The key as the spec writes it (groups of four): what is sent, however it was typed or pasted. */
export const normalizedKey = (key: Secret) => {
  const check = checkRecoveryKey(key.reveal());
  return check.ok ? check.normalized : key.reveal();
};
export const errorOf = (event: unknown) => (event as { error?: unknown }).error;
export const problemOf = (event: unknown) => toProblem(errorOf(event));
/** The QR code on offer fits what the front end can draw whole (QR_ROOM), or the user asked for it anyway. */
export function qrFits(context: SetupContext): boolean {
  const qr = context.verification?.qr;
  return context.qrChosen || context.qrRoom === undefined || !qr || qrModuleCount(qr.data) <= context.qrRoom;
}
export const currentRoute = (context: SetupContext, session: Session | undefined = context.session): Route =>
  routeFor(session, context.verification, context.mode);
export const authed = (context: SetupContext) => ({ api: context.api, token: context.accessToken });
export const verificationInput = ({ context }: { context: SetupContext }) => ({ ...authed(context), id: context.verification?.id ?? '' });
const sourceOf = (event: SetupEvent) => ('source' in event && event.source) || 'typed';

export const flow = setup({
  types: {
    context: {} as SetupContext,
    events: {} as SetupEvent,
    input: {} as SetupInput,
    output: {} as SetupOutput,
    meta: {} as StepMeta,
  },
  actors: setupActors,
  guards: {
    routeIs: ({ context }, params: { to: Route }) => currentRoute(context) === params.to,
    stepIs: ({ context }, params: { step: VerificationStep }) => verificationStep(context) === params.step,
    emailIsValid: ({ event }) => event.type === 'SUBMIT_EMAIL' && !emailProblem(event.email),
    codeIsValid: ({ event }) => event.type === 'SUBMIT_CODE' && !codeProblem(event.code.reveal()),
    usernameIsValid: ({ event }) => event.type === 'SUBMIT_USERNAME' && !usernameProblem(event.username),
    recoveryKeyIsValid: ({ event }) => event.type === 'SUBMIT_RECOVERY_KEY' && checkRecoveryKey(event.recoveryKey.reveal()).ok,
    /** No old key (or a blank one) is fine for a reset; a given one must at least be well-formed. */
    existingKeyIsUsable: ({ event }) => {
      if (event.type !== 'CONFIRM_RESET') return false;
      const key = given(event.existingRecoveryKey);
      return !key || checkRecoveryKey(key.reveal()).ok;
    },
    /** The answer in this event was given up front, not typed: nobody can correct it. */
    isPresetAnswer: ({ event }) => sourceOf(event) === 'preset',
    /** The server refused an answer that nobody can retype: stop and say which one. */
    presetRefused: ({ context, event }) => {
      const kind = problemOf(event).kind;
      return context.answerSource === 'preset' && (kind === 'rejected' || kind === 'unauthorized');
    },
    hasIncoming: ({ context }) => !!context.incomingVerification,
    hasSetupRequest: ({ context }) => !!context.setupRequestID,
    hasPendingSignIn: ({ context }) => !!context.setupRequestID && context.email !== '' && !context.accessToken,
    hasPendingRegistration: ({ context }) => !!context.registration && !context.accessToken,
    canStartSas: ({ context }) => !!context.verification?.availableActions.includes('sas.start'),
    /** The QR code is due, but too big for what the front end can draw whole: offer emojis first (when the server takes sas.start). */
    offerEmojiFirst: ({ context }) => verificationStep(context) === 'showingQr' && !qrFits(context) && !!context.verification?.availableActions.includes('sas.start'),
    mayChooseMethod: ({ context }) => context.session?.state === 'needs-verification',
    isUnauthorized: ({ event }) => problemOf(event).kind === 'unauthorized',
    /** The sign-in request died (too many wrong codes, expired, unknown, or its lead token refused). */
    signInIsGone: ({ event }) => {
      const problem = problemOf(event);
      return problem.kind === 'sign-in-expired' || problem.status === 404 || problem.code === 'SETUP_REQUEST_NOT_FOUND' || problem.code === 'INVALID_LEAD_TOKEN';
    },
    /** 409 on the code: this sign-in is in no state to take one (already used). */
    codeNotExpected: ({ event }) => problemOf(event).status === 409,
    /** 409 while the app is signed in without a token of ours: another account holds it. */
    signedInElsewhere: ({ context, event }) => problemOf(event).status === 409 && context.signedInWithoutUs,
    /** The flow may still start a sign-in over by itself (it mails a new code); past the limit a person decides. */
    mayRestartSignIn: ({ context }) => context.attempts.signInRestarts < context.limits.signInRestarts,
    setupRoutesMissing: ({ event }) => problemOf(event).status === 404,
    /** No /v1/info, and the setup API answered with nothing it documents: not Beeper. */
    notBeeper: ({ context, event }) => {
      const problem = problemOf(event);
      return !context.app && (problem.status === 404 || problem.status === 405 || problem.kind === 'invalid-response');
    },
    isRejected: ({ event }) => problemOf(event).kind === 'rejected',
    isStateConflict: ({ event }) => problemOf(event).status === 409,
    isNotFound: ({ event }) => problemOf(event).status === 404,
    /** The call's fate is unknown: the connection broke after Beeper had answered before. Re-read, don't guess. */
    connectionLost: ({ context, event }) => problemOf(event).kind === 'unreachable' && context.confirmedBeeper,
    hasVerification: ({ context }) => !!context.verification,
    verificationIsLive: ({ context }) => !!context.verification && !isFinished(context.verification),
    leavingForRecoveryKey: ({ context }) => context.leaveTo === 'enterRecoveryKey',
    isVouching: ({ context }) => context.mode === 'vouch',
    /**
     * vouch, scanning the other device's code elsewhere: once both sides took the verification up,
     * the other device shows its code, so its payload is asked for (not before: it does not exist yet).
     */
    awaitsScannedQr: ({ context }) =>
      context.mode === 'vouch' &&
      !!context.vouch.scanQr &&
      !!context.verification &&
      context.verification.state !== 'requested' &&
      !isFinished(context.verification),
    qrPayloadGiven: ({ event }) => event.type === 'SUBMIT_QR' && !qrPayloadProblem(event.data.reveal()),
    /** Another wrong key would pass the limit: the run stops asking. */
    lastRecoveryKeyAttempt: ({ context }) => context.attempts.recoveryKey + 1 >= context.limits.recoveryKeyAttempts,
    /** A preset choice (not a person) keeps starting verifications that end unfinished. */
    presetVerificationsUsedUp: ({ context, event }) =>
      sourceOf(event) === 'preset' && context.attempts.presetVerifications >= context.limits.presetVerifications,
    /** We held a token, and the app says nobody is signed in: it was signed out under us. */
    signedOutUnderUs: ({ context }) => !!context.accessToken && context.session?.state === 'needs-login',
  },
  actions: {
    recordProblem: assign({ problem: ({ event }) => problemOf(event) }),
    noteSignedInElsewhere: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'already-signed-in' as const }) }),
    /** The refused answer came from a flag or a file: the problem says which, and the run ends on it. */
    recordPresetProblem: assign({ problem: ({ event }, params: { answer: PresetAnswer }) => ({ ...problemOf(event), preset: params.answer }) }),
    clearProblem: assign({ problem: undefined, notice: undefined, pollFailures: 0 }),
    noteSource: assign({ answerSource: ({ event }) => sourceOf(event) }),
    // The old setup request is spent too: signing in again starts a fresh one. (Pair with forgetSavedToken.)
    forgetToken: assign({ accessToken: undefined, session: undefined, setupRequestID: undefined, notice: 'signed-out' as Notice, problem: undefined }),
    storeSession: assign({ session: (_, params: { session: Session }) => params.session }),
    /** An answer refused before anything is sent (refuseInvalid): the problem, and what was typed, kept for editing. */
    refuseAnswer: assign((_, params: RefusedAnswer) => ({ ...params.keep, problem: params.problem })),
    storeUpdate: assign((_, params: { update: VerificationUpdate }) => ({
      session: params.update.session,
      verification: params.update.verification,
      pollFailures: 0,
    })),
    notePollFailure: assign({
      pollFailures: ({ context }) => context.pollFailures + 1,
      problem: ({ event }) => problemOf(event),
    }),
    notePollSuccess: assign({ pollFailures: 0, problem: undefined }),
    markStalled: assign({ stalled: true }),
    /** vouch: the other device's payload, scanned elsewhere, kept for qr/scan. */
    takeScannedQr: assign({ scannedQr: ({ context, event }) => (event.type === 'SUBMIT_QR' ? event.data : context.scannedQr), problem: undefined }),
    noteQrRoom: assign({ qrRoom: ({ context, event }) => (event.type === 'QR_ROOM' ? event.modules : context.qrRoom) }),
    noteConnectionLost: assign({ notice: 'connection-lost' as Notice, problem: ({ event }) => problemOf(event) }),
    /**
     * A code was mailed: the resend cooldown starts over as a delayed event rather than an
     * `after` on the code step, so checking a (wrong) code does not reset it.
     */
    countMailedCode: assign({ codesSent: ({ context }) => context.codesSent + 1, resendReady: false }),
    stopResendCooldown: cancel('resendCooldown'),
    startResendCooldown: raise({ type: 'RESEND_READY' }, { delay: 'resendCooldown', id: 'resendCooldown' }),
    /** A verification is being started: a preset choice counts against its limit; a chosen method drops the offer. */
    countVerification: assign({
      attempts: ({ context, event }) =>
        sourceOf(event) === 'preset' ? { ...context.attempts, presetVerifications: context.attempts.presetVerifications + 1 } : context.attempts,
    }),
    forgetIncoming: assign({ incomingVerification: undefined }),
    /** The person chose how to compare: emojis, or the QR code first. */
    noteCompareMethod: assign({
      preferEmoji: ({ context, event }) => ('method' in event && event.method ? event.method === 'emoji' : context.preferEmoji),
    }),
    /** The server ended the sign-in and the flow starts it over, mailing a new code: counted against its limit. */
    noteSignInRestart: assign({
      notice: 'sign-in-restarted' as Notice,
      // Why the old sign-in ended belongs to the notice, not to the new sign-in's code field.
      signInEndedBy: ({ event }) => problemOf(event),
      problem: undefined,
      attempts: ({ context }) => ({ ...context.attempts, signInRestarts: context.attempts.signInRestarts + 1 }),
    }),
    noteVerificationsKeepEnding: assign({
      problem: { kind: 'verification-keeps-ending' as const, message: 'The verification with your other device keeps ending unfinished.' },
    }),
    noteCancelledByUs: assign({ verification: undefined, notice: 'verification-cancelled-by-us' as Notice }),
    // Persistence goes through the input's `persistence` (src/tokenKeeper.ts for a run): the machine says what changed, it writes.
    /** Sign-in produced a token worth keeping for the next run. */
    rememberToken: ({ context }, params: { token: Secret }) => context.persistence.rememberToken(params.token),
    /** The token we held was refused or signed out: a saved copy is worthless. */
    forgetSavedToken: ({ context }) => context.persistence.forgetSavedToken(),
    /** A mailed code (or a registration) outlives this run; `undefined` once signed in. */
    rememberPendingSignIn: ({ context }, params: { pending: PendingSignIn | undefined }) => context.persistence.rememberPendingSignIn(params.pending),
    /** What became of the new key in `path` once a lost confirm answer was cleared up: taken (`active`) or not (`written`). */
    rememberKeyFileState: ({ context }, params: { path: string | undefined; state: 'written' | 'active' }) =>
      context.persistence.rememberKeyFileState(params.path, params.state),
  },
  delays: {
    pollDelay: ({ context }) =>
      context.pollFailures === 0
        ? context.pollIntervalMs
        : Math.min(context.pollIntervalMs * 2 ** context.pollFailures, context.maxPollBackoffMs),
    resendCooldown: ({ context }) => context.resendCooldownMs,
    waitTimeout: ({ context }) => Math.min(context.waitTimeoutMs ?? MAX_DELAY_MS, MAX_DELAY_MS),
    verificationNotAppliedDelay: STALL_MS.verificationNotApplied,
    startingEncryptionStall: STALL_MS.startingEncryption,
    firstSyncStall: STALL_MS.firstSync,
    unknownStateStall: STALL_MS.unknownState,
    otherDeviceStall: STALL_MS.otherDevice,
  },
});

/** Keeps the session a call answered (its done event's output). */
export const storeSession = { type: 'storeSession', params: ({ event }: { event: { output: Session } }) => ({ session: event.output }) } as const;
/** Keeps what a verification call answered: the session and the verification. */
export const storeUpdate = { type: 'storeUpdate', params: ({ event }: { event: { output: VerificationUpdate } }) => ({ update: event.output }) } as const;

/** What a refused answer leaves in the context: the problem, and what was typed (to edit it). */
export interface RefusedAnswer {
  problem: Problem;
  keep?: Partial<Pick<SetupContext, 'email' | 'username' | 'recoveryKeyDraft'>>;
}

/**
 * An answer that cannot be right, refused before anything is sent. Typed, it stays on its step
 * with the problem under the field; given up front (a flag, a file, a variable), nobody can retype
 * it, so the run stops on it, saying which answer it was. The last transitions of an answer's event.
 */
export function refuseInvalid<E extends SetupEvent>(answer: PresetAnswer, refusal: (event: E) => RefusedAnswer) {
  return [
    {
      guard: 'isPresetAnswer',
      target: '#setup.failed',
      actions: {
        type: 'refuseAnswer',
        params: ({ event }: { event: E }) => {
          const refused = refusal(event);
          return { ...refused, problem: { ...refused.problem, preset: answer } };
        },
      },
    },
    { actions: { type: 'refuseAnswer', params: ({ event }: { event: E }) => refusal(event) } },
  ] as const;
}

/** Any call refused for a missing or revoked token: the token is worthless, sign in again. */
export const signInAgainIfUnauthorized = { guard: 'isUnauthorized', target: '#setup.signIn', actions: ['forgetToken', 'forgetSavedToken'] } as const;
/** The app is signed in to another account, which the setup API cannot sign out: stop and say so. */
export const stopIfSignedInElsewhere = { guard: 'signedInElsewhere', target: '#setup.failed', actions: 'noteSignedInElsewhere' } as const;
/** A call whose connection broke after Beeper answered before: re-read where things stand. */
export const rereadIfConnectionLost = { guard: 'connectionLost', target: '#setup.reconnecting', actions: 'noteConnectionLost' } as const;
