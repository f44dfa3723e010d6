/** Sign-in: email → code → signed in, or username → terms → new account. */
import { and, assign, or } from 'xstate';
import { Secret } from '../../src/shared/secret.js';
import { cleanCode, codeProblem, emailProblem, usernameProblem } from '../../src/shared/validation.js';
import { flow, problemOf, refuseInvalid, rereadIfConnectionLost, stopIfSignedInElsewhere } from '../flow.js';
import { ask, wait } from '../steps.js';
import type { SignInResult } from '../actors.js';
import type { Notice, SetupContext, SetupEvent } from '../types.js';

type SignedIn = Extract<SignInResult, { kind: 'signed-in' }>;
type SubmitEmail = Extract<SetupEvent, { type: 'SUBMIT_EMAIL' }>;
type SubmitCode = Extract<SetupEvent, { type: 'SUBMIT_CODE' }>;
type SubmitUsername = Extract<SetupEvent, { type: 'SUBMIT_USERNAME' }>;

/** What a rerun needs to continue this sign-in: its request, the address, and a registration if one began. */
const pendingOf = (context: SetupContext) => ({
  setupRequestID: context.setupRequestID ?? '',
  email: context.email,
  ...(context.registration ? { registration: context.registration } : {}),
});

/** A code mailed (again): the resend cooldown starts over, and a rerun can continue this sign-in. */
const codeMailed = [
  'countMailedCode',
  'stopResendCooldown',
  'startResendCooldown',
  { type: 'rememberPendingSignIn', params: ({ context }: { context: SetupContext }) => ({ pending: pendingOf(context) }) },
] as const;

/** Signed in: the token is kept for the next run, and there is no sign-in left to continue. */
const signedIn = [
  { type: 'rememberPendingSignIn', params: { pending: undefined } },
] as const;

