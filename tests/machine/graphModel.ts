/**
 * The event catalogue for walking the machine's graph: every user event
 * (valid and invalid payloads) a state handles, every timer, and for each
 * invoked actor a done event per representative server answer and an error
 * event per kind of failure. Invoke ids are read from the machine (v5 names
 * them `<index>.<state node id>`), so nothing here hard-codes them.
 */
import type { AnyStateNode } from 'xstate';
import { InvalidResponseError, UnreachableError } from '../../src/api/errors.js';
import { SESSION_STATES, type Session, type Verification } from '../../src/api/types.js';
import { Secret } from '../../src/shared/secret.js';
import type { ActorName } from './helpers.js';
import { APP, NEW_KEY, RECOVERY_KEY, TYPO_KEY, httpError, incomingRequest, session, unreachable, verification } from './helpers.js';
import { isLiveVerification, routeFor, verificationStepFor } from '../../machines/routing.js';
import { qrFits } from '../../machines/flow.js';
import type { SetupContext, SetupEvent } from '../../machines/types.js';

export const USER_EVENTS: SetupEvent[] = [
  { type: 'SUBMIT_EMAIL', email: 'alice@example.com' },
  { type: 'SUBMIT_EMAIL', email: 'not-an-email' },
  { type: 'SUBMIT_CODE', code: new Secret('123456') },
  { type: 'SUBMIT_CODE', code: new Secret('12') },
  { type: 'RESEND_CODE' },
  { type: 'RESEND_READY' },
  { type: 'CHANGE_EMAIL' },
  { type: 'SUBMIT_USERNAME', username: 'carol' },
  { type: 'SUBMIT_USERNAME', username: 'X' },
  { type: 'ACCEPT_TERMS' },
  { type: 'CHOOSE_DEVICE' },
  { type: 'ACCEPT_INCOMING' },
  { type: 'CHOOSE_RECOVERY_KEY' },
  { type: 'FORGOT_RECOVERY_KEY' },
  { type: 'FORGOT_RECOVERY_KEY', draft: new Secret('EsT') },
  { type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(RECOVERY_KEY) },
  { type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(TYPO_KEY) },
  { type: 'CREATE_RECOVERY_KEY' },
  { type: 'CONFIRM_RESET' },
  { type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(RECOVERY_KEY) },
  { type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(TYPO_KEY) },
  { type: 'KEY_SAVED' },
  { type: 'SHOW_EMOJI' },
  { type: 'SHOW_QR' },
  { type: 'QR_ROOM', modules: 0 },
  { type: 'QR_ROOM', modules: 177 },
  { type: 'MATCH' },
  { type: 'NO_MATCH' },
  { type: 'SCAN_CONFIRMED' },
  { type: 'SCAN_DENIED' },
  { type: 'USE_RECOVERY_KEY' },
  { type: 'REQUEST_VERIFICATION' },
  { type: 'SUBMIT_QR', data: new Secret('TUFUUklY') },
  { type: 'SUBMIT_QR', data: new Secret(' '), source: 'preset' },
  { type: 'SUBMIT_EMAIL', email: 'not-an-email', source: 'preset' },
  { type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(TYPO_KEY), source: 'preset' },
  { type: 'CHOOSE_DEVICE', source: 'preset' },
  { type: 'BACK' },
  { type: 'RETRY' },
  { type: 'INTERRUPT' },
];

// Every documented state, and one a newer server might invent.
const SESSIONS: Session[] = [...SESSION_STATES, 'needs-something-new'].map((state) => session(state));
const NEEDS_VERIFICATION = session('needs-verification');

const VERIFICATIONS: Verification[] = [
  verification('requested'),
  verification('ready'),
  verification('ready', { qr: undefined }),
  verification('ready', { availableActions: ['cancel'], qr: undefined }),
  verification('sas_ready'),
  verification('sas_ready', { availableActions: ['cancel'] }),
  verification('qr_scanned'),
  verification('done'),
  verification('cancelled'),
];
/** A verification answer: still needs-verification, or the server moved on after it finished. */
const UPDATES = [
  ...VERIFICATIONS.map((v) => ({ session: NEEDS_VERIFICATION, verification: v })),
  { session: session('needs-first-sync'), verification: verification('done') },
  { session: NEEDS_VERIFICATION, verification: undefined },
  // Vouching: the app stays ready while it verifies the other device.
  ...['ready', 'sas_ready', 'done'].map((state) => ({ session: session('ready'), verification: verification(state) })),
];

const token = new Secret('token-1');
const REGISTRATION = {
  kind: 'registration-required' as const,
  setupRequestID: 'req-1',
  leadToken: new Secret('lead'),
  usernameSuggestions: ['carol'],
  copy: { title: 't', usernamePlaceholder: 'u', terms: 'terms', submit: 's' },
};

