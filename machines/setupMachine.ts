/**
 * The whole beeper-setup flow. The Ink wizard and the headless mode both
 * render this machine's snapshot and send it the user's answers; no flow
 * decision lives anywhere else. Every HTTP call is a named actor (actors.ts),
 * polling is states with `after` delays, and server state decides the route
 * (routing.ts), so a rerun resumes wherever the app stands.
 */
import { assign, setup } from 'xstate';
import type { AppInfo, RegistrationCopy, Session, Verification } from '../src/api/types.js';
import { checkRecoveryKey } from '../src/shared/recoveryKey.js';
import type { Secret } from '../src/shared/secret.js';
import { codeProblem, emailProblem, usernameProblem } from '../src/shared/validation.js';
import { setupActors, type VerificationUpdate } from './actors.js';
import type { SetupApi } from './api.js';
import { toProblem, type Problem } from './problems.js';
import { ROUTES, routeFor, verificationStepFor, type Route, type VerificationStep } from './routing.js';

export interface SetupInput {
  api: SetupApi;
  /** A saved or BEEPER_ACCESS_TOKEN token to resume with. */
  accessToken?: Secret | undefined;
  /** Prefills the email step (headless passes --email). */
  email?: string | undefined;
  /** Skip the QR code and compare emojis straight away. */
  preferEmoji?: boolean | undefined;
  pollIntervalMs?: number | undefined;
  maxPollBackoffMs?: number | undefined;
  resendCooldownMs?: number | undefined;
  /** Longest wait for the server or the other device; none by default. */
  waitTimeoutMs?: number | undefined;
}

/** Informational lines the UI words itself; they are not errors. */
export type Notice =
  | 'code-resent'
  | 'sign-in-restarted'
  | 'token-refused'
  | 'signed-out'
  | 'verification-cancelled-by-us'
  | undefined;

export interface Registration {
  setupRequestID: string;
  leadToken: Secret;
  usernameSuggestions: string[];
  copy: RegistrationCopy;
}

export interface SetupContext {
  api: SetupApi;
  accessToken: Secret | undefined;
  app: AppInfo | undefined;
  session: Session | undefined;
  email: string;
  setupRequestID: string | undefined;
  /** The last code submitted, kept so a failed send can be retried without retyping. */
  code: Secret | undefined;
  registration: Registration | undefined;
  username: string;
  /** What the user typed as their recovery key; kept after a wrong attempt for editing. */
  recoveryKeyDraft: Secret | undefined;
  /** Offered by the user before a reset, so old backups stay readable. */
  existingRecoveryKey: Secret | undefined;
  /** A freshly created key: shown once, then confirmed. */
  newRecoveryKey: Secret | undefined;
  /** Why a new key is being made: a new account needs one, a lost key is replaced. */
  newKeyReason: 'new-account' | 'lost-key';
  verification: Verification | undefined;
  /** An incoming request from another device, offered as a choice. */
  incomingVerification: Verification | undefined;
  sasConfirmed: boolean;
  preferEmoji: boolean;
  /** Where to go once a verification the user walked away from is cancelled. */
  leaveTo: 'chooseMethod' | 'enterRecoveryKey';
  /** The cancel code sent when the user rejects: m.mismatched_sas or m.user. */
  rejectCode: string;
  problem: Problem | undefined;
  notice: Notice;
  /** Consecutive failed polls; drives the backoff and the "retrying" line. */
  pollFailures: number;
  pollIntervalMs: number;
  maxPollBackoffMs: number;
  resendCooldownMs: number;
  waitTimeoutMs: number | undefined;
}

export type SetupEvent =
  | { type: 'SUBMIT_EMAIL'; email: string }
  | { type: 'SUBMIT_CODE'; code: Secret }
  | { type: 'RESEND_CODE' }
  | { type: 'CHANGE_EMAIL' }
  | { type: 'SUBMIT_USERNAME'; username: string }
  | { type: 'ACCEPT_TERMS' }
  | { type: 'CHOOSE_DEVICE' }
  | { type: 'ACCEPT_INCOMING' }
  | { type: 'CHOOSE_RECOVERY_KEY' }
  | { type: 'FORGOT_RECOVERY_KEY' }
  | { type: 'SUBMIT_RECOVERY_KEY'; recoveryKey: Secret }
  | { type: 'CONFIRM_RESET'; existingRecoveryKey?: Secret | undefined }
  | { type: 'KEY_SAVED' }
  | { type: 'SHOW_EMOJI' }
  | { type: 'MATCH' }
  | { type: 'NO_MATCH' }
  | { type: 'SCAN_CONFIRMED' }
  | { type: 'SCAN_DENIED' }
  | { type: 'USE_RECOVERY_KEY' }
  | { type: 'BACK' }
  | { type: 'RETRY' }
  | { type: 'INTERRUPT' };

