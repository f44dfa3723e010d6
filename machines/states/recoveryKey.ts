/** The recovery key: enter it, or make a new one (shown once, confirmed saved). */
import { and, assign } from 'xstate';
import { Secret } from '../../src/shared/secret.js';
import { authed, flow, given, normalizedKey, notARecoveryKey, problemOf, refuseInvalid, rereadIfConnectionLost, signInAgainIfUnauthorized } from '../flow.js';
import { ask, show, wait } from '../steps.js';
import { confirmOutcome } from '../newKeyOutcome.js';
import type { Notice, SetupEvent } from '../types.js';
import { keyNotActivated, keyOutcomeUnknown } from '../../src/wording/newKey.js';

export const enterRecoveryKey = flow.createStateConfig({
  ...ask('recovery-key', 'encryption'),
  on: {
    SUBMIT_RECOVERY_KEY: [
      {
        guard: 'recoveryKeyIsValid',
        target: 'verifyingRecoveryKey',
        actions: ['noteSource', assign({ recoveryKeyDraft: ({ event }) => event.recoveryKey, problem: undefined })],
      },
      ...refuseInvalid<Extract<SetupEvent, { type: 'SUBMIT_RECOVERY_KEY' }>>('recovery-key', (event) => ({
        problem: notARecoveryKey(event.recoveryKey),
        keep: { recoveryKeyDraft: event.recoveryKey },
      })),
    ],
    FORGOT_RECOVERY_KEY: {
      target: 'newRecoveryKey.warning',
      actions: [
        'clearProblem',
        assign({
          newKeyReason: 'lost-key' as const,
          resetFrom: 'enterRecoveryKey' as const,
          recoveryKeyDraft: ({ context, event }) => event.draft ?? context.recoveryKeyDraft,
        }),
      ],
    },
    BACK: { guard: 'mayChooseMethod', target: 'chooseMethod', actions: 'clearProblem' },
  },
});

export const verifyingRecoveryKey = flow.createStateConfig({
  ...wait('verifying-recovery-key', 'encryption'),
  invoke: {
    src: 'verifyRecoveryKey',
    // Sent in the spec's form (groups of four), however it was typed or pasted.
    input: ({ context }) => ({ ...authed(context), recoveryKey: new Secret(normalizedKey(context.recoveryKeyDraft!)) }),
    onDone: {
      target: 'route',
      actions: assign({ session: ({ event }) => event.output, recoveryKeyDraft: undefined, problem: undefined, attempts: ({ context }) => ({ ...context.attempts, recoveryKey: 0 }) }),
    },
    onError: [
      signInAgainIfUnauthorized,
      rereadIfConnectionLost,
      { guard: 'presetRefused', target: 'failed', actions: { type: 'recordPresetProblem', params: { answer: 'recovery-key' } } },
      {
        // The last wrong key the limit allows: stop asking (RETRY on the failure starts counting again).
        guard: and(['isRejected', 'lastRecoveryKeyAttempt']),
        target: 'failed',
        actions: assign({
          attempts: ({ context }) => ({ ...context.attempts, recoveryKey: 0 }),
          problem: ({ context, event }) => ({
            ...problemOf(event),
            kind: 'too-many-attempts' as const,
            message: `${context.limits.recoveryKeyAttempts} recovery keys were not accepted.`,
          }),
        }),
      },
      {
        // Wrong key: back to the field with the key still in it, and how many tries are left.
        guard: 'isRejected',
        target: 'enterRecoveryKey',
        actions: assign({
          attempts: ({ context }) => ({ ...context.attempts, recoveryKey: context.attempts.recoveryKey + 1 }),
          problem: ({ context, event }) => ({ ...problemOf(event), attemptsLeft: context.limits.recoveryKeyAttempts - context.attempts.recoveryKey - 1 }),
        }),
      },
      { target: 'enterRecoveryKey', actions: 'recordProblem' },
    ],
  },
});

/** needs-cross-signing-setup: a new account makes its first recovery key. */
export const createRecoveryKey = flow.createStateConfig({
  ...wait('routing', 'encryption'),
  always: { target: 'newRecoveryKey.intro', actions: assign({ newKeyReason: 'new-account' as const, existingRecoveryKey: undefined }) },
});

