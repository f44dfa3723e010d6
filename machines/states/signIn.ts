/** Sign-in: email → code → signed in, or username → terms → new account. */
import { assign } from 'xstate';
import { Secret } from '../../src/shared/secret.js';
import { cleanCode, codeProblem, emailProblem, usernameProblem } from '../../src/shared/validation.js';
import { flow, problemOf } from '../flow.js';
import type { Notice } from '../types.js';

export const signIn = flow.createStateConfig({
  initial: 'entry',
  // The cooldown may end while a code is being checked: remember it for the way back.
  on: { RESEND_READY: { actions: assign({ resendReady: true }) } },
  states: {
    /** A sign-in an earlier run started (its code already mailed) goes straight to the code. */
    entry: {
      // That code was mailed in an earlier run, so its resend cooldown is long over.
      always: [{ guard: 'hasPendingSignIn', target: 'enterCode', actions: assign({ resendReady: true }) }, { target: 'starting' }],
    },
    starting: {
      invoke: {
        src: 'startSignIn',
        input: ({ context }) => ({ api: context.api }),
        onDone: { target: 'enterEmail', actions: assign({ setupRequestID: ({ event }) => event.output.setupRequestID }) },
        onError: [
          {
            // No /v1/info and no setup routes: whatever answers there is not Beeper.
            guard: ({ context, event }) => !context.app && problemOf(event).kind !== 'unreachable',
            target: '#setup.failed',
            actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'not-beeper' as const }) }),
          },
          {
            guard: 'setupRoutesMissing',
            target: '#setup.failed',
            actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'unsupported-build' as const }) }),
          },
          { target: '#setup.failed', actions: 'recordProblem' },
        ],
      },
    },
    enterEmail: {
      on: {
        SUBMIT_EMAIL: [
          {
            guard: 'emailIsValid',
            target: 'sendingCode',
            actions: assign({ email: ({ event }) => event.email.trim(), problem: undefined, notice: undefined }),
          },
          {
            actions: assign({
              email: ({ event }) => event.email,
              problem: ({ event }) => ({ kind: 'rejected' as const, code: 'INVALID_EMAIL', message: emailProblem(event.email) ?? '' }),
            }),
          },
        ],
      },
    },
    sendingCode: {
      invoke: {
        src: 'sendCode',
        input: ({ context }) => ({ api: context.api, setupRequestID: context.setupRequestID ?? '', email: context.email }),
        onDone: { target: 'enterCode', actions: [assign({ code: undefined }), 'startResendCooldown'] },
        onError: [
          { guard: 'signInIsGone', target: 'restarting' },
          { target: 'enterEmail', actions: 'recordProblem' },
        ],
      },
    },
    /** A fresh setup request and code for the same address: resend, or after the old request died. */
    restarting: {
      invoke: {
        src: 'restartSignIn',
        input: ({ context }) => ({ api: context.api, email: context.email }),
        onDone: {
          target: 'enterCode',
          actions: [assign({ setupRequestID: ({ event }) => event.output.setupRequestID, code: undefined }), 'startResendCooldown'],
        },
        onError: { target: 'enterEmail', actions: 'recordProblem' },
      },
    },
    enterCode: {
      initial: 'entry',
      on: {
        SUBMIT_CODE: [
          {
            guard: 'codeIsValid',
            target: 'checkingCode',
            // Validated as its digits, so sent as its digits ("123 456" and "123-456" are pasted too).
            actions: assign({ code: ({ event }) => new Secret(cleanCode(event.code.reveal())), problem: undefined }),
          },
          {
            actions: assign({
              problem: ({ event }) => ({ kind: 'rejected' as const, code: 'INVALID_CODE_FORMAT', message: codeProblem(event.code.reveal()) ?? '' }),
            }),
          },
        ],
        CHANGE_EMAIL: { target: 'enterEmail', actions: assign({ problem: undefined, notice: undefined, code: undefined }) },
      },
      states: {
        /** Back from a wrong code: the cooldown kept running meanwhile. */
        entry: {
          always: [{ guard: ({ context }) => context.resendReady, target: 'resendAvailable' }, { target: 'coolingDown' }],
        },
        coolingDown: { on: { RESEND_READY: { target: 'resendAvailable', actions: assign({ resendReady: true }) } } },
        resendAvailable: {
          on: { RESEND_CODE: { target: '#setup.signIn.restarting', actions: assign({ problem: undefined, notice: 'code-resent' as Notice }) } },
        },
      },
    },
    checkingCode: {
      invoke: {
        src: 'submitCode',
        input: ({ context }) => ({ api: context.api, setupRequestID: context.setupRequestID ?? '', code: context.code! }),
        onDone: [
          {
            guard: ({ event }) => event.output.kind === 'signed-in',
            target: '#setup.route',
            actions: assign(({ event }) =>
              event.output.kind === 'signed-in'
                ? { accessToken: event.output.token, session: event.output.session, setupRequestID: undefined, code: undefined, notice: undefined, problem: undefined }
                : {},
            ),
          },
          {
            target: 'chooseUsername',
            actions: assign(({ event }) =>
              event.output.kind === 'registration-required'
                ? {
                    registration: {
                      setupRequestID: event.output.setupRequestID,
                      leadToken: event.output.leadToken,
                      usernameSuggestions: event.output.usernameSuggestions,
                      copy: event.output.copy,
                    },
                    setupRequestID: event.output.setupRequestID,
                    code: undefined,
                    notice: undefined,
                    problem: undefined,
                  }
                : {},
            ),
          },
        ],
        onError: [
          { guard: 'signInIsGone', target: 'restarting', actions: ['recordProblem', assign({ notice: 'sign-in-restarted' as Notice })] },
          // A wrong code: back to the code step with the server's words, the code cleared.
          { guard: 'isRejected', target: 'enterCode', actions: ['recordProblem', assign({ code: undefined })] },
          { guard: 'isUnauthorized', target: 'enterCode', actions: ['recordProblem', assign({ code: undefined })] },
          { target: 'enterCode', actions: 'recordProblem' },
        ],
      },
    },
    chooseUsername: {
      on: {
        SUBMIT_USERNAME: [
          {
            guard: 'usernameIsValid',
            target: 'reviewTerms',
            actions: assign({ username: ({ event }) => event.username.trim(), problem: undefined }),
          },
          {
            actions: assign({
              username: ({ event }) => event.username,
              problem: ({ event }) => ({ kind: 'rejected' as const, code: 'INVALID_USERNAME', message: usernameProblem(event.username) ?? '' }),
            }),
          },
        ],
      },
    },
    /** Terms are accepted by an explicit event only; nothing is sent before it. */
    reviewTerms: {
      on: {
        ACCEPT_TERMS: { target: 'registering', actions: 'clearProblem' },
        BACK: { target: 'chooseUsername', actions: 'clearProblem' },
      },
    },
    registering: {
      invoke: {
        src: 'register',
        input: ({ context }) => ({
          api: context.api,
          setupRequestID: context.registration!.setupRequestID,
          leadToken: context.registration!.leadToken,
          username: context.username,
        }),
        onDone: {
          target: '#setup.route',
          actions: assign({
            accessToken: ({ event }) => event.output.token,
            session: ({ event }) => event.output.session,
            registration: undefined,
            setupRequestID: undefined,
            problem: undefined,
          }),
        },
        onError: [
          { guard: 'signInIsGone', target: 'restarting', actions: ['recordProblem', assign({ notice: 'sign-in-restarted' as Notice })] },
          // Taken or invalid username: pick another, keeping what was typed.
          { guard: 'isRejected', target: 'chooseUsername', actions: 'recordProblem' },
          { target: 'reviewTerms', actions: 'recordProblem' },
        ],
      },
    },
  },
});
