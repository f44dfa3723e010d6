/** Sign-in and account creation: the machine + real client against the simulator over HTTP. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { cleanUpAfterEach, expectReady, signInTo, simAtChooseMethod, startSim, startSimFlow, wrongCode } from './simHelpers.js';

cleanUpAfterEach();

describe('sign in against the simulator', () => {
  it('existing account + recovery key → ready', async () => {
    const flow = await simAtChooseMethod();
    expect(flow.context().app?.app.name).toBe('Beeper Server');
    expect(flow.context().accessToken).toBeInstanceOf(Secret);
    flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
    await flow.until('enterRecoveryKey');
    flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(flow.keyOf('alice@example.com')) });
    await expectReady(flow);
  });

  it('a code pasted as "123 456" is accepted by the server', async () => {
    const flow = await startSimFlow();
    await flow.until('signIn.enterEmail');
    flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    await flow.until('signIn.enterCode');
    const digits = flow.code('alice@example.com').reveal();
    flow.send({ type: 'SUBMIT_CODE', code: new Secret(`${digits.slice(0, 3)} ${digits.slice(3)}`) });
    await flow.until('chooseMethod');
  });

  it('a wrong code, then the right one', async () => {
    const flow = await startSimFlow();
    await flow.until('signIn.enterEmail');
    flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    await flow.until('signIn.enterCode');
    const right = flow.code('alice@example.com');
    flow.send({ type: 'SUBMIT_CODE', code: wrongCode(right) });
    await flow.until('signIn.checkingCode');
    await flow.until('signIn.enterCode');
    expect(flow.context().problem).toMatchObject({ code: 'INVALID_CODE', attemptsLeft: 4 });
    flow.send({ type: 'SUBMIT_CODE', code: right });
    await flow.until('chooseMethod');
  });

  it('the code request dies after five wrong codes (410); a new code to the same email signs in', async () => {
    const flow = await startSimFlow();
    await flow.until('signIn.enterEmail');
    flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    await flow.until('signIn.enterCode');
    const first = flow.code('alice@example.com');
    for (let attempt = 1; attempt <= 5; attempt++) {
      flow.send({ type: 'SUBMIT_CODE', code: wrongCode(first) });
      await flow.until('signIn.checkingCode');
      await flow.until('signIn.enterCode');
    }
    expect(flow.context().notice).toBe('sign-in-restarted');
    expect(flow.sim.control.outbox().map((mail) => mail.email)).toEqual(['alice@example.com', 'alice@example.com']);
    flow.send({ type: 'SUBMIT_CODE', code: flow.code('alice@example.com') });
    await flow.until('chooseMethod');
  });

  it('resend after the cooldown mails a new code, and the new code works', async () => {
    const flow = await startSimFlow();
    await flow.until('signIn.enterEmail');
    flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    await flow.until('signIn.enterCode.resendAvailable');
    flow.send({ type: 'RESEND_CODE' });
    await flow.until('signIn.enterCode.coolingDown');
    expect(flow.sim.control.outbox()).toHaveLength(2);
    flow.send({ type: 'SUBMIT_CODE', code: flow.code('alice@example.com') });
    await flow.until('chooseMethod');
  });

  it('new account: taken username (409), another one, then a new recovery key → ready', async () => {
    const flow = await startSimFlow();
    await signInTo(flow, 'carol@example.com');
    await flow.until('signIn.chooseUsername');
    const suggestions = flow.context().registration?.usernameSuggestions ?? [];
    expect(suggestions[0]).toBe('carol');

    flow.send({ type: 'SUBMIT_USERNAME', username: 'alice' });
    flow.send({ type: 'ACCEPT_TERMS' });
    await flow.until('signIn.registering');
    await flow.until('signIn.chooseUsername');
    expect(flow.context().problem).toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });

    flow.send({ type: 'SUBMIT_USERNAME', username: 'carol' });
    flow.send({ type: 'ACCEPT_TERMS' });
    await flow.until('newRecoveryKey.intro');
    flow.send({ type: 'CREATE_RECOVERY_KEY' });
    await flow.until('newRecoveryKey.showingKey');
    expect(flow.context().newKeyReason).toBe('new-account');
    const key = flow.context().newRecoveryKey!.reveal();
    flow.send({ type: 'KEY_SAVED' });
    await expectReady(flow);
    expect(flow.keyOf('carol@example.com')).toBe(key);
  });

  it('unreachable, then RETRY once the app is up (same port)', async () => {
    const first = await startSim();
    const { port } = first;
    await first.close();
    const flow = await startSimFlow({ sim: first });
    await flow.until('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'unreachable', baseUrl: `http://127.0.0.1:${port}` });
    const revived = await startSim({ port });
    flow.send({ type: 'RETRY' });
    await flow.until('signIn.enterEmail');
    expect(revived.control.requests().map((entry) => entry.path)).toContain('/v1/app/setup/start');
  });

  it('a Beeper build without terminal setup is reported as such', async () => {
    const flow = await startSimFlow({ simOptions: { legacyBuild: true } });
    await flow.until('failed');
    expect(flow.context().problem?.kind).toBe('unsupported-build');
  });

  it('a token revoked mid-flow (signed in elsewhere): back to sign-in with the token forgotten', async () => {
    const flow = await simAtChooseMethod();
    const other = await startSimFlow({ sim: flow.sim });
    await signInTo(other, 'alice@example.com');
    await other.until('chooseMethod');
    await flow.until('signIn.enterEmail');
    expect(flow.context()).toMatchObject({ accessToken: undefined, notice: 'signed-out' });
    expect(flow.sim.control.requests().some((entry) => entry.status === 401)).toBe(true);
  });

  it('a saved token resumes without signing in again', async () => {
    const flow = await simAtChooseMethod();
    const token = flow.context().accessToken;
    flow.actor.stop();
    const resumed = await startSimFlow({ sim: flow.sim, input: { accessToken: token } });
    await resumed.until('chooseMethod');
    expect(resumed.requests().filter((request) => request.endsWith('/start'))).toHaveLength(1);
  });
});
