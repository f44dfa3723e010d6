/** Failures and odd servers: unreachable, old builds, unknown states, revoked tokens, backoff, timeouts. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { atChooseMethod, atComparingEmojis, atWaitingForOtherDevice } from './flows.js';
import { APP, RECOVERY_KEY, httpError, session, startFlow, unreachable, type Flow } from './helpers.js';

const withToken = { accessToken: new Secret('token-0') };

async function atWaitingForServer(state = 'initializing', input = {}): Promise<Flow> {
  const flow = await startFlow({ input: { ...withToken, ...input }, prepare: (server) => (server.session = session(state)) });
  expect(flow.step()).toMatchObject({ step: 'waiting-server', kind: 'wait', waitsFor: 'server' });
  return flow;
}

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!);

describe('where the app stands', () => {
  it('unreachable: fails with the address tried; RETRY probes again and goes on', async () => {
    const flow = await startFlow({ prepare: (server) => server.next('probe', unreachable()) });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'unreachable', baseUrl: 'http://localhost:23373' });
    await flow.send({ type: 'RETRY' });
    expect(flow.server.count('probe')).toBe(2);
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context().problem).toBeUndefined();
    expect(flow.context().app).toEqual(APP);
  });

  it('a server error while probing fails with kind "server"', async () => {
    const flow = await startFlow({ prepare: (server) => server.next('probe', httpError(500, 'INTERNAL', 'Boom.')) });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem?.kind).toBe('server');
  });

  it('an app without setup routes (404 on start) is an unsupported build', async () => {
    const flow = await startFlow({
      prepare: (server) => {
        server.next('probe', { app: APP, session: undefined, tokenRefused: false, signedInWithoutUs: false });
        server.next('startSignIn', httpError(404, 'NOT_FOUND', 'Not found.'));
      },
    });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'unsupported-build', status: 404 });
  });

  it('no /v1/info and no setup routes: whatever answers is not Beeper', async () => {
    const flow = await startFlow({
      prepare: (server) => {
        server.next('probe', { app: undefined, session: undefined, tokenRefused: false, signedInWithoutUs: false });
        server.next('startSignIn', httpError(405, 'METHOD_NOT_ALLOWED', 'Unsupported method.'));
      },
    });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'not-beeper', status: 405 });
  });

  it('a refused saved token: sign in again, token dropped, notice "token-refused"', async () => {
    const flow = await startFlow({ input: withToken, prepare: (server) => server.next('probe', { app: APP, session: undefined, tokenRefused: true, signedInWithoutUs: true }) });
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context().accessToken).toBeUndefined();
    expect(flow.context().notice).toBe('token-refused');
  });

  it('an unknown session state ("needs-something-new") is waited out until ready', async () => {
    const flow = await atWaitingForServer('needs-something-new');
    await flow.advance(5000);
    expect(flow.state()).toBe('waitingForServer.idle');
    expect(flow.server.count('fetchSession')).toBe(5);
    flow.server.session = session('ready');
    await flow.advance(1000);
    expect(flow.state()).toBe('ready');
    expect(flow.actor.getSnapshot().output).toEqual({ outcome: 'ready', session: session('ready') });
  });
});

describe('a token revoked mid-flow (401)', () => {
  it.each([
    ['choosing a method', () => atChooseMethod(), 'findIncoming'],
    ['waiting for the server', () => atWaitingForServer(), 'fetchSession'],
  ] as const)('while %s: back to sign-in, token and session forgotten', async (_, open, poll) => {
    const flow = await open();
    flow.server.next(poll, httpError(401, 'UNAUTHORIZED', 'Sign in again.'));
    flow.server.session = session('needs-login');
    await flow.advance(1000);
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context()).toMatchObject({ accessToken: undefined, session: undefined, notice: 'signed-out' });
    expect(flow.server.count('startSignIn')).toBe(1);
  });

  it('on a verification action (MATCH): back to sign-in instead of a verification failure', async () => {
    const flow = await atComparingEmojis();
    flow.server.next('confirmSas', httpError(401, 'UNAUTHORIZED', 'Sign in again.'));
    await flow.send({ type: 'MATCH' });
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context()).toMatchObject({ accessToken: undefined, notice: 'signed-out' });
  });

  it('a saved token for an app that has been signed out since is dropped at the probe', async () => {
    const flow = await startFlow({ input: withToken, prepare: (server) => (server.session = session('needs-login')) });
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context()).toMatchObject({ accessToken: undefined, notice: 'signed-out' });
  });
});

describe('poll backoff', () => {
  it('1 s, then 2, 4, 8, capped at 10 s after failures; back to 1 s after a success', async () => {
    const flow = await atWaitingForServer();
    let failures = 5;
    flow.server.on('fetchSession', () => {
      if (failures-- > 0) throw httpError(503, 'UNAVAILABLE', 'Busy.');
      return flow.server.session;
    });
    const seen: number[] = [];
    flow.actor.subscribe((snapshot) => seen.push(snapshot.context.pollFailures));
    await flow.advance(36_500);
    const times = flow.server.calls.filter((call) => call.name === 'fetchSession').map((call) => call.at);
    expect(times[0]).toBe(1000);
    expect(gaps(times)).toEqual([2000, 4000, 8000, 10_000, 10_000, 1000]);
    expect(Math.max(...seen)).toBe(5);
    expect(flow.context().pollFailures).toBe(0);
    expect(flow.context().problem).toBeUndefined();
  });

  it('a failing poll keeps the problem for the "retrying" line until the next success', async () => {
    const flow = await atChooseMethod();
    flow.server.next('findIncoming', httpError(502, 'BAD_GATEWAY', 'Bad gateway.'));
    await flow.advance(1000);
    expect(flow.context()).toMatchObject({ pollFailures: 1, problem: { kind: 'server' } });
    await flow.advance(1950);
    expect(flow.server.count('findIncoming')).toBe(1);
    await flow.advance(50);
    expect(flow.server.count('findIncoming')).toBe(2);
    expect(flow.context()).toMatchObject({ pollFailures: 0, problem: undefined });
  });

  it('the verification poll backs off the same way', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.on('fetchVerification', () => {
      throw httpError(500, 'INTERNAL', 'Boom.');
    });
    await flow.advance(15_000);
    const times = flow.server.calls.filter((call) => call.name === 'fetchVerification').map((call) => call.at);
    expect(gaps(times)).toEqual([2000, 4000, 8000]);
    expect(flow.context().pollFailures).toBe(4);
  });
});

describe('waitTimeoutMs', () => {
  it('waiting for the server ends in timedOut, and polling stops', async () => {
    const flow = await atWaitingForServer('initializing', { waitTimeoutMs: 30_000 });
    await flow.advance(29_950);
    expect(flow.state()).toBe('startingEncryption.idle');
    await flow.advance(50);
    expect(flow.state()).toBe('timedOut');
    expect(flow.actor.getSnapshot().output?.outcome).toBe('timed-out');
    const calls = flow.server.calls.length;
    await flow.advance(10_000);
    expect(flow.server.calls.length).toBe(calls);
  });

  it('the verification wait is one budget, not restarted by each poll', async () => {
    const flow = await atChooseMethod({ waitTimeoutMs: 5000 });
    await flow.advance(3000);
    await atWaitingForOtherDevice(flow);
    await flow.advance(4950);
    expect(flow.matches('deviceVerification')).toBe(true);
    await flow.advance(50);
    expect(flow.state()).toBe('timedOut');
  });

  it('no timeout by default', async () => {
    const flow = await atWaitingForServer();
    await flow.advance(10 * 60_000, 1000);
    expect(flow.state()).toBe('startingEncryption.idle');
  });
});

describe('backoff does not leak between waits', () => {
  it('failed polls while choosing do not slow the next wait down', async () => {
    const flow = await atChooseMethod();
    flow.server.on('findIncoming', () => {
      throw httpError(503, 'UNAVAILABLE', 'Busy.');
    });
    await flow.advance(7000);
    expect(flow.context().pollFailures).toBe(3);
    await flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
    flow.server.session = session('needs-first-sync');
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(RECOVERY_KEY) });
    expect(flow.state()).toBe('firstSync.idle');
    const entered = flow.clock.now();
    await flow.advance(1000);
    expect(flow.server.calls.filter((call) => call.name === 'fetchSession').map((call) => call.at - entered)).toEqual([1000]);
  });
});
