/** Verifying this device from another one: choose, then emoji or QR, polling all along. */
import { assign, not } from 'xstate';
import { authed, flow, verificationInput, signInAgainIfUnauthorized } from '../flow.js';
import { routeFor } from '../routing.js';

/**
 * A verification action the server refused: a 409 means the state moved on under us (keep
 * polling and follow it); anything else stops the verification with the problem shown.
 */
const actionFailed = [
  signInAgainIfUnauthorized,
  { guard: 'isStateConflict', target: 'tracking.step.waitingForOtherDevice' },
  { target: 'failed', actions: 'recordProblem' },
] as const;

export const chooseMethod = flow.createStateConfig({
  initial: 'idle',
  // Each wait starts its backoff afresh: failures of an earlier wait say nothing about this one.
  entry: assign({ verification: undefined, sasConfirmed: false, sasStarted: false, pollFailures: 0 }),
  on: {
    CHOOSE_DEVICE: { target: 'deviceVerification', actions: ['clearProblem', assign({ incomingVerification: undefined })] },
    ACCEPT_INCOMING: { guard: 'hasIncoming', target: 'deviceVerification', actions: 'clearProblem' },
    CHOOSE_RECOVERY_KEY: { target: 'enterRecoveryKey', actions: 'clearProblem' },
    FORGOT_RECOVERY_KEY: { target: 'newRecoveryKey.warning', actions: ['clearProblem', assign({ newKeyReason: 'lost-key' as const })] },
  },
  states: {
    idle: { after: { pollDelay: 'checking' } },
    checking: {
      invoke: {
        src: 'findIncoming',
        input: ({ context }) => authed(context),
        onDone: [
          {
            // Verified elsewhere, or the server moved on: follow it.
            guard: ({ event }) => event.output.session.state !== 'needs-verification',
            target: '#setup.route',
            actions: assign({ session: ({ event }) => event.output.session, pollFailures: 0, problem: undefined }),
          },
          {
            target: 'idle',
            actions: assign({
              session: ({ event }) => event.output.session,
              incomingVerification: ({ event }) => event.output.incoming,
              pollFailures: 0,
              problem: undefined,
            }),
          },
        ],
        onError: [
          signInAgainIfUnauthorized,
          { target: 'idle', actions: 'notePollFailure' },
        ],
      },
    },
  },
});

