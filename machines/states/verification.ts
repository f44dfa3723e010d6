/** Verifying a device from another one: choose, then emoji or QR, polling all along. */
import { and, assign, not } from 'xstate';
import { authed, currentRoute, flow, refuseInvalid, rereadIfConnectionLost, signInAgainIfUnauthorized, storeUpdate, verificationInput } from '../flow.js';
import { qrPayloadProblem } from '../../src/shared/validation.js';
import type { SetupEvent } from '../types.js';
import { ask, show, wait } from '../steps.js';

/**
 * A verification action the server refused: a 409 means the state moved on under us (keep
 * polling and follow it); anything else stops the verification with the problem shown.
 */
const actionFailed = [
  signInAgainIfUnauthorized,
  rereadIfConnectionLost,
  { guard: 'isStateConflict', target: 'tracking.step.waitingForOtherDevice' },
  { target: 'failed', actions: 'recordProblem' },
] as const;

/** Where "back" leads out of a verification: the method choice, or (vouching) the wait for a request. */
const backOut = [
  { guard: 'isVouching', target: '#setup.vouching', actions: 'clearProblem' },
  { target: '#setup.chooseMethod', actions: 'clearProblem' },
] as const;

/** Polls for an incoming request while a person chooses; follows the server if its route changes. */
const incomingPoll = (route: 'chooseMethod' | 'vouching') =>
  flow.createStateConfig({
    initial: 'idle',
    states: {
      idle: { after: { pollDelay: 'checking' } },
      checking: {
        invoke: {
          src: 'findIncoming',
          input: ({ context }) => ({ ...authed(context), mode: context.mode }),
          onDone: [
            {
              // Verified elsewhere, signed out, or the app moved on: follow it.
              guard: ({ context, event }) => currentRoute(context, event.output.session) !== route,
              target: '#setup.route',
              actions: assign({ session: ({ event }) => event.output.session, pollFailures: 0, problem: undefined }),
            },
            {
              target: 'idle',
              actions: assign({
                session: ({ event }) => event.output.session,
                incomingVerification: ({ event }) => event.output.incoming,
                incomingChecked: true,
                pollFailures: 0,
                problem: undefined,
              }),
            },
          ],
          onError: [signInAgainIfUnauthorized, { target: 'idle', actions: 'notePollFailure' }],
        },
      },
    },
  });

type SubmitQr = Extract<SetupEvent, { type: 'SUBMIT_QR' }>;
/** The other device's payload, scanned elsewhere, kept for qr/scan. */
const takeScannedQr = ['noteSource', 'takeScannedQr'] as const;

/** Starting a verification: a preset choice may only do it so often (a person may always). */
const tooManyPresetVerifications = { guard: 'presetVerificationsUsedUp', target: '#setup.failed', actions: 'noteVerificationsKeepEnding' } as const;
const startVerification = [
  tooManyPresetVerifications,
  { target: '#setup.deviceVerification', actions: ['clearProblem', 'noteSource', 'noteCompareMethod', 'countVerification', 'forgetIncoming'] },
] as const;
const acceptIncoming = [
  tooManyPresetVerifications,
  { guard: 'hasIncoming', target: '#setup.deviceVerification', actions: ['clearProblem', 'noteSource', 'noteCompareMethod', 'countVerification'] },
] as const;

export const chooseMethod = flow.createStateConfig({
  ...ask('choose-method', 'encryption'),
  // Each wait starts its backoff afresh: failures of an earlier wait say nothing about this one.
  entry: assign({ verification: undefined, sasConfirmed: false, sasStarted: false, pollFailures: 0, incomingChecked: false }),
  on: {
    CHOOSE_DEVICE: startVerification,
    ACCEPT_INCOMING: acceptIncoming,
    CHOOSE_RECOVERY_KEY: { target: 'enterRecoveryKey', actions: 'clearProblem' },
    FORGOT_RECOVERY_KEY: { target: 'newRecoveryKey.warning', actions: ['clearProblem', assign({ newKeyReason: 'lost-key' as const, resetFrom: 'chooseMethod' as const })] },
  },
  ...incomingPoll('chooseMethod'),
});

/** `verify`: this ready app waits for a request from the other device, or sends one (or takes a scanned QR). */
export const vouching = flow.createStateConfig({
  ...ask('awaiting-request', 'encryption'),
  entry: assign({ verification: undefined, sasConfirmed: false, sasStarted: false, pollFailures: 0, incomingChecked: false }),
  after: { waitTimeout: '#setup.timedOut' },
  on: {
    ACCEPT_INCOMING: acceptIncoming,
    REQUEST_VERIFICATION: startVerification,
  },
  ...incomingPoll('vouching'),
});

