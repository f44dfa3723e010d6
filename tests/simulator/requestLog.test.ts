/** The request log: body field names (never values), arrival and answer times, requests in flight. */
import { describe, expect, it, vi } from 'vitest';
import { SETUP, call, closeSimulatorsAfterEach, del, get, manualClock, post, signedInNeedingVerification, start } from './helpers.js';

closeSimulatorsAfterEach();

describe('field names', () => {
  it('names the top-level fields of JSON object bodies, sorted, and never their values', async () => {
    const sim = await start();
    const token = await signedInNeedingVerification(sim);
    await post(sim, `${SETUP}/verifications`, {}, token);
    await post(sim, `${SETUP}/verifications`, { userID: '@alice:beeper.com', purpose: 'login' }, token);
    await call(sim, 'POST', `${SETUP}/start`);
    await post(sim, `${SETUP}/start`, [1, 2]);
    await post(sim, `${SETUP}/email`, '{"broken":');
    const log = sim.control.requests().slice(-5);
    expect(log.map((r) => r.fields)).toEqual([[], ['purpose', 'userID'], undefined, undefined, undefined]);
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 200, 400]);
    expect(JSON.stringify(sim.control.requests())).not.toContain('@alice');
    expect((await get(sim, '/_sim/requests')).body.requests.slice(-4)[0].fields).toEqual(['purpose', 'userID']);
  });

  it('logs fields of faulted requests too', async () => {
    const sim = await start();
    sim.control.setFaults({ htmlError: 1 });
    await post(sim, `${SETUP}/email`, { setupRequestID: 'x', email: 'a@example.com' });
    expect(sim.control.requests()).toEqual([
      { method: 'POST', path: `${SETUP}/email`, status: 502, fields: ['email', 'setupRequestID'], startedAt: expect.any(Number), at: expect.any(Number) },
    ]);
  });
});

describe('times and requests in flight', () => {
  it('startedAt is the arrival, at the answer', async () => {
    const sim = await start();
    sim.control.setFaults({ latencyMs: 40 });
    await get(sim, '/v1/info');
    const [entry] = sim.control.requests();
    expect(entry!.at - entry!.startedAt).toBeGreaterThanOrEqual(35);
    const clock = manualClock();
    const still = await start({ now: clock.now });
    await get(still, '/v1/info');
    expect(still.control.requests()[0]).toMatchObject({ startedAt: clock.now(), at: clock.now() });
  });

  it('counts the most API requests in flight at once; /_sim/ calls do not count', async () => {
    const sim = await start();
    await get(sim, '/v1/info');
    await get(sim, '/v1/info');
    await get(sim, '/_sim/accounts');
    expect(sim.control.maxInFlight()).toBe(1);
    // Long enough that all four are open at once even on a loaded machine (60 ms was not, once in ten runs).
    sim.control.setFaults({ latencyMs: 1000 });
    await Promise.all(Array.from({ length: 4 }, () => get(sim, '/v1/info')));
    expect(sim.control.maxInFlight()).toBe(4);
    const listed = (await get(sim, '/_sim/requests')).body;
    expect(listed.maxInFlight).toBe(4);
    expect(listed.requests).toHaveLength(6);
    // Intervals overlap for the four parallel ones.
    const parallel = listed.requests.slice(2) as { startedAt: number; at: number }[];
    const latestStart = Math.max(...parallel.map((r) => r.startedAt));
    expect(parallel.every((r) => r.at >= latestStart)).toBe(true);

    const cleared = (await del(sim, '/_sim/requests')).body;
    expect(cleared).toEqual({ requests: [], maxInFlight: 0 });
    sim.control.clearFaults();
    await get(sim, '/v1/info');
    expect(sim.control.maxInFlight()).toBe(1);
  });

  it('a dropped connection leaves the in-flight count', async () => {
    const sim = await start();
    sim.control.setFaults({ dropConnections: 1 });
    await expect(get(sim, '/v1/info')).rejects.toThrow();
    // The server notices the closed socket a moment after the client does.
    await vi.waitFor(() => {
      sim.control.clearRequests();
      expect(sim.control.maxInFlight()).toBe(0);
    });
    await get(sim, '/v1/info');
    expect(sim.control.maxInFlight()).toBe(1);
  });
});