export const deviceVerification = flow.createStateConfig({
  initial: 'entry',
  entry: assign({ pollFailures: 0 }),
  after: { waitTimeout: '#setup.timedOut' },
  on: {
    // Still running on the server (even after one of our calls failed): cancel it on the way out.
    BACK: [
      { guard: 'verificationIsLive', target: '.leaving', actions: ['clearProblem', assign({ leaveTo: 'chooseMethod' as const })] },
      { target: 'chooseMethod', actions: 'clearProblem' },
    ],
    USE_RECOVERY_KEY: [
      { guard: 'verificationIsLive', target: '.leaving', actions: ['clearProblem', assign({ leaveTo: 'enterRecoveryKey' as const })] },
      { target: 'enterRecoveryKey', actions: 'clearProblem' },
    ],
  },
  states: {
    /** Resume a verification the session already has, or begin one. */
    entry: {
      always: [
        { guard: ({ context }) => !!context.session?.verification && routeFor(context.session) === 'deviceVerification', target: 'route', actions: assign({ verification: ({ context }) => context.session?.verification }) },
        { target: 'beginning' },
      ],
    },
    beginning: {
      entry: assign({ verification: undefined, sasConfirmed: false, sasStarted: false }),
      invoke: {
        src: 'beginVerification',
        input: ({ context }) => ({ ...authed(context), incomingID: context.incomingVerification?.id }),
        onDone: {
          target: 'route',
          actions: [{ type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }, assign({ incomingVerification: undefined })],
        },
        onError: [
          signInAgainIfUnauthorized,
          { target: 'failed', actions: 'recordProblem' },
        ],
      },
    },
    /** Transient: the step the server's verification state calls for. */
    route: {
      always: [
        // The server stopped reporting it: follow the session instead of polling an unknown id.
        { guard: not('hasVerification'), target: '#setup.route' },
        { guard: { type: 'stepIs', params: { step: 'finished' } }, target: '#setup.route' },
        { guard: { type: 'stepIs', params: { step: 'failed' } }, target: 'failed' },
        { guard: { type: 'stepIs', params: { step: 'startingSas' } }, target: 'startingSas' },
        { guard: { type: 'stepIs', params: { step: 'showingQr' } }, target: 'tracking.step.showingQr' },
        { guard: { type: 'stepIs', params: { step: 'comparingEmojis' } }, target: 'tracking.step.comparingEmojis' },
        { guard: { type: 'stepIs', params: { step: 'waitingForOtherConfirm' } }, target: 'tracking.step.waitingForOtherConfirm' },
        { guard: { type: 'stepIs', params: { step: 'confirmingScan' } }, target: 'tracking.step.confirmingScan' },
        { target: 'tracking.step.waitingForOtherDevice' },
      ],
    },
    /** Every step that waits on a person keeps polling, so a cancel on the other side shows at once. */
    tracking: {
      type: 'parallel',
      states: {
        poll: {
          initial: 'idle',
          states: {
            idle: { after: { pollDelay: 'checking' } },
            checking: {
              invoke: {
                src: 'fetchVerification',
                input: verificationInput,
                onDone: {
                  target: '#setup.deviceVerification.route',
                  actions: [{ type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }, 'notePollSuccess'],
                },
                onError: [
                  signInAgainIfUnauthorized,
                  { target: 'idle', actions: 'notePollFailure' },
                ],
              },
            },
          },
        },
        step: {
          initial: 'waitingForOtherDevice',
          states: {
            waitingForOtherDevice: {},
            showingQr: {
              on: { SHOW_EMOJI: { guard: 'canStartSas', target: '#setup.deviceVerification.startingSas', actions: assign({ preferEmoji: true }) } },
            },
            comparingEmojis: {
              on: {
                MATCH: '#setup.deviceVerification.confirmingSas',
                NO_MATCH: { target: '#setup.deviceVerification.rejecting', actions: assign({ rejectCode: 'm.mismatched_sas' }) },
              },
            },
            waitingForOtherConfirm: {},
            confirmingScan: {
              on: {
                SCAN_CONFIRMED: '#setup.deviceVerification.confirmingScanned',
                SCAN_DENIED: { target: '#setup.deviceVerification.rejecting', actions: assign({ rejectCode: 'm.key_mismatch' }) },
              },
            },
          },
        },
      },
    },
    startingSas: {
      invoke: {
        src: 'startSas',
        input: verificationInput,
        onDone: {
          target: 'route',
          actions: [assign({ sasStarted: true }), { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }],
        },
        onError: actionFailed,
      },
    },
    confirmingSas: {
      invoke: {
        src: 'confirmSas',
        input: verificationInput,
        onDone: {
          target: 'route',
          actions: [assign({ sasConfirmed: true }), { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }],
        },
        onError: actionFailed,
      },
    },
    confirmingScanned: {
      invoke: {
        src: 'confirmQrScanned',
        input: verificationInput,
        onDone: { target: 'route', actions: { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) } },
        onError: actionFailed,
      },
    },
    /** The user said the other device does not match: tell the server, then show why it stopped. */
    rejecting: {
      invoke: {
        src: 'cancelVerification',
        input: ({ context }) => ({
          ...verificationInput({ context }),
          code: context.rejectCode,
          reason: context.rejectCode === 'm.mismatched_sas' ? 'The emojis did not match.' : 'The other device did not show success.',
        }),
        onDone: { target: 'failed', actions: { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) } },
        onError: [
          signInAgainIfUnauthorized,
          { target: 'failed', actions: 'recordProblem' },
        ],
      },
    },
    /** Stopped: the other side cancelled, a mismatch, a timeout, or a failed call. */
    failed: {
      // BACK and USE_RECOVERY_KEY are the parent's: they cancel only what is still live on the server.
      on: { RETRY: { target: 'beginning', actions: 'clearProblem' } },
    },
    /** The user walked away: cancel on the server so the other device stops waiting. */
    leaving: {
      // Already on the way out: a second Esc must not send a second cancel.
      on: { BACK: {}, USE_RECOVERY_KEY: {} },
      invoke: {
        src: 'cancelVerification',
        input: ({ context }) => ({ ...verificationInput({ context }), code: 'm.user', reason: 'Cancelled on this device.' }),
        // Keep the server's session: the one from before still shows the verification as live.
        onDone: [
          {
            guard: 'leavingForRecoveryKey',
            target: '#setup.enterRecoveryKey',
            actions: [{ type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }, 'noteCancelledByUs'],
          },
          {
            target: '#setup.chooseMethod',
            actions: [{ type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }, 'noteCancelledByUs'],
          },
        ],
        // Could not cancel (already gone, or offline): leave anyway; it times out on its own.
        onError: [{ guard: 'leavingForRecoveryKey', target: '#setup.enterRecoveryKey' }, { target: '#setup.chooseMethod' }],
      },
    },
  },
});
