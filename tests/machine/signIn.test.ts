/** Sign-in and account creation, driven end to end against fakes on a simulated clock. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { APP, NEW_KEY, RECOVERY_KEY, httpError, revealed, session, startFlow, type Flow } from './helpers.js';

const code = (text: string) => ({ type: 'SUBMIT_CODE' as const, code: new Secret(text) });

async function atEnterEmail(): Promise<Flow> {
  const flow = await startFlow();
  expect(flow.state()).toBe('signIn.enterEmail');
  return flow;
}

async function atEnterCode(): Promise<Flow> {
  const flow = await atEnterEmail();
  await flow.send({ type: 'SUBMIT_EMAIL', email: '  alice@example.com ' });
  expect(flow.state()).toBe('signIn.enterCode.coolingDown');
  return flow;
}

const REGISTRATION = {
  kind: 'registration-required' as const,
  setupRequestID: 'req-1',
  leadToken: new Secret('lead-1'),
  usernameSuggestions: ['carol', 'carol42'],
  copy: { title: 'Choose your username', usernamePlaceholder: 'Username', terms: 'By continuing…', submit: 'Continue' },
};

describe('sign in to an existing account', () => {
  it('email → code → recovery key → first sync → ready, with outcome "ready"', async () => {
    const flow = await atEnterEmail();
    const { server } = flow;
    expect(server.count('startSignIn')).toBe(1);

    await flow.send({ type: 'SUBMIT_EMAIL', email: '  alice@example.com ' });
    expect(server.callsTo('sendCode')).toEqual([{ setupRequestID: 'req-1', email: 'alice@example.com' }]);

    server.session = session('initializing');
    await flow.send(code('123456'));
    expect(server.callsTo('submitCode').map((input) => revealed(input.code))).toEqual(['123456']);
    expect(flow.state()).toBe('startingEncryption.idle');
    expect(revealed(flow.context().accessToken)).toBe('token-1');

    server.session = session('needs-verification');
    await flow.advance(1000);
    expect(flow.state()).toBe('chooseMethod.idle');

    await flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
    expect(flow.state()).toBe('enterRecoveryKey');
    server.session = session('needs-first-sync');
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(RECOVERY_KEY) });
    const [verify] = server.callsTo('verifyRecoveryKey');
    expect(revealed(verify?.recoveryKey)).toBe(RECOVERY_KEY);
    expect(revealed(verify?.token)).toBe('token-1');
    expect(flow.state()).toBe('firstSync.idle');

    server.session = session('ready');
    await flow.advance(1000);
    expect(flow.state()).toBe('ready');
    expect(flow.actor.getSnapshot().status).toBe('done');
    expect(flow.actor.getSnapshot().output).toEqual({ outcome: 'ready', session: server.session });
  });

  it('a wrong code (401, attempts left) stays on the code step; the right one signs in', async () => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', httpError(401, 'INVALID_CODE', 'That code is not right. 4 attempts left.', { attemptsLeft: 4 }));
    await flow.send(code('111111'));
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().problem).toMatchObject({ code: 'INVALID_CODE', attemptsLeft: 4, message: 'That code is not right. 4 attempts left.' });
    expect(flow.context().code).toBeUndefined();

    flow.server.session = session('needs-verification');
    await flow.send(code('123456'));
    expect(flow.state()).toBe('chooseMethod.idle');
    expect(flow.context().problem).toBeUndefined();
    expect(flow.server.count('submitCode')).toBe(2);
  });

  it('a wrong code answered 400 is also a retry on the code step', async () => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', httpError(400, 'INVALID_CODE', 'Wrong code.'));
    await flow.send(code('111111'));
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_CODE' });
  });

  it('a sign-in request that died (410) restarts with the same email, and the new request is used', async () => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', httpError(410, 'SETUP_REQUEST_EXPIRED', 'Too many wrong codes.'));
    await flow.send(code('111111'));
    expect(flow.server.callsTo('restartSignIn')).toEqual([{ email: 'alice@example.com' }]);
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().notice).toBe('sign-in-restarted');
    expect(flow.context().setupRequestID).toBe('req-2');

    flow.server.session = session('needs-verification');
    await flow.send(code('123456'));
    expect(flow.server.callsTo('submitCode').at(-1)?.setupRequestID).toBe('req-2');
    expect(flow.state()).toBe('chooseMethod.idle');
  });

  it('a dead request found while sending the code (404 SETUP_REQUEST_NOT_FOUND) restarts too', async () => {
    const flow = await atEnterEmail();
    flow.server.next('sendCode', httpError(404, 'SETUP_REQUEST_NOT_FOUND', 'Start over.'));
    await flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    expect(flow.server.count('restartSignIn')).toBe(1);
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
  });

  it('offers "resend" only after the cooldown, and a resend is a fresh request', async () => {
    const flow = await atEnterCode();
    await flow.send({ type: 'RESEND_CODE' });
    expect(flow.server.count('restartSignIn')).toBe(0);
    await flow.advance(29_950);
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    await flow.send({ type: 'RESEND_CODE' });
    expect(flow.server.count('restartSignIn')).toBe(0);
    await flow.advance(50);
    expect(flow.state()).toBe('signIn.enterCode.resendAvailable');
    await flow.send({ type: 'RESEND_CODE' });
    expect(flow.server.callsTo('restartSignIn')).toEqual([{ email: 'alice@example.com' }]);
    expect(flow.context().notice).toBe('code-resent');
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
  });

  it('a wrong code does not restart the resend cooldown, and a resend does', async () => {
    const flow = await atEnterCode();
    await flow.advance(20_000);
    flow.server.next('submitCode', httpError(401, 'INVALID_CODE', 'That code is not right. 4 attempts left.'));
    await flow.send(code('000000'));
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().codesSent).toBe(1);
    await flow.advance(10_000);
    expect(flow.state()).toBe('signIn.enterCode.resendAvailable');
    await flow.send({ type: 'RESEND_CODE' });
    expect(flow.context().codesSent).toBe(2);
    await flow.advance(29_000);
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
  });

  it('CHANGE_EMAIL goes back to the email step and sends to the new address', async () => {
    const flow = await atEnterCode();
    await flow.send({ type: 'CHANGE_EMAIL' });
    expect(flow.state()).toBe('signIn.enterEmail');
    // A new address gets a new setup request (as Beeper's CLI does), never the old one.
    await flow.send({ type: 'SUBMIT_EMAIL', email: 'bob@example.com' });
    expect(flow.server.callsTo('restartSignIn').at(-1)).toEqual({ email: 'bob@example.com' });
    expect(flow.server.callsTo('sendCode')).toEqual([{ setupRequestID: 'req-1', email: 'alice@example.com' }]);
    expect(flow.context().setupRequestID).toBe('req-2');
  });
});

describe('input refused locally, without calling the server', () => {
  it.each(['', 'alice', 'alice@example', 'al ice@example.com'])('email %j', async (email) => {
    const flow = await atEnterEmail();
    await flow.send({ type: 'SUBMIT_EMAIL', email });
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_EMAIL' });
    expect(flow.context().problem?.message).toMatch(/\S/);
    expect(flow.server.count('sendCode')).toBe(0);
  });

  // The contract does not fix a code's format: only what cannot be a code is refused here.
  it.each(['', '12', '12345!', 'a'.repeat(17)])('code %j', async (text) => {
    const flow = await atEnterCode();
    await flow.send(code(text));
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_CODE_FORMAT' });
    expect(flow.server.count('submitCode')).toBe(0);
  });

  it('a code pasted with spaces or a dash is sent as its six digits', async () => {
    const flow = await atEnterCode();
    flow.server.session = session('needs-verification');
    await flow.send(code(' 123-456 '));
    expect(flow.server.callsTo('submitCode').map((input) => revealed(input.code))).toEqual(['123456']);
  });

  it.each(['ab', 'Carol', 'carol smith', 'x'.repeat(33)])('username %j', async (username) => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', REGISTRATION);
    await flow.send(code('123456'));
    await flow.send({ type: 'SUBMIT_USERNAME', username });
    expect(flow.state()).toBe('signIn.chooseUsername');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_USERNAME' });
    expect(flow.context().username).toBe(username);
  });
});

describe('an invalid answer given up front ends the run on it, saying which one', () => {
  it('email', async () => {
    const flow = await atEnterEmail();
    await flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example', source: 'preset' });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_EMAIL', preset: 'email' });
    expect(flow.context().email).toBe('alice@example');
    expect(flow.server.count('sendCode') + flow.server.count('restartSignIn')).toBe(0);
  });

  it('code', async () => {
    const flow = await atEnterCode();
    await flow.send({ ...code('12'), source: 'preset' });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_CODE_FORMAT', preset: 'code' });
    expect(flow.server.count('submitCode')).toBe(0);
  });

  it('username', async () => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', REGISTRATION);
    await flow.send(code('123456'));
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'Carol', source: 'preset' });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'INVALID_USERNAME', preset: 'username' });
    expect(flow.context().username).toBe('Carol');
  });
});

describe('create an account', () => {
  async function atChooseUsername(): Promise<Flow> {
    const flow = await atEnterCode();
    flow.server.next('submitCode', REGISTRATION);
    await flow.send(code('123456'));
    expect(flow.state()).toBe('signIn.chooseUsername');
    expect(flow.context().registration?.usernameSuggestions).toEqual(['carol', 'carol42']);
    return flow;
  }

  it('username → terms (nothing sent before ACCEPT_TERMS) → register → create key → ready', async () => {
    const flow = await atChooseUsername();
    const { server } = flow;
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'carol' });
    expect(flow.state()).toBe('signIn.reviewTerms');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('signIn.chooseUsername');
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'carol' });
    expect(server.count('register')).toBe(0);

    server.session = session('needs-cross-signing-setup');
    await flow.send({ type: 'ACCEPT_TERMS' });
    const [registered] = server.callsTo('register');
    expect(registered).toMatchObject({ setupRequestID: 'req-1', username: 'carol' });
    expect(revealed(registered?.leadToken)).toBe('lead-1');
    expect(revealed(flow.context().accessToken)).toBe('token-new');

    // A new account is told what a recovery key is for, without the reset warning; nothing is made yet.
    expect(flow.state()).toBe('newRecoveryKey.intro');
    expect(server.count('resetRecoveryKey')).toBe(0);
    await flow.send({ type: 'CREATE_RECOVERY_KEY' });
    expect(flow.state()).toBe('newRecoveryKey.showingKey');
    expect(server.callsTo('resetRecoveryKey').map((input) => input.existingRecoveryKey)).toEqual([undefined]);
    expect(flow.context().newKeyReason).toBe('new-account');
    expect(revealed(flow.context().newRecoveryKey)).toBe(NEW_KEY);

    server.session = session('needs-first-sync');
    await flow.send({ type: 'KEY_SAVED' });
    expect(server.callsTo('confirmRecoveryKey').map((input) => revealed(input.recoveryKey))).toEqual([NEW_KEY]);
    expect(flow.context().newRecoveryKey).toBeUndefined();
    server.session = session('ready');
    await flow.advance(1000);
    expect(flow.actor.getSnapshot().output?.outcome).toBe('ready');
  });

  it('a taken username (409) goes back to the username step, keeping it and the terms accepted; another one is sent at once', async () => {
    const flow = await atChooseUsername();
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'alice' });
    flow.server.next('register', httpError(409, 'USERNAME_TAKEN', 'That username is taken.'));
    await flow.send({ type: 'ACCEPT_TERMS' });
    expect(flow.state()).toBe('signIn.chooseUsername');
    expect(flow.context().problem).toMatchObject({ code: 'USERNAME_TAKEN', message: 'That username is taken.' });
    expect(flow.context().username).toBe('alice');
    expect(flow.context().termsAccepted).toBe(true);

    flow.server.session = session('needs-cross-signing-setup');
    // No second trip through the terms: the person agreed to them for this registration.
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'carol' });
    expect(flow.server.callsTo('register').map((input) => input.username)).toEqual(['alice', 'carol']);
    expect(flow.state()).toBe('newRecoveryKey.intro');
  });

  it('a 409 on the code while the app is signed in to another account stops, without mailing a new code', async () => {
    const flow = await startFlow({ prepare: (server) => server.next('probe', { app: APP, session: undefined, tokenRefused: false, signedInWithoutUs: true }) });
    await flow.send({ type: 'SUBMIT_EMAIL', email: 'bob@example.com' });
    flow.server.next('submitCode', httpError(409, 'INVALID_STATE', 'This app is already signed in as @alice:beeper.com. Sign out first.'));
    await flow.send(code('123456'));
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'already-signed-in', status: 409 });
    expect(flow.server.count('sendCode') + flow.server.count('restartSignIn')).toBe(1);
  });

  it('a 409 on the code of an app nobody else holds starts the sign-in over once (the code was used)', async () => {
    const flow = await atEnterCode();
    flow.server.next('submitCode', httpError(409, 'INVALID_STATE', 'No code expected.'));
    await flow.send(code('123456'));
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
    expect(flow.context().notice).toBe('sign-in-restarted');
    expect(flow.server.count('restartSignIn')).toBe(1);
  });

  it('a server failure while registering stays on the terms step with the problem', async () => {
    const flow = await atChooseUsername();
    await flow.send({ type: 'SUBMIT_USERNAME', username: 'carol' });
    flow.server.next('register', httpError(503, 'UNAVAILABLE', 'Try later.'));
    await flow.send({ type: 'ACCEPT_TERMS' });
    expect(flow.state()).toBe('signIn.reviewTerms');
    expect(flow.context().problem?.kind).toBe('server');
  });
});

describe('a sign-in an earlier run started', () => {
  const pendingSignIn = { setupRequestID: 'req-earlier', email: 'alice@example.com' };

  it('goes straight to the code, without a new request or email, and submits it to that request', async () => {
    const flow = await startFlow({ input: { pendingSignIn } });
    // That code was mailed by an earlier run: a new one may be asked for at once.
    expect(flow.state()).toBe('signIn.enterCode.resendAvailable');
    expect(flow.context().email).toBe('alice@example.com');
    expect(flow.server.count('startSignIn')).toBe(0);
    expect(flow.server.count('sendCode')).toBe(0);
    await flow.send(code('123456'));
    expect(flow.server.callsTo('submitCode').map((input) => input.setupRequestID)).toEqual(['req-earlier']);
  });

  it('another --email starts over', async () => {
    const flow = await startFlow({ input: { pendingSignIn, email: 'bob@example.com' } });
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.server.count('startSignIn')).toBe(1);
  });

  it('a request that died meanwhile (410) restarts with the same email', async () => {
    const flow = await startFlow({ input: { pendingSignIn }, prepare: (server) => server.next('submitCode', httpError(410, 'SETUP_REQUEST_EXPIRED', 'Start over.')) });
    await flow.send(code('123456'));
    expect(flow.server.count('restartSignIn')).toBe(1);
    expect(flow.state()).toBe('signIn.enterCode.coolingDown');
  });
});
