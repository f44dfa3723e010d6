/**
 * The whole beeper-setup flow. The Ink wizard and the headless mode both
 * render this machine's snapshot and send it the user's answers; no flow
 * decision lives anywhere else. Every HTTP call is a named actor (actors.ts),
 * polling is states with `after` delays, server state decides the route
 * (routing.ts), and each state declares what it means to the front ends in
 * its `meta` (steps.ts), so a rerun resumes wherever the app stands.
 */
import { assign } from 'xstate';
import { authed, currentRoute, flow, OUTCOMES, problemOf, signInAgainIfUnauthorized, storeSession } from './flow.js';
import { ROUTES, type Route } from './routing.js';
import { signIn } from './states/signIn.js';
import { createRecoveryKey, enterRecoveryKey, newRecoveryKey, verifyingRecoveryKey } from './states/recoveryKey.js';
import { chooseMethod, deviceVerification, vouching } from './states/verification.js';
import { end, show, wait, type Phase } from './steps.js';
import { DEFAULT_LIMITS, type Notice, type PendingSignIn } from './types.js';

/**
 * A server wait: poll the session until its route changes. Each wait adds its own `after`
 * (--timeout, and when the front ends should say more than "waiting").
 */
const serverWait = (phase: Phase, route: Route) =>
  flow.createStateConfig({
    ...wait('waiting-server', phase, 'server'),
    initial: 'idle',
    entry: assign({ pollFailures: 0, stalled: false }),
    states: {
      idle: { after: { pollDelay: 'checking' } },
      checking: {
        invoke: {
          src: 'fetchSession',
          input: ({ context }) => authed(context),
          onDone: [
            {
              guard: ({ context, event }) => currentRoute(context, event.output) === route,
              target: 'idle',
              actions: [storeSession, 'notePollSuccess'],
            },
            { target: '#setup.route', actions: [storeSession, 'notePollSuccess'] },
          ],
          onError: [signInAgainIfUnauthorized, { target: 'idle', actions: 'notePollFailure' }],
        },
      },
    },
  });