export const deviceVerification = flow.createStateConfig({
  initial: 'entry',
  entry: assign({ pollFailures: 0, stalled: false }),
  // On the parent: every poll passes through `route` and re-enters the steps, which would restart a step's timer.
  // The front ends only speak of a stall on the steps that wait for the other device.
  after: { waitTimeout: '#setup.timedOut', otherDeviceStall: { actions: 'markStalled' } },
  on: {
    // Still running on the server (even after one of our calls failed): cancel it on the way out.
    BACK: [
      { guard: 'verificationIsLive', target: '.leaving', actions: ['clearProblem', assign({ leaveTo: 'chooseMethod' as const })] },
      ...backOut,
    ],
    USE_RECOVERY_KEY: [
      { guard: 'isVouching', actions: [] },
      { guard: 'verificationIsLive', target: '.leaving', actions: ['clearProblem', assign({ leaveTo: 'enterRecoveryKey' as const })] },
      { target: 'enterRecoveryKey', actions: 'clearProblem' },
    ],
  },
  states: {
    /** Resume a verification the session already has, or begin one. */
    entry: {
      ...wait('routing', 'encryption'),
      always: [
        {
          guard: ({ context }) => !!context.session?.verification && currentRoute(context) === 'deviceVerification' && !context.incomingVerification,
          target: 'route',
          actions: assign({ verification: ({ context }) => context.session?.verification }),
        },
        { target: 'beginning' },
      ],
    },
    beginning: {
      ...wait('starting-verification', 'encryption'),
      entry: assign({ verification: undefined, sasConfirmed: false, sasStarted: false, qrChosen: false }),
      invoke: {
        src: 'beginVerification',
        input: ({ context }) => ({ ...authed(context), incomingID: context.incomingVerification?.id, mode: context.mode, userID: context.vouch.userID }),
        onDone: {
          target: 'route',
          actions: [storeUpdate, assign({ incomingVerification: undefined })],
        },
        onError: [signInAgainIfUnauthorized, rereadIfConnectionLost, { target: 'failed', actions: 'recordProblem' }],
      },
    },
    /** Transient: the step the server's verification calls for. */
    route: {
      ...wait('routing', 'encryption'),
      always: [
        // The server stopped reporting it: follow the session instead of polling an unknown id.
        { guard: not('hasVerification'), target: '#setup.route' },
        { guard: { type: 'stepIs', params: { step: 'finished' } }, target: '#setup.route' },
        { guard: { type: 'stepIs', params: { step: 'failed' } }, target: 'failed' },
        // vouch, scanning the other device's code elsewhere: ask for its payload once it shows one.
        { guard: 'awaitsScannedQr', target: 'tracking.step.enteringQr' },
        { guard: { type: 'stepIs', params: { step: 'startingSas' } }, target: 'startingSas' },
        // A QR code the window cannot show whole is not offered first: emojis are, the code a key away.
        { guard: 'offerEmojiFirst', target: 'tracking.step.offeringEmoji' },
        { guard: { type: 'stepIs', params: { step: 'showingQr' } }, target: 'tracking.step.showingQr' },
        { guard: { type: 'stepIs', params: { step: 'comparingEmojis' } }, target: 'tracking.step.comparingEmojis' },
        { guard: { type: 'stepIs', params: { step: 'waitingForOtherConfirm' } }, target: 'tracking.step.waitingForOtherConfirm' },
        { guard: { type: 'stepIs', params: { step: 'confirmingScan' } }, target: 'tracking.step.confirmingScan' },
        { target: 'tracking.step.waitingForOtherDevice' },
      ],
    },
    /** Every step that waits on a person keeps polling, so a cancel on the other side shows at once. */
    tracking: {
      ...wait('waiting-other-device', 'encryption', 'other-device'),
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
                  actions: [storeUpdate, 'notePollSuccess'],
                },
                onError: [
                  signInAgainIfUnauthorized,
                  // The server no longer knows this id: read the session and go where it says.
                  { guard: 'isNotFound', target: '#setup.resyncing', actions: assign({ verification: undefined }) },
                  { target: 'idle', actions: 'notePollFailure' },
                ],
              },
            },
          },
        },
        step: {
          initial: 'waitingForOtherDevice',
          states: {
            waitingForOtherDevice: wait('waiting-other-device', 'encryption', 'other-device'),
            showingQr: {
              ...wait('showing-qr', 'encryption', 'other-device'),
              on: {
                SHOW_EMOJI: { guard: 'canStartSas', target: '#setup.deviceVerification.startingSas', actions: assign({ preferEmoji: true }) },
                SUBMIT_QR: { guard: and(['isVouching', 'qrPayloadGiven']), target: '#setup.deviceVerification.submittingQr', actions: takeScannedQr },
                // A window that shrank or grew: offer what fits now.
                QR_ROOM: { target: '#setup.deviceVerification.route', actions: 'noteQrRoom' },
              },
            },
            /** The QR code is on offer but too big for the window: emojis first, the code one key away. */
            offeringEmoji: {
              ...ask('offer-emoji', 'encryption'),
              on: {
                SHOW_EMOJI: { guard: 'canStartSas', target: '#setup.deviceVerification.startingSas', actions: assign({ preferEmoji: true }) },
                SHOW_QR: { target: '#setup.deviceVerification.route', actions: assign({ qrChosen: true }) },
                QR_ROOM: { target: '#setup.deviceVerification.route', actions: 'noteQrRoom' },
              },
            },
            comparingEmojis: {
              ...ask('compare-emojis', 'encryption'),
              on: {
                MATCH: '#setup.deviceVerification.confirmingSas',
                NO_MATCH: { target: '#setup.deviceVerification.rejecting', actions: assign({ rejectCode: 'm.mismatched_sas' }) },
              },
            },
            waitingForOtherConfirm: wait('waiting-other-confirm', 'encryption', 'other-device-confirm'),
            /** vouch: the other device shows its code now; its payload, scanned with another app, is asked for. */
            enteringQr: {
              ...ask('qr-payload', 'encryption'),
              on: {
                SUBMIT_QR: [
                  { guard: 'qrPayloadGiven', target: '#setup.deviceVerification.submittingQr', actions: takeScannedQr },
                  ...refuseInvalid<SubmitQr>('qr-file', (event) => ({
                    problem: { kind: 'rejected', code: 'INVALID_QR_CODE', message: qrPayloadProblem(event.data.reveal())! },
                  })),
                ],
              },
            },
            confirmingScan: {
              ...ask('confirm-scan', 'encryption'),
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
      ...wait('starting-sas', 'encryption'),
      invoke: {
        src: 'startSas',
        input: verificationInput,
        onDone: {
          target: 'route',
          actions: [assign({ sasStarted: true }), storeUpdate],
        },
        onError: actionFailed,
      },
    },
    confirmingSas: {
      ...wait('confirming-sas', 'encryption'),
      invoke: {
        src: 'confirmSas',
        input: verificationInput,
        onDone: {
          target: 'route',
          actions: [assign({ sasConfirmed: true }), storeUpdate],
        },
        onError: actionFailed,
      },
    },
    confirmingScanned: {
      ...wait('confirming-scan', 'encryption'),
      invoke: {
        src: 'confirmQrScanned',
        input: verificationInput,
        onDone: { target: 'route', actions: storeUpdate },
        onError: actionFailed,
      },
    },
    /** vouch: the other device's QR code, scanned elsewhere, is submitted (qr/scan). */
    submittingQr: {
      ...wait('submitting-qr', 'encryption'),
      invoke: {
        src: 'submitScannedQr',
        input: ({ context }) => ({ ...authed(context), data: context.scannedQr! }),
        onDone: {
          target: 'route',
          // Submitted once: the payload is not asked for again for this verification.
          actions: [storeUpdate, assign({ scannedQr: undefined, vouch: ({ context }) => ({ ...context.vouch, scanQr: false }) })],
        },
        // A refused scan ends the verification (its keys did not match): a new one shows a new code.
        onError: [signInAgainIfUnauthorized, rereadIfConnectionLost, { target: 'failed', actions: ['recordProblem', assign({ scannedQr: undefined })] }],
      },
    },
    /** The user said the other device does not match: tell the server, then show why it stopped. */
    rejecting: {
      ...wait('rejecting', 'encryption'),
      invoke: {
        src: 'cancelVerification',
        input: ({ context }) => ({
          ...verificationInput({ context }),
          code: context.rejectCode,
          reason: context.rejectCode === 'm.mismatched_sas' ? 'The emojis did not match.' : 'The other device did not show success.',
        }),
        onDone: { target: 'failed', actions: storeUpdate },
        onError: [
          signInAgainIfUnauthorized,
          // `code` and `reason` are optional in the contract: a server that refuses them gets a bare cancel.
          { guard: 'isRejected', target: 'rejectingPlainly' },
          { target: 'failed', actions: 'recordProblem' },
        ],
      },
    },
    rejectingPlainly: {
      ...wait('rejecting', 'encryption'),
      invoke: {
        src: 'cancelVerification',
        input: verificationInput,
        onDone: { target: 'failed', actions: storeUpdate },
        onError: [signInAgainIfUnauthorized, { target: 'failed', actions: 'recordProblem' }],
      },
    },
    /** Stopped: the other side cancelled, a mismatch, a timeout, or a failed call. */
    failed: {
      ...show('verification-failed', 'encryption'),
      // BACK and USE_RECOVERY_KEY are the parent's: they cancel only what is still live on the server.
      on: { RETRY: { target: 'beginning', actions: 'clearProblem' } },
    },
    /** The user walked away: cancel on the server so the other device stops waiting. */
    leaving: {
      ...wait('cancelling', 'encryption'),
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
            actions: [storeUpdate, 'noteCancelledByUs'],
          },
          {
            guard: 'isVouching',
            target: '#setup.vouching',
            actions: [storeUpdate, 'noteCancelledByUs'],
          },
          {
            target: '#setup.chooseMethod',
            actions: [storeUpdate, 'noteCancelledByUs'],
          },
        ],
        // Could not cancel (already gone, or offline): leave anyway; it times out on its own.
        onError: [{ guard: 'leavingForRecoveryKey', target: '#setup.enterRecoveryKey' }, ...backOut],
      },
    },
  },
});