/** Representative successful answers per actor. */
export const OUTPUTS: Record<ActorName, unknown[]> = {
  probe: [
    ...SESSIONS.map((s) => ({ app: APP, session: s, tokenRefused: false, signedInWithoutUs: false })),
    { app: APP, session: session('needs-verification', { verification: verification('sas_ready') }), tokenRefused: false, signedInWithoutUs: false },
    { app: undefined, session: undefined, tokenRefused: false, signedInWithoutUs: false },
    { app: APP, session: undefined, tokenRefused: false, signedInWithoutUs: true },
    { app: APP, session: undefined, tokenRefused: true, signedInWithoutUs: true },
  ],
  startSignIn: [{ setupRequestID: 'req-1', signInMethods: ['email'] }],
  sendCode: [undefined],
  restartSignIn: [{ setupRequestID: 'req-2' }],
  submitCode: [...SESSIONS.map((s) => ({ kind: 'signed-in', token, session: s })), { kind: 'signed-in', token, session: undefined }, REGISTRATION],
  register: SESSIONS.map((s) => ({ token, session: s })),
  fetchSession: SESSIONS,
  findIncoming: [
    ...SESSIONS.map((s) => ({ session: s, incoming: undefined })),
    { session: NEEDS_VERIFICATION, incoming: incomingRequest() },
    { session: session('ready'), incoming: incomingRequest() },
  ],
  verifyRecoveryKey: SESSIONS,
  resetRecoveryKey: [{ recoveryKey: new Secret(NEW_KEY), session: session('needs-verification') }],
  confirmRecoveryKey: SESSIONS,
  beginVerification: UPDATES,
  fetchVerification: UPDATES,
  startSas: UPDATES,
  confirmSas: UPDATES,
  confirmQrScanned: UPDATES,
  cancelVerification: UPDATES,
  submitScannedQr: UPDATES,
};

export const ERRORS: Error[] = [
  unreachable(),
  new UnreachableError('POST /v1/app/setup/test', 'http://localhost:23373', 'reset'),
  new InvalidResponseError('GET /v1/app/setup', 'response.state', 'should be a string'),
  httpError(400, 'INVALID', 'Bad input.'),
  httpError(401, 'UNAUTHORIZED', 'Sign in again.'),
  httpError(404, 'SETUP_REQUEST_NOT_FOUND', 'Gone.'),
  httpError(404, 'NOT_FOUND', 'No such route.'),
  httpError(409, 'USERNAME_TAKEN', 'Taken.'),
  httpError(410, 'SETUP_REQUEST_EXPIRED', 'Expired.'),
  httpError(500, 'INTERNAL', 'Boom.'),
];

/**
 * Every event a snapshot can take: the user events some active state handles (others are
 * ignored by construction, and walking them only costs time), timers, and its invoked
 * actors' answers and failures.
 */
export function eventsFor(snapshot: { _nodes: AnyStateNode[] }): Array<{ type: string; [key: string]: unknown }> {
  const handled = new Set(snapshot._nodes.flatMap((node) => node.ownEvents));
  const events: Array<{ type: string; [key: string]: unknown }> = USER_EVENTS.filter((event) => handled.has(event.type));
  for (const node of snapshot._nodes) {
    for (const type of node.ownEvents) if (type.startsWith('xstate.after.')) events.push({ type });
    for (const invoke of node.invoke) {
      const src = invoke.src as ActorName;
      for (const output of OUTPUTS[src]) events.push({ type: `xstate.done.actor.${invoke.id}`, output, actorId: invoke.id });
      for (const error of ERRORS) events.push({ type: `xstate.error.actor.${invoke.id}`, error, actorId: invoke.id });
    }
  }
  return events;
}

/**
 * A vertex is the state value plus what the guards can tell apart, reduced to
 * the decisions they make (a route, a verification step), so the walk stays
 * small. Merging never invents a reachable state: every vertex is a snapshot
 * the walk really reached; it can only hide one, which the tests would show.
 */
export function serializeForGraph(snapshot: { value: unknown; status: string; context: SetupContext }): string {
  if (snapshot.status === 'done') return JSON.stringify(snapshot.value);
  const c = snapshot.context;
  const top = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value as object)[0]!;
  const flags = { sasConfirmed: c.sasConfirmed, preferEmoji: c.preferEmoji, sasStarted: c.sasStarted };
  const verifying = top === 'deviceVerification';
  // Only where a guard reads them: the route (states that go back through it) and the verification.
  const routeMatters = ['newRecoveryKey', 'deviceVerification', 'verificationNotApplied', 'applyingVerification', 'startingEncryption', 'firstSync', 'waitingForServer'].includes(top);
  return JSON.stringify([
    snapshot.status,
    snapshot.value,
    c.mode,
    routeMatters ? routeFor(c.session, c.verification, c.mode) : '-',
    c.session?.state === 'needs-verification',
    verifying && isLiveVerification(c.session?.verification) && routeFor(c.session) === 'deviceVerification',
    verifying && c.verification ? `${c.verification.state}:${verificationStepFor(c.verification, flags)}` : routeMatters ? (c.verification?.state ?? 'none') : '-',
    ['chooseMethod', 'vouching', 'deviceVerification'].includes(top) && !!c.incomingVerification,
    verifying && c.preferEmoji,
    // Whether the QR code on offer fits the front end's window decides between showing it and offering emojis first.
    verifying && qrFits(c),
    verifying && c.leaveTo,
    top === 'newRecoveryKey' && c.resetFrom,
    top === 'signIn' && c.resendReady,
    c.answerSource,
    // Counters are left out (they would multiply every vertex); a start with limits of 1 reaches what they guard.
    c.limits,
    top === 'signIn' && !!c.registration,
    top === 'signIn' && !!c.setupRequestID,
    c.confirmedBeeper,
    !!c.vouch.scanQr,
    !!c.scannedQr,
  ]);
}
