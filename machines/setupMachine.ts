/**
 * The whole beeper-setup flow. The Ink wizard and the headless mode both
 * render this machine's snapshot and send it the user's answers; no flow
 * decision lives anywhere else. Every HTTP call is a named actor (actors.ts),
 * polling is states with `after` delays, and server state decides the route
 * (routing.ts), so a rerun resumes wherever the app stands.
 */
import { assign } from 'xstate';
import { authed, flow, OUTCOMES, signInAgainIfUnauthorized } from './flow.js';
import { ROUTES, routeFor } from './routing.js';
import { signIn } from './states/signIn.js';
import { createRecoveryKey, enterRecoveryKey, newRecoveryKey, verifyingRecoveryKey } from './states/recoveryKey.js';
import { chooseMethod, deviceVerification } from './states/verification.js';
import type { Notice } from './types.js';

export type * from './types.js';

export const setupMachine = flow.createMachine({
  id: 'setup',
  context: ({ input }) => ({
    api: input.api,
    accessToken: input.accessToken,
    app: undefined,
    session: undefined,
    email: input.email?.trim() || input.pendingSignIn?.email || '',
    // Only resumed for the same address: another --email starts over.
    setupRequestID: !input.email || input.email.trim() === input.pendingSignIn?.email ? input.pendingSignIn?.setupRequestID : undefined,
    codesSent: 0,
    resendReady: false,
    code: undefined,
    registration: undefined,
    username: '',
    recoveryKeyDraft: undefined,
    existingRecoveryKey: undefined,
    newRecoveryKey: undefined,
    newKeyReason: 'lost-key',
    verification: undefined,
    incomingVerification: undefined,
    sasConfirmed: false,
    sasStarted: false,
    preferEmoji: input.preferEmoji ?? false,
    leaveTo: 'chooseMethod',
    rejectCode: 'm.user',
    problem: undefined,
    notice: undefined,
    pollFailures: 0,
    pollIntervalMs: input.pollIntervalMs ?? 1000,
    maxPollBackoffMs: input.maxPollBackoffMs ?? 10_000,
    resendCooldownMs: input.resendCooldownMs ?? 30_000,
    waitTimeoutMs: input.waitTimeoutMs,
  }),
  initial: 'probing',
  // Ctrl-C stops watching; it never cancels anything on the server, so a rerun resumes.
  on: { INTERRUPT: '.interrupted' },
  // Which final state ended the run, from its done event: while the output is computed, `self`
  // still holds the snapshot from before the final transition.
  output: ({ context, event }) => ({ outcome: OUTCOMES[event.type] ?? 'interrupted', session: context.session }),
  states: {
    probing: {
      invoke: {
        src: 'probe',
        input: ({ context }) => authed(context),
        onDone: [
          {
            guard: ({ event }) => event.output.tokenRefused,
            target: 'signIn',
            actions: assign({ app: ({ event }) => event.output.app, accessToken: undefined, notice: 'token-refused' as Notice }),
          },
          {
            // We had a token, but the app has been signed out since: it is worthless now.
            guard: ({ context, event }) => !!context.accessToken && event.output.session?.state === 'needs-login',
            target: 'signIn',
            actions: assign({ app: ({ event }) => event.output.app, session: ({ event }) => event.output.session, accessToken: undefined, notice: 'signed-out' as Notice }),
          },          {
            target: 'route',
            actions: assign({ app: ({ event }) => event.output.app, session: ({ event }) => event.output.session, problem: undefined }),
          },
        ],
        onError: { target: 'failed', actions: 'recordProblem' },
      },
    },

    /** Transient: picks the step the server's state calls for. */
    route: {
      always: ROUTES.map((to) => ({ guard: { type: 'routeIs' as const, params: { to } }, target: to })),
    },

    signIn,
    chooseMethod,
    enterRecoveryKey,
    verifyingRecoveryKey,
    createRecoveryKey,
    newRecoveryKey,
    deviceVerification,

    /** initializing, first sync, or a state this version does not know: poll until it moves. */
    waitingForServer: {
      initial: 'idle',
      entry: assign({ pollFailures: 0 }),
      after: { waitTimeout: '#setup.timedOut' },
      states: {
        idle: { after: { pollDelay: 'checking' } },
        checking: {
          invoke: {
            src: 'fetchSession',
            input: ({ context }) => authed(context),
            onDone: [
              {
                guard: ({ context, event }) => routeFor(event.output, context.verification) === 'waitingForServer',
                target: 'idle',
                actions: [{ type: 'storeSession', params: ({ event }) => ({ session: event.output }) }, 'notePollSuccess'],
              },
              { target: '#setup.route', actions: [{ type: 'storeSession', params: ({ event }) => ({ session: event.output }) }, 'notePollSuccess'] },
            ],
            onError: [
              signInAgainIfUnauthorized,
              { target: 'idle', actions: 'notePollFailure' },
            ],
          },
        },
      },
    },

    /** Something the flow cannot go around; RETRY asks the server where things stand. */
    failed: {
      on: { RETRY: { target: 'probing', actions: 'clearProblem' } },
    },
    ready: { type: 'final' },
    timedOut: { type: 'final' },
    interrupted: { type: 'final' },
  },
});

export type SetupMachine = typeof setupMachine;