/** The recovery key: enter it, or make a new one (shown once, confirmed saved). */
import { assign } from 'xstate';
import { authed, flow, given, notARecoveryKey, signInAgainIfUnauthorized } from '../flow.js';

export const enterRecoveryKey = flow.createStateConfig({
  on: {
    SUBMIT_RECOVERY_KEY: [
      {
        guard: 'recoveryKeyIsValid',
        target: 'verifyingRecoveryKey',
        actions: assign({ recoveryKeyDraft: ({ event }) => event.recoveryKey, problem: undefined }),
      },
      {
        actions: assign({
          recoveryKeyDraft: ({ event }) => event.recoveryKey,
          problem: ({ event }) => notARecoveryKey(event.recoveryKey),
        }),
      },
    ],
    FORGOT_RECOVERY_KEY: { target: 'newRecoveryKey.warning', actions: ['clearProblem', assign({ newKeyReason: 'lost-key' as const })] },
    BACK: { guard: 'mayChooseMethod', target: 'chooseMethod', actions: 'clearProblem' },
  },
});

export const verifyingRecoveryKey = flow.createStateConfig({
  invoke: {
    src: 'verifyRecoveryKey',
    input: ({ context }) => ({ ...authed(context), recoveryKey: context.recoveryKeyDraft! }),
    onDone: {
      target: 'route',
      actions: assign({ session: ({ event }) => event.output, recoveryKeyDraft: undefined, problem: undefined }),
    },
    onError: [
      { guard: 'isUnauthorized', target: 'signIn', actions: 'forgetToken' },
      // Wrong key or a failed call: back to the field with the key still in it.
      { target: 'enterRecoveryKey', actions: 'recordProblem' },
    ],
  },
});

/** needs-cross-signing-setup: a new account makes its first recovery key. */
export const createRecoveryKey = flow.createStateConfig({
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
      on: { CREATE_RECOVERY_KEY: { target: 'creating', actions: 'clearProblem' } },
    },
    /** What a reset costs, before anything is sent. */
    warning: {
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
        BACK: { target: '#setup.route', actions: 'clearProblem' },
      },
    },
    creating: {
      invoke: {
        src: 'resetRecoveryKey',
        input: ({ context }) => ({ ...authed(context), existingRecoveryKey: context.existingRecoveryKey }),
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
          { target: 'creationFailed', actions: 'recordProblem' },
        ],
      },
    },
    creationFailed: {
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
      on: { KEY_SAVED: { target: 'confirming', actions: 'clearProblem' } },
    },
    confirming: {
      invoke: {
        src: 'confirmRecoveryKey',
        input: ({ context }) => ({ ...authed(context), recoveryKey: context.newRecoveryKey! }),
        onDone: {
          target: '#setup.route',
          actions: assign({ session: ({ event }) => event.output, newRecoveryKey: undefined, problem: undefined }),
        },
        onError: [
          signInAgainIfUnauthorized,
          { target: 'showingKey', actions: 'recordProblem' },
        ],
      },
    },
  },
});
