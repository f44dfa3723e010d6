/**
 * The machine's vocabulary, shared by every part of the flow: types, named
 * actors, guards, actions and delays. The states are in states/*.ts and the
 * assembled machine in setupMachine.ts.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { Session } from '../src/api/types.js';
import { checkRecoveryKey, describeRecoveryKeyProblem } from '../src/shared/recoveryKey.js';
import type { Secret } from '../src/shared/secret.js';
import { codeProblem, emailProblem, usernameProblem } from '../src/shared/validation.js';
import { setupActors, type VerificationUpdate } from './actors.js';
import { toProblem, type Problem } from './problems.js';
import { routeFor, verificationStepFor, type Route, type VerificationStep } from './routing.js';
import type { Notice, SetupContext, SetupEvent, SetupInput, SetupOutcome, SetupOutput } from './types.js';

export const OUTCOMES: Record<string, SetupOutcome> = {
  'xstate.done.state.setup.ready': 'ready',
  'xstate.done.state.setup.timedOut': 'timed-out',
  'xstate.done.state.setup.interrupted': 'interrupted',
};

/** setTimeout cannot wait longer than this; "no timeout" waits this long. */
export const MAX_DELAY_MS = 2 ** 31 - 1;
export const FINISHED_VERIFICATION = new Set(['done', 'cancelled', 'error']);

/** A key field left blank counts as no key. */
export const given = (key: Secret | undefined) => (key && key.reveal().trim() !== '' ? key : undefined);
export function notARecoveryKey(key: Secret): Problem {
  const check = checkRecoveryKey(key.reveal());
  const message = check.ok ? 'That is not a recovery key.' : describeRecoveryKeyProblem(check.reason);
  return { kind: 'rejected', code: 'NOT_A_RECOVERY_KEY', message };
}
export const errorOf = (event: unknown) => (event as { error?: unknown }).error;
export const problemOf = (event: unknown) => toProblem(errorOf(event));
export const verificationStep = (context: SetupContext): VerificationStep =>
  context.verification
    ? verificationStepFor(context.verification, {
        sasConfirmed: context.sasConfirmed,
        preferEmoji: context.preferEmoji,
        sasStarted: context.sasStarted,
      })
    : 'waitingForOtherDevice';
export const authed = (context: SetupContext) => ({ api: context.api, token: context.accessToken });
export const verificationInput = ({ context }: { context: SetupContext }) => ({ ...authed(context), id: context.verification?.id ?? '' });

export const flow = setup({
  types: {
    context: {} as SetupContext,
    events: {} as SetupEvent,
    input: {} as SetupInput,
    output: {} as SetupOutput,
  },
  actors: setupActors,
  guards: {
    routeIs: ({ context }, params: { to: Route }) => routeFor(context.session, context.verification) === params.to,
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
    hasIncoming: ({ context }) => !!context.incomingVerification,
    hasPendingSignIn: ({ context }) => !!context.setupRequestID && context.email !== '' && !context.accessToken,
    canStartSas: ({ context }) => !!context.verification?.availableActions.includes('sas.start'),
    mayChooseMethod: ({ context }) => context.session?.state === 'needs-verification',
    isUnauthorized: ({ event }) => problemOf(event).kind === 'unauthorized',
    signInIsGone: ({ event }) => {
      const problem = problemOf(event);
      return problem.kind === 'sign-in-expired' || problem.code === 'SETUP_REQUEST_NOT_FOUND';
    },
    setupRoutesMissing: ({ event }) => problemOf(event).status === 404,
    isRejected: ({ event }) => problemOf(event).kind === 'rejected',
    isStateConflict: ({ event }) => problemOf(event).status === 409,
    hasVerification: ({ context }) => !!context.verification,
    verificationIsLive: ({ context }) => !!context.verification && !FINISHED_VERIFICATION.has(context.verification.state),
    leavingForRecoveryKey: ({ context }) => context.leaveTo === 'enterRecoveryKey',
  },
  actions: {
    recordProblem: assign({ problem: ({ event }) => problemOf(event) }),
    clearProblem: assign({ problem: undefined, notice: undefined, pollFailures: 0 }),
    // The old setup request is spent too: signing in again starts a fresh one.
    forgetToken: assign({ accessToken: undefined, session: undefined, setupRequestID: undefined, notice: 'signed-out' as Notice, problem: undefined }),
    storeSession: assign({ session: (_, params: { session: Session }) => params.session }),
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
    /**
     * A code was mailed: the resend cooldown starts over as a delayed event rather than an
     * `after` on the code step, so checking a (wrong) code does not reset it.
     */
    startResendCooldown: enqueueActions(({ enqueue, context }) => {
      enqueue.assign({ codesSent: context.codesSent + 1, resendReady: false });
      enqueue.cancel('resendCooldown');
      enqueue.raise({ type: 'RESEND_READY' }, { delay: 'resendCooldown', id: 'resendCooldown' });
    }),
    noteCancelledByUs: assign({ verification: undefined, notice: 'verification-cancelled-by-us' as Notice }),
  },
  delays: {
    pollDelay: ({ context }) =>
      context.pollFailures === 0
        ? context.pollIntervalMs
        : Math.min(context.pollIntervalMs * 2 ** context.pollFailures, context.maxPollBackoffMs),
    resendCooldown: ({ context }) => context.resendCooldownMs,
    waitTimeout: ({ context }) => Math.min(context.waitTimeoutMs ?? MAX_DELAY_MS, MAX_DELAY_MS),
  },
});

/** Any call refused for a missing or revoked token: the token is worthless, sign in again. */
export const signInAgainIfUnauthorized = { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' } as const;