export const newRecoveryKey = flow.createStateConfig({
  initial: 'warning',
  states: {
    /**
     * A new account's first key: say what it is for before the server makes one, so a
     * front end that has nowhere to keep it (headless without a file) can stop first.
     */
    intro: {
      ...ask('create-recovery-key', 'encryption'),
      on: { CREATE_RECOVERY_KEY: { target: 'creating', actions: 'clearProblem' } },
    },
    /** What a reset costs, before anything is sent. */
    warning: {
      ...ask('reset-warning', 'encryption'),
      on: {
        CONFIRM_RESET: [
          {
            guard: 'existingKeyIsUsable',
            target: 'creating',
            actions: assign({ existingRecoveryKey: ({ event }) => given(event.existingRecoveryKey), problem: undefined }),
          },
          // A mistyped old key would only come back as a 400: say what is wrong before sending anything.
          { actions: assign({ problem: ({ event }) => notARecoveryKey(event.existingRecoveryKey!) }) },
        ],
        // Back where the warning was opened from, with what was typed there.
        BACK: [
          { guard: ({ context }) => context.resetFrom === 'enterRecoveryKey', target: '#setup.enterRecoveryKey', actions: 'clearProblem' },
          { target: '#setup.route', actions: 'clearProblem' },
        ],
      },
    },
    creating: {
      ...wait('creating-recovery-key', 'encryption'),
      invoke: {
        src: 'resetRecoveryKey',
        input: ({ context }) => ({
          ...authed(context),
          existingRecoveryKey: context.existingRecoveryKey && new Secret(normalizedKey(context.existingRecoveryKey)),
        }),
        onDone: {
          target: 'showingKey',
          actions: assign({
            newRecoveryKey: ({ event }) => event.output.recoveryKey,
            session: ({ event }) => event.output.session,
            existingRecoveryKey: undefined,
          }),
        },
        onError: [
          signInAgainIfUnauthorized,
          rereadIfConnectionLost,
          { target: 'creationFailed', actions: 'recordProblem' },
        ],
      },
    },
    creationFailed: {
      ...show('creation-failed', 'encryption'),
      on: {
        RETRY: { target: 'creating', actions: 'clearProblem' },
        // A lost-key reset goes back to its warning (where the old key is entered); a new account has nothing to go back to.
        BACK: [
          { guard: ({ context }) => context.newKeyReason === 'lost-key', target: 'warning', actions: 'clearProblem' },
          { target: '#setup.route', actions: 'clearProblem' },
        ],
      },
    },
    /** Shown once; the UI decides how the user proves it is saved. */
    showingKey: {
      ...ask('save-recovery-key', 'encryption'),
      on: {
        KEY_SAVED: {
          target: 'confirming',
          actions: [
            'clearProblem',
            assign({
              newKeyFile: ({ context, event }) => event.savedTo ?? context.newKeyFile,
              keyBaseline: ({ context }) => context.session,
            }),
          ],
        },
      },
    },
    confirming: {
      ...wait('confirming-recovery-key', 'encryption'),
      invoke: {
        src: 'confirmRecoveryKey',
        input: ({ context }) => ({ ...authed(context), recoveryKey: context.newRecoveryKey!, savedTo: context.newKeyFile, persistence: context.persistence }),
        onDone: {
          target: '#setup.route',
          actions: assign({ session: ({ event }) => event.output, newRecoveryKey: undefined, problem: undefined }),
        },
        onError: [
          signInAgainIfUnauthorized,
          // No answer: Beeper may have taken the key before the connection broke. Read where things stand.
          { guard: 'connectionLost', target: 'checkingConfirm', actions: 'noteConnectionLost' },
          { target: 'showingKey', actions: 'recordProblem' },
        ],
      },
    },
    /** The confirm's answer was lost: the session, read again, says whether the new key is the account's now. */
    checkingConfirm: {
      ...wait('confirming-recovery-key', 'encryption', 'server'),
      // Read at once: the answer was lost a moment ago, and the session may already say.
      initial: 'checking',
      after: {
        waitTimeout: {
          target: '#setup.failed',
          actions: assign({ problem: ({ context }) => ({ kind: 'key-outcome-unknown' as const, message: keyOutcomeUnknown(context.newKeyFile) }) }),
        },
      },
      states: {
        checking: {
          invoke: {
            src: 'fetchSession',
            input: ({ context }) => authed(context),
            onDone: [
              {
                // Not taken: the key is still shown (and in its file); confirming it again is safe.
                guard: ({ context, event }) => confirmOutcome(context.keyBaseline, event.output) === 'not-active',
                target: '#setup.newRecoveryKey.showingKey',
                actions: [
                  { type: 'rememberKeyFileState', params: ({ context }) => ({ path: context.newKeyFile, state: 'written' as const }) },
                  assign({
                    session: ({ event }) => event.output,
                    notice: undefined,
                    problem: ({ context }) => ({ kind: 'key-not-activated' as const, message: keyNotActivated(context.newKeyFile) }),
                  }),
                ],
              },
              {
                guard: ({ context, event }) => confirmOutcome(context.keyBaseline, event.output) === 'active',
                target: '#setup.route',
                actions: [
                  'notePollSuccess',
                  { type: 'rememberKeyFileState', params: ({ context }) => ({ path: context.newKeyFile, state: 'active' as const }) },
                  assign({ session: ({ event }) => event.output, newRecoveryKey: undefined, notice: 'new-key-active' as Notice }),
                ],
              },
              {
                // Moved on, but not in a way that says whether the key was taken: the record stays "activating".
                target: '#setup.route',
                actions: ['notePollSuccess', assign({ session: ({ event }) => event.output, newRecoveryKey: undefined, notice: 'new-key-unknown' as Notice })],
              },
            ],
            onError: [signInAgainIfUnauthorized, { target: 'pausing', actions: 'notePollFailure' }],
          },
        },
        /** Beeper did not answer the re-read either: try again after the poll's backoff. */
        pausing: { after: { pollDelay: 'checking' } },
      },
    },
  },
});