export type SetupOutcome = 'ready' | 'interrupted' | 'timed-out';

export interface SetupOutput {
  outcome: SetupOutcome;
  session: Session | undefined;
}

/** setTimeout cannot wait longer than this; "no timeout" waits this long. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const errorOf = (event: unknown) => (event as { error?: unknown }).error;
const problemOf = (event: unknown) => toProblem(errorOf(event));
const verificationStep = (context: SetupContext): VerificationStep =>
  context.verification
    ? verificationStepFor(context.verification, { sasConfirmed: context.sasConfirmed, preferEmoji: context.preferEmoji })
    : 'waitingForOtherDevice';
const authed = (context: SetupContext) => ({ api: context.api, token: context.accessToken });
const verificationInput = ({ context }: { context: SetupContext }) => ({ ...authed(context), id: context.verification?.id ?? '' });

export const setupMachine = setup({
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
    hasIncoming: ({ context }) => !!context.incomingVerification,
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
    leavingForRecoveryKey: ({ context }) => context.leaveTo === 'enterRecoveryKey',
  },
  actions: {
    recordProblem: assign({ problem: ({ event }) => problemOf(event) }),
    clearProblem: assign({ problem: undefined, notice: undefined }),
    forgetToken: assign({ accessToken: undefined, session: undefined, notice: 'signed-out' as Notice, problem: undefined }),
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
}).createMachine({
  id: 'setup',
  context: ({ input }) => ({
    api: input.api,
    accessToken: input.accessToken,
    app: undefined,
    session: undefined,
    email: input.email?.trim() ?? '',
    setupRequestID: undefined,
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
  output: ({ context, self }) => {
    const state = self.getSnapshot().value;
    const outcome: SetupOutcome = state === 'ready' ? 'ready' : state === 'timedOut' ? 'timed-out' : 'interrupted';
    return { outcome, session: context.session };
  },
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

    signIn: {
      initial: 'starting',
      states: {
        starting: {
          invoke: {
            src: 'startSignIn',
            input: ({ context }) => ({ api: context.api }),
            onDone: { target: 'enterEmail', actions: assign({ setupRequestID: ({ event }) => event.output.setupRequestID }) },
            onError: [
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
            onDone: { target: 'enterCode', actions: assign({ code: undefined }) },
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
            onDone: { target: 'enterCode', actions: assign({ setupRequestID: ({ event }) => event.output.setupRequestID, code: undefined }) },
            onError: { target: 'enterEmail', actions: 'recordProblem' },
          },
        },
        enterCode: {
          initial: 'coolingDown',
          on: {
            SUBMIT_CODE: [
              { guard: 'codeIsValid', target: 'checkingCode', actions: assign({ code: ({ event }) => event.code, problem: undefined }) },
              {
                actions: assign({
                  problem: ({ event }) => ({ kind: 'rejected' as const, code: 'INVALID_CODE_FORMAT', message: codeProblem(event.code.reveal()) ?? '' }),
                }),
              },
            ],
            CHANGE_EMAIL: { target: 'enterEmail', actions: assign({ problem: undefined, notice: undefined, code: undefined }) },
          },
          states: {
            coolingDown: { after: { resendCooldown: 'resendAvailable' } },
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
                    ? { accessToken: event.output.token, session: event.output.session, code: undefined, notice: undefined, problem: undefined }
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
    },

    chooseMethod: {
      initial: 'idle',
      entry: assign({ verification: undefined, sasConfirmed: false }),
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
              { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
              { target: 'idle', actions: 'notePollFailure' },
            ],
          },
        },
      },
    },

    enterRecoveryKey: {
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
              problem: { kind: 'rejected', code: 'NOT_A_RECOVERY_KEY', message: 'That is not a recovery key.' },
            }),
          },
        ],
        FORGOT_RECOVERY_KEY: { target: 'newRecoveryKey.warning', actions: ['clearProblem', assign({ newKeyReason: 'lost-key' as const })] },
        BACK: { guard: 'mayChooseMethod', target: 'chooseMethod', actions: 'clearProblem' },
      },
    },
    verifyingRecoveryKey: {
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
    },

    /** needs-cross-signing-setup: a new account makes its first recovery key. */
    createRecoveryKey: {
      always: { target: 'newRecoveryKey.creating', actions: assign({ newKeyReason: 'new-account' as const, existingRecoveryKey: undefined }) },
    },

    newRecoveryKey: {
      initial: 'warning',
      states: {
        /** What a reset costs, before anything is sent. */
        warning: {
          on: {
            CONFIRM_RESET: {
              target: 'creating',
              actions: assign({ existingRecoveryKey: ({ event }) => event.existingRecoveryKey, problem: undefined }),
            },
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
              { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
              { target: 'creationFailed', actions: 'recordProblem' },
            ],
          },
        },
        creationFailed: {
          on: {
            RETRY: { target: 'creating', actions: 'clearProblem' },
            BACK: { target: '#setup.route', actions: 'clearProblem' },
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
              { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
              { target: 'showingKey', actions: 'recordProblem' },
            ],
          },
        },
      },
    },

    deviceVerification: {
      initial: 'entry',
      after: { waitTimeout: '#setup.timedOut' },
      on: {
        BACK: [
          { guard: 'hasVerification', target: '.leaving', actions: assign({ leaveTo: 'chooseMethod' as const }) },
          { target: 'chooseMethod' },
        ],
        USE_RECOVERY_KEY: [
          { guard: 'hasVerification', target: '.leaving', actions: assign({ leaveTo: 'enterRecoveryKey' as const }) },
          { target: 'enterRecoveryKey' },
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
          entry: assign({ verification: undefined, sasConfirmed: false }),
          invoke: {
            src: 'beginVerification',
            input: ({ context }) => ({ ...authed(context), incomingID: context.incomingVerification?.id }),
            onDone: {
              target: 'route',
              actions: [{ type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) }, assign({ incomingVerification: undefined })],
            },
            onError: [
              { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
              { target: 'failed', actions: 'recordProblem' },
            ],
          },
        },
        /** Transient: the step the server's verification state calls for. */
        route: {
          always: [
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
                      { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
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
            onDone: { target: 'route', actions: { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) } },
            onError: [
              { guard: 'isStateConflict', target: 'tracking.step.waitingForOtherDevice' },
              { target: 'failed', actions: 'recordProblem' },
            ],
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
            onError: [
              { guard: 'isStateConflict', target: 'tracking.step.waitingForOtherDevice' },
              { target: 'failed', actions: 'recordProblem' },
            ],
          },
        },
        confirmingScanned: {
          invoke: {
            src: 'confirmQrScanned',
            input: verificationInput,
            onDone: { target: 'route', actions: { type: 'storeUpdate', params: ({ event }) => ({ update: event.output }) } },
            onError: [
              { guard: 'isStateConflict', target: 'tracking.step.waitingForOtherDevice' },
              { target: 'failed', actions: 'recordProblem' },
            ],
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
            onError: { target: 'failed', actions: 'recordProblem' },
          },
        },
        /** Stopped: the other side cancelled, a mismatch, a timeout, or a failed call. */
        failed: {
          on: {
            RETRY: { target: 'beginning', actions: 'clearProblem' },
            // Already stopped on the server: nothing to cancel on the way out.
            USE_RECOVERY_KEY: { target: '#setup.enterRecoveryKey', actions: 'clearProblem' },
            BACK: { target: '#setup.chooseMethod', actions: 'clearProblem' },
          },
        },
        /** The user walked away: cancel on the server so the other device stops waiting. */
        leaving: {
          // Already on the way out: a second Esc must not send a second cancel.
          on: { BACK: {}, USE_RECOVERY_KEY: {} },
          invoke: {
            src: 'cancelVerification',
            input: ({ context }) => ({ ...verificationInput({ context }), code: 'm.user', reason: 'Cancelled on this device.' }),
            onDone: [
              { guard: 'leavingForRecoveryKey', target: '#setup.enterRecoveryKey', actions: 'noteCancelledByUs' },
              { target: '#setup.chooseMethod', actions: 'noteCancelledByUs' },
            ],
            // Could not cancel (already gone, or offline): leave anyway; it times out on its own.
            onError: [{ guard: 'leavingForRecoveryKey', target: '#setup.enterRecoveryKey' }, { target: '#setup.chooseMethod' }],
          },
        },
      },
    },

    /** initializing, first sync, or a state this version does not know: poll until it moves. */
    waitingForServer: {
      initial: 'idle',
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
              { guard: 'isUnauthorized', target: '#setup.signIn', actions: 'forgetToken' },
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