export const setupMachine = flow.createMachine({
  id: 'setup',
  context: ({ input }) => ({
    api: input.api,
    persistence: input.persistence,
    mode: input.mode ?? 'setup',
    vouch: input.vouch ?? {},
    accessToken: input.accessToken,
    app: undefined,
    confirmedBeeper: false,
    signedInWithoutUs: false,
    session: undefined,
    email: input.email?.trim() || input.pendingSignIn?.email || '',
    // Only resumed for the same address: another --email starts over.
    ...resumable(input),
    codesSent: 0,
    resendReady: false,
    code: undefined,
    username: '',
    termsAccepted: false,
    recoveryKeyDraft: undefined,
    existingRecoveryKey: undefined,
    newRecoveryKey: undefined,
    newKeyFile: undefined,
    keyBaseline: undefined,
    newKeyReason: 'lost-key',
    resetFrom: 'chooseMethod',
    verification: undefined,
    scannedQr: undefined,
    incomingVerification: undefined,
    incomingChecked: false,
    sasConfirmed: false,
    sasStarted: false,
    preferEmoji: input.preferEmoji ?? false,
    qrRoom: undefined,
    qrChosen: false,
    leaveTo: 'chooseMethod',
    rejectCode: 'm.user',
    answerSource: 'typed',
    attempts: { recoveryKey: 0, presetVerifications: 0, signInRestarts: 0 },
    limits: { ...DEFAULT_LIMITS, ...input.limits },
    problem: undefined,
    notice: undefined,
    signInEndedBy: undefined,
    stalled: false,
    pollFailures: 0,
    pollIntervalMs: input.pollIntervalMs ?? 1000,
    maxPollBackoffMs: input.maxPollBackoffMs ?? 10_000,
    resendCooldownMs: input.resendCooldownMs ?? 30_000,
    waitTimeoutMs: input.waitTimeoutMs,
  }),
  initial: 'probing',
  // Ctrl-C stops watching; it never cancels anything on the server, so a rerun resumes.
  // A closed tunnel will not answer again: fail with what closed it rather than poll until --timeout.
  on: {
    INTERRUPT: '.interrupted',
    CONNECTION_CLOSED: { target: '.failed', actions: assign({ problem: ({ event }) => event.problem }) },
    QR_ROOM: { actions: 'noteQrRoom' },
  },
  // Which final state ended the run, from its done event: while the output is computed, `self`
  // still holds the snapshot from before the final transition.
  output: ({ context, event }) => ({
    outcome: OUTCOMES[event.type] ?? 'interrupted',
    session: context.session,
    ...(context.mode === 'vouch' ? { verification: context.verification } : {}),
  }),
  states: {
    probing: {
      ...wait('connecting', 'connect'),
      // --timeout bounds the first contact too: an app that never answers does not hold the run.
      after: { waitTimeout: '#setup.timedOut' },
      invoke: {
        src: 'probe',
        input: ({ context }) => authed(context),
        onDone: [
          {
            guard: ({ event }) => event.output.tokenRefused,
            target: 'route',
            actions: [
              assign({ app: ({ event }) => event.output.app, confirmedBeeper: true, signedInWithoutUs: true, accessToken: undefined, session: undefined, notice: 'token-refused' as Notice }),
              'forgetSavedToken',
            ],
          },
          {
            // We had a token, but the app has been signed out since: it is worthless now.
            guard: ({ context, event }) => !!context.accessToken && event.output.session?.state === 'needs-login',
            target: 'route',
            actions: [
              assign({ app: ({ event }) => event.output.app, confirmedBeeper: true, session: ({ event }) => event.output.session, accessToken: undefined, notice: 'signed-out' as Notice }),
              'forgetSavedToken',
            ],
          },
          {
            target: 'route',
            actions: assign({
              app: ({ event }) => event.output.app,
              // Beeper's /v1/info, or a session the contract describes: it is Beeper answering.
              confirmedBeeper: ({ event }) => !!event.output.app || !!event.output.session,
              session: ({ event }) => event.output.session,
              signedInWithoutUs: ({ event }) => event.output.signedInWithoutUs,
              problem: undefined,
            }),
          },
        ],
        onError: [
          {
            guard: 'notBeeper',
            target: 'failed',
            actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'not-beeper' as const }) }),
          },
          // Beeper answered before (a dropped call, a restart): keep trying until it is back or --timeout.
          { guard: ({ context }) => context.confirmedBeeper, target: 'reconnecting', actions: 'notePollFailure' },
          { target: 'failed', actions: 'recordProblem' },
        ],
      },
    },

    /** The connection broke after Beeper answered: poll until it answers again, then go where it says. */
    reconnecting: {
      ...wait('reconnecting', 'connect', 'server'),
      initial: 'idle',
      after: { waitTimeout: '#setup.timedOut' },
      states: {
        idle: { after: { pollDelay: 'checking' } },
        checking: {
          invoke: {
            src: 'probe',
            input: ({ context }) => authed(context),
            onDone: {
              target: '#setup.route',
              actions: assign({ app: ({ context, event }) => event.output.app ?? context.app, session: ({ context, event }) => event.output.session ?? context.session, pollFailures: 0, problem: undefined }),
            },
            onError: { target: 'idle', actions: 'notePollFailure' },
          },
        },
      },
    },

    /** A verification vanished from the server: read the session once and follow it. */
    resyncing: {
      ...wait('routing', 'encryption'),
      invoke: {
        src: 'fetchSession',
        input: ({ context }) => authed(context),
        onDone: { target: 'route', actions: storeSession },
        onError: [signInAgainIfUnauthorized, { target: 'reconnecting', actions: 'notePollFailure' }],
      },
    },

    /** Transient: picks the step the server's state calls for. */
    route: {
      ...wait('routing', 'connect'),
      always: [
        // The app was signed out under us (restarted, or signed in again elsewhere): the token is worthless.
        { guard: 'signedOutUnderUs', target: 'signIn', actions: ['forgetToken', 'forgetSavedToken'] },
        {
          guard: { type: 'routeIs', params: { to: 'notSetUp' } },
          target: 'failed',
          actions: assign({
            problem: ({ context }) => ({
              kind: 'not-set-up' as const,
              message:
                context.session?.state && context.session.state !== 'needs-login'
                  ? `This app is not set up yet (Beeper reports "${context.session.state}").`
                  : 'This app is not signed in, or beeper-setup has no access token for it.',
            }),
          }),
        },
        ...ROUTES.filter((to) => to !== 'notSetUp').map((to) => ({ guard: { type: 'routeIs' as const, params: { to } }, target: to })),
      ],
    },

    signIn,
    chooseMethod,
    enterRecoveryKey,
    verifyingRecoveryKey,
    createRecoveryKey,
    newRecoveryKey,
    deviceVerification,
    vouching,

    /** initializing: the app is starting encrypted messaging. */
    startingEncryption: {
      ...serverWait('encryption', 'startingEncryption'),
      after: { waitTimeout: '#setup.timedOut', startingEncryptionStall: { actions: 'markStalled' } },
    },
    /** needs-first-sync: the last wait before ready. */
    firstSync: {
      ...serverWait('finish', 'firstSync'),
      after: { waitTimeout: '#setup.timedOut', firstSyncStall: { actions: 'markStalled' } },
    },
    /** A state this version does not know: after a while, say this version may be older than the app. */
    waitingForServer: {
      ...serverWait('encryption', 'waitingForServer'),
      after: { waitTimeout: '#setup.timedOut', unknownStateStall: { actions: 'markStalled' } },
    },
    /**
     * The verification is done but the app still says needs-verification. It should take it in
     * within a poll or two; if not, say what the app reports and how to go on (never wait blind).
     */
    applyingVerification: {
      ...serverWait('encryption', 'applyingVerification'),
      after: { waitTimeout: '#setup.timedOut', verificationNotAppliedDelay: '#setup.verificationNotApplied' },
    },
    verificationNotApplied: {
      ...serverWait('encryption', 'applyingVerification'),
      ...show('verification-not-applied', 'encryption'),
      on: {
        CHOOSE_DEVICE: { target: 'deviceVerification', actions: ['clearProblem', assign({ verification: undefined, incomingVerification: undefined })] },
        USE_RECOVERY_KEY: { target: 'enterRecoveryKey', actions: 'clearProblem' },
        BACK: { target: 'chooseMethod', actions: 'clearProblem' },
      },
    },

    /** Something the flow cannot go around; RETRY asks the server where things stand. */
    failed: {
      ...show('failed', 'connect'),
      on: { RETRY: { target: 'probing', actions: ['clearProblem', assign({ stalled: false })] } },
    },
    ready: { ...end('ready', 'finish'), type: 'final' },
    vouched: { ...end('verified', 'finish'), type: 'final' },
    timedOut: { ...end('timed-out', 'finish'), type: 'final' },
    interrupted: { ...end('interrupted', 'finish'), type: 'final' },
  },
});

/** The sign-in an earlier run left, when it belongs to this run's address. */
function resumable(input: { email?: string | undefined; pendingSignIn?: PendingSignIn | undefined }) {
  const pending = input.pendingSignIn;
  const sameAddress = pending && (!input.email || input.email.trim().toLowerCase() === pending.email.toLowerCase());
  return {
    setupRequestID: sameAddress ? pending.setupRequestID : undefined,
    registration: sameAddress ? pending.registration : undefined,
  };
}

export type SetupMachine = typeof setupMachine;
