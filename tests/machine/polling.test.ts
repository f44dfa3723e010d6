/**
 * Polling over a simulated minute: one request a second, never two in flight,
 * a slow server is not piled up on, and leaving the state stops it at once.
 */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { atChooseMethod, atComparingEmojis, atWaitingForOtherDevice } from './flows.js';
import { session, startFlow, verification, type ActorName, type Flow } from './helpers.js';

const MINUTE = 60_000;

async function atWaitingForServer(): Promise<Flow> {
  const flow = await startFlow({ input: { accessToken: new Secret('token-0') }, prepare: (server) => (server.session = session('initializing')) });
  expect(flow.state()).toBe('startingEncryption.idle');
  return flow;
}

const startsOf = (flow: Flow, name: ActorName) => flow.server.calls.filter((call) => call.name === name).map((call) => call.at);
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!);

/** Every poll we know: how to get there, and which call polls. */
const POLLERS = [
  ['waiting for the server', atWaitingForServer, 'fetchSession'],
  ['choosing a method', () => atChooseMethod(), 'findIncoming'],
  ['waiting for the other device', () => atWaitingForOtherDevice(), 'fetchVerification'],
] as const;

describe.each(POLLERS)('polling while %s', (_, open, poll) => {
  it('≈60 requests in a minute at 1 s, one at a time', async () => {
    const flow = await open();
    const before = flow.server.calls.length;
    const started = flow.clock.now();
    await flow.advance(MINUTE);
    const polls = startsOf(flow, poll).filter((at) => at > started);
    expect(polls.length).toBe(60);
    expect(new Set(gaps(polls))).toEqual(new Set([1000]));
    expect(flow.server.calls.length - before).toBe(60);
    expect(flow.server.maxInFlight).toBe(1);
  });

  it('a slow server (2.5 s an answer) is asked again 1 s after it answers, never twice at once', async () => {
    const flow = await open();
    flow.server.latencyMs = 2500;
    const started = flow.clock.now();
    await flow.advance(MINUTE);
    const polls = startsOf(flow, poll).filter((at) => at > started);
    expect(new Set(gaps(polls))).toEqual(new Set([3500]));
    expect(polls.length).toBe(17);
    expect(flow.server.maxInFlight).toBe(1);
  });

  it('stops the moment the state is left, aborting the request in flight', async () => {
    const flow = await open();
    flow.server.latencyMs = 500;
    await flow.advance(1200);
    expect(flow.server.inFlight).toBe(1);
    await flow.send({ type: 'INTERRUPT' });
    expect(flow.server.inFlight).toBe(0);
    const calls = flow.server.calls.length;
    await flow.advance(MINUTE);
    expect(flow.server.calls.length).toBe(calls);
  });
});

describe('polling meets the user', () => {
  it('MATCH during a poll: the poll is dropped, confirm runs alone', async () => {
    const flow = await atComparingEmojis();
    flow.server.latencyMs = 300;
    await flow.advance(1100);
    expect(flow.server.inFlight).toBe(1);
    flow.server.moves('confirmSas', verification('sas_ready', { availableActions: ['cancel'] }));
    await flow.send({ type: 'MATCH' });
    await flow.advance(300);
    expect(flow.server.count('confirmSas')).toBe(1);
    expect(flow.server.maxInFlight).toBe(1);
    expect(flow.state()).toContain('waitingForOtherConfirm');
  });

  it('leaving the method choice for the recovery key stops its poll', async () => {
    const flow = await atChooseMethod();
    await flow.advance(3000);
    await flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
    const calls = flow.server.calls.length;
    await flow.advance(MINUTE);
    expect(flow.server.calls.length).toBe(calls);
  });

  it('a ready server ends the wait and nothing polls after', async () => {
    const flow = await atWaitingForServer();
    await flow.advance(10_000);
    flow.server.session = session('ready');
    await flow.advance(1000);
    expect(flow.state()).toBe('ready');
    const calls = flow.server.calls.length;
    await flow.advance(MINUTE);
    expect(flow.server.calls.length).toBe(calls);
  });

  it('pollIntervalMs sets the pace', async () => {
    const flow = await startFlow({
      input: { accessToken: new Secret('token-0'), pollIntervalMs: 250 },
      prepare: (server) => (server.session = session('initializing')),
    });
    await flow.advance(10_000);
    expect(flow.server.count('fetchSession')).toBe(40);
  });
});