export const signIn = flow.createStateConfig({
  initial: 'entry',
  // The cooldown may end while a code is being checked: remember it for the way back.
  on: { RESEND_READY: { actions: assign({ resendReady: true }) } },
  states: {
    /** An earlier run's sign-in goes on where it stopped: at the username, or at the code it mailed. */
    entry: {
      ...wait('routing', 'sign-in'),
      always: [
        { guard: 'hasPendingRegistration', target: 'chooseUsername', actions: assign({ notice: 'registration-resumed' as Notice }) },
        // That code was mailed in an earlier run, so its resend cooldown is long over.
        { guard: 'hasPendingSignIn', target: 'enterCode', actions: assign({ resendReady: true }) },
        { target: 'starting' },
      ],
    },
    starting: {
      ...wait('starting-sign-in', 'sign-in'),
      invoke: {
        src: 'startSignIn',
        input: ({ context }) => ({ api: context.api }),
        onDone: {
          target: 'enterEmail',
          actions: assign({ setupRequestID: ({ event }) => event.output.setupRequestID, confirmedBeeper: true }),
        },
        onError: [
          {
            // No /v1/info, and the setup API answers with nothing it documents: whatever answers there is not Beeper.
            guard: 'notBeeper',
            target: '#setup.failed',
            actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'not-beeper' as const }) }),
          },
          {
            guard: 'setupRoutesMissing',
            target: '#setup.failed',
            actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'unsupported-build' as const }) }),
          },
          // Signed in by Beeper itself or another client, and we hold no token for it.
          stopIfSignedInElsewhere,
          { target: '#setup.failed', actions: 'recordProblem' },
        ],
      },
    },
    enterEmail: {
      ...ask('email', 'sign-in'),
      on: {
        SUBMIT_EMAIL: [
          {
            guard: and(['emailIsValid', 'hasSetupRequest']),
            target: 'sendingCode',
            actions: ['noteSource', assign({ email: ({ event }) => event.email.trim(), problem: undefined, notice: undefined })],
          },
          {
            // No live request (a changed address, or a lost one): start a fresh request for it.
            guard: 'emailIsValid',
            target: 'restarting',
            actions: ['noteSource', assign({ email: ({ event }) => event.email.trim(), problem: undefined, notice: undefined })],
          },
          ...refuseInvalid<SubmitEmail>('email', (event) => ({
            problem: { kind: 'rejected', code: 'INVALID_EMAIL', message: emailProblem(event.email) ?? '' },
            keep: { email: event.email },
          })),
        ],
      },
    },
    sendingCode: {
      ...wait('sending-code', 'sign-in'),
      invoke: {
        src: 'sendCode',
        input: ({ context }) => ({ api: context.api, setupRequestID: context.setupRequestID ?? '', email: context.email }),
        onDone: { target: 'enterCode', actions: [assign({ code: undefined }), ...codeMailed] },
        onError: [
          { guard: 'signInIsGone', target: 'restarting' },
          rereadIfConnectionLost,
          { guard: 'presetRefused', target: '#setup.failed', actions: { type: 'recordPresetProblem', params: { answer: 'email' } } },
          { target: 'enterEmail', actions: 'recordProblem' },
        ],
      },
    },
    /** A fresh setup request and code for the same address: resend, a new address, or after the old request died. */
    restarting: {
      ...wait('sending-code', 'sign-in'),
      invoke: {
        src: 'restartSignIn',
        input: ({ context }) => ({ api: context.api, email: context.email }),
        onDone: {
          target: 'enterCode',
          actions: [
            assign({ setupRequestID: ({ event }) => event.output.setupRequestID, code: undefined, registration: undefined, confirmedBeeper: true }),
            ...codeMailed,
          ],
        },
        onError: [
          rereadIfConnectionLost,
          { guard: 'presetRefused', target: '#setup.failed', actions: { type: 'recordPresetProblem', params: { answer: 'email' } } },
          { target: 'enterEmail', actions: 'recordProblem' },
        ],
      },
    },
    enterCode: {
      ...ask('code', 'sign-in'),
      initial: 'entry',
      on: {
        SUBMIT_CODE: [
          {
            guard: 'codeIsValid',
            target: 'checkingCode',
            // Sent without the spaces and dashes people paste ("123 456", "123-456"). A notice about the
            // code before ("a new code was emailed") says nothing about this one's answer.
            actions: ['noteSource', assign({ code: ({ event }) => new Secret(cleanCode(event.code.reveal())), problem: undefined, notice: undefined })],
          },
          ...refuseInvalid<SubmitCode>('code', (event) => ({
            problem: { kind: 'rejected', code: 'INVALID_CODE_FORMAT', message: codeProblem(event.code.reveal()) ?? '' },
          })),
        ],
        // A new address gets a new setup request (as Beeper's CLI does): the old one is forgotten.
        CHANGE_EMAIL: {
          target: 'enterEmail',
          actions: [
            assign({ problem: undefined, notice: undefined, code: undefined, setupRequestID: undefined }),
            { type: 'rememberPendingSignIn', params: { pending: undefined } },
          ],
        },
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
      ...wait('checking-code', 'sign-in'),
      invoke: {
        src: 'submitCode',
        input: ({ context }) => ({ api: context.api, setupRequestID: context.setupRequestID ?? '', code: context.code! }),
        onDone: [
          {
            // Signed in, but the session could not be read: keep the token, then read the session with it.
            guard: ({ event }) => event.output.kind === 'signed-in' && !event.output.session,
            target: '#setup.resyncing',
            actions: [
              assign(({ event }) => (event.output.kind === 'signed-in' ? { accessToken: event.output.token, setupRequestID: undefined, code: undefined, notice: undefined, problem: undefined } : {})),
              { type: 'rememberToken', params: ({ event }) => ({ token: (event.output as SignedIn).token }) },
              ...signedIn,
            ],
          },
          {
            guard: ({ event }) => event.output.kind === 'signed-in',
            target: '#setup.route',
            actions: [
              assign(({ event }) =>
                event.output.kind === 'signed-in'
                  ? { accessToken: event.output.token, session: event.output.session, setupRequestID: undefined, code: undefined, notice: undefined, problem: undefined }
                  : {},
              ),
              { type: 'rememberToken', params: ({ event }) => ({ token: (event.output as SignedIn).token }) },
              ...signedIn,
            ],
          },
          {
            target: 'chooseUsername',
            actions: [
              assign(({ event }) =>
                event.output.kind === 'registration-required'
                  ? {
                      registration: {
                        setupRequestID: event.output.setupRequestID,
                        leadToken: event.output.leadToken,
                        usernameSuggestions: event.output.usernameSuggestions,
                        copy: event.output.copy,
                      },
                      setupRequestID: event.output.setupRequestID,
                      termsAccepted: false,
                      code: undefined,
                      notice: undefined,
                      problem: undefined,
                    }
                  : {},
              ),
              // The code is spent: a rerun continues at the username, with the registration token kept (0600).
              { type: 'rememberPendingSignIn', params: ({ context }) => ({ pending: pendingOf(context) }) },
            ],
          },
        ],
        onError: [
          // Another account holds the app: a new code would meet the same refusal.
          stopIfSignedInElsewhere,
          // The server ended this sign-in (too many wrong codes, expired), or it takes no code any more (the
          // code was used): start over with a new code, once by itself; after that a person decides.
          { guard: and([or(['signInIsGone', 'codeNotExpected']), 'mayRestartSignIn']), target: 'restarting', actions: 'noteSignInRestart' },
          { guard: or(['signInIsGone', 'codeNotExpected']), target: '#setup.failed', actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'sign-in-expired' as const }) }) },
          rereadIfConnectionLost,
          { guard: 'presetRefused', target: '#setup.failed', actions: { type: 'recordPresetProblem', params: { answer: 'code' } } },
          // A wrong code: back to the code step with the server's words, the code cleared.
          { guard: 'isRejected', target: 'enterCode', actions: ['recordProblem', assign({ code: undefined })] },
          { guard: 'isUnauthorized', target: 'enterCode', actions: ['recordProblem', assign({ code: undefined })] },
          { target: 'enterCode', actions: 'recordProblem' },
        ],
      },
    },
    chooseUsername: {
      ...ask('username', 'sign-in'),
      on: {
        SUBMIT_USERNAME: [
          {
            // Back after a taken name: the terms were accepted for this registration already.
            guard: and(['usernameIsValid', ({ context }) => context.termsAccepted]),
            target: 'registering',
            actions: ['noteSource', assign({ username: ({ event }) => event.username.trim(), problem: undefined })],
          },
          {
            guard: 'usernameIsValid',
            target: 'reviewTerms',
            actions: ['noteSource', assign({ username: ({ event }) => event.username.trim(), problem: undefined })],
          },
          ...refuseInvalid<SubmitUsername>('username', (event) => ({
            problem: { kind: 'rejected', code: 'INVALID_USERNAME', message: usernameProblem(event.username) ?? '' },
            keep: { username: event.username },
          })),
        ],
        // Another address: this registration is abandoned; a new request and code are made for it.
        CHANGE_EMAIL: {
          target: 'enterEmail',
          actions: [
            assign({ problem: undefined, notice: undefined, registration: undefined, setupRequestID: undefined }),
            { type: 'rememberPendingSignIn', params: { pending: undefined } },
          ],
        },
      },
    },
    /** Terms are accepted by an explicit event only; nothing is sent before it. */
    reviewTerms: {
      ...ask('terms', 'sign-in'),
      on: {
        ACCEPT_TERMS: { target: 'registering', actions: ['clearProblem', assign({ termsAccepted: true })] },
        BACK: { target: 'chooseUsername', actions: 'clearProblem' },
      },
    },
    registering: {
      ...wait('registering', 'sign-in'),
      invoke: {
        src: 'register',
        input: ({ context }) => ({
          api: context.api,
          setupRequestID: context.registration!.setupRequestID,
          leadToken: context.registration!.leadToken,
          username: context.username,
        }),
        onDone: {
          // Without a readable session the token is kept all the same, and the session read with it.
          target: '#setup.resyncing',
          actions: [
            assign({
              accessToken: ({ event }) => event.output.token,
              session: ({ event }) => event.output.session,
              registration: undefined,
              setupRequestID: undefined,
              problem: undefined,
              notice: undefined,
            }),
            { type: 'rememberToken', params: ({ event }) => ({ token: event.output.token }) },
            ...signedIn,
          ],
        },
        onError: [
          // The registration went stale (a rerun after it expired): a fresh code is mailed, and the flow says so.
          { guard: and(['signInIsGone', 'mayRestartSignIn']), target: 'restarting', actions: ['noteSignInRestart', assign({ registration: undefined })] },
          { guard: 'signInIsGone', target: '#setup.failed', actions: assign({ problem: ({ event }) => ({ ...problemOf(event), kind: 'sign-in-expired' as const }) }) },
          rereadIfConnectionLost,
          { guard: 'presetRefused', target: '#setup.failed', actions: { type: 'recordPresetProblem', params: { answer: 'username' } } },
          // Taken or invalid username: pick another, keeping what was typed.
          { guard: 'isRejected', target: 'chooseUsername', actions: 'recordProblem' },
          { target: 'reviewTerms', actions: 'recordProblem' },
        ],
      },
    },
  },
});
