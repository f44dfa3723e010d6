import { describe, expect, it } from 'vitest';
import { SETUP, closeSimulatorsAfterEach, del, get, post, recoveryKeyOf, signIn, start, submitCode, vpath } from './helpers.js';

closeSimulatorsAfterEach();

const info = (sim: Awaited<ReturnType<typeof start>>) => get(sim, '/v1/info');

describe('faults', () => {
  it('drops the next N connections without an answer, then recovers', async () => {
    const sim = await start();
    await post(sim, '/_sim/faults', { dropConnections: 2 });
    await expect(info(sim)).rejects.toThrow();
    await expect(info(sim)).rejects.toThrow();
    expect((await info(sim)).status).toBe(200);
    expect(sim.control.requests().map((r) => r.status)).toEqual([0, 0, 200]);
  });

  it('answers 200 with truncated JSON', async () => {
    const sim = await start();
    sim.control.setFaults({ malformedBody: 1 });
    const broken = await fetch(`${sim.url}/v1/app/setup/start`, { method: 'POST' });
    expect(broken.status).toBe(200);
    expect(broken.headers.get('content-type')).toContain('application/json');
    await expect(broken.json()).rejects.toThrow(SyntaxError);
    expect((await post(sim, `${SETUP}/start`)).body.signInMethods).toEqual(['email']);
  });

  it('answers 502 with an HTML page', async () => {
    const sim = await start();
    sim.control.setFaults({ htmlError: 1 });
    const page = await info(sim);
    expect(page.status).toBe(502);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('<h1>502 Bad Gateway</h1>');
    expect((await info(sim)).status).toBe(200);
  });

  it('rate-limits the next `count` requests with Retry-After', async () => {
    const sim = await start();
    sim.control.setFaults({ rateLimit: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i++) {
      const limited = await info(sim);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.body.code).toBe('RATE_LIMITED');
    }
    expect((await info(sim)).status).toBe(200);
  });

  it('fails every n-th request with the given status', async () => {
    const sim = await start();
    sim.control.setFaults({ failEvery: { n: 3, status: 503 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await info(sim)).status);
    expect(statuses).toEqual([200, 200, 503, 200, 200, 503]);
  });

  it('delays answers by latencyMs', async () => {
    const sim = await start();
    // Wide apart, so a loaded machine cannot blur the two: 600 ms with the fault, far less without.
    sim.control.setFaults({ latencyMs: 600 });
    const began = performance.now();
    await info(sim);
    expect(performance.now() - began).toBeGreaterThanOrEqual(595);
    sim.control.clearFaults();
    const again = performance.now();
    await info(sim);
    expect(performance.now() - again).toBeLessThan(400);
  });

  it('never touches /_sim/, and a faulted request never reaches the app', async () => {
    const sim = await start();
    await post(sim, '/_sim/faults', { htmlError: 5 });
    expect((await get(sim, '/_sim/accounts')).status).toBe(200);
    expect((await post(sim, `${SETUP}/start`)).status).toBe(502);
    expect((await get(sim, '/_sim/faults')).body.faults).toEqual({ htmlError: 4 });
    expect((await del(sim, '/_sim/faults')).body.faults).toEqual({});
    expect((await post(sim, `${SETUP}/start`)).status).toBe(200);
  });

  it('rejects a bad fault plan', async () => {
    const sim = await start();
    const bad = await post(sim, '/_sim/faults', { failEvery: { n: 0 }, dropConnections: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
    expect(bad.body.details.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['dropConnections', 'failEvery.n', 'failEvery.status']),
    );
  });
});

describe('request log', () => {
  it('records method, path, status, field names and times of API calls only, and no secrets', async () => {
    const lines: string[] = [];
    const sim = await start({ log: (line) => lines.push(line) });
    const { answer } = await submitCode(sim, 'alice@example.com');
    const token: string = answer.body.matrix.accessToken;
    const code = sim.control.latestCode('alice@example.com')!;
    const key = recoveryKeyOf(sim, 'alice@example.com');
    await post(sim, `${SETUP}/verification/recovery-key`, { recoveryKey: key }, token);
    await get(sim, `${SETUP}?token=${token}`, token);
    await get(sim, '/_sim/outbox');

    const log = (await get(sim, '/_sim/requests')).body.requests;
    expect(log.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/app/setup/start',
      'POST /v1/app/setup/email',
      'POST /v1/app/setup/response',
      'POST /v1/app/setup/verification/recovery-key',
      'GET /v1/app/setup',
    ]);
    for (const entry of log) {
      const keys = Object.keys(entry).sort();
      expect(keys).toEqual(['at', ...(entry.method === 'POST' ? ['fields'] : []), 'method', 'path', 'startedAt', 'status']);
    }
    expect(log.map((r: { fields?: string[] }) => r.fields)).toEqual([
      [],
      ['email', 'setupRequestID'],
      ['response', 'setupRequestID'],
      ['recoveryKey'],
      undefined,
    ]);
    const text = JSON.stringify(log);
    for (const secret of [token, code, key, key.replace(/ /g, '')]) expect(text).not.toContain(secret);
    // The console shows the code line only: no token, no key.
    expect(lines).toEqual([`[simulator] code for alice@example.com: ${code}`]);
  });
});

describe('control API over HTTP', () => {
  it('seeds accounts, plays the other device, configures and resets', async () => {
    const sim = await start();
    const seeded = await post(sim, '/_sim/accounts', { email: 'carl@example.com', username: 'carl', otherDeviceName: 'iPad' });
    expect(seeded.status).toBe(200);
    expect(seeded.body).toMatchObject({ email: 'carl@example.com', userID: '@carl:beeper.com', otherDeviceName: 'iPad' });
    expect(seeded.body.recoveryKey).toMatch(/^Es[STU]/);
    expect((await post(sim, '/_sim/accounts', { email: 'x@example.com', username: 'carl' })).status).toBe(409);
    expect((await get(sim, '/_sim/accounts')).body.accounts.map((a: { username: string }) => a.username)).toEqual([
      'alice',
      'bob',
      'carl',
    ]);

    const config = await post(sim, '/_sim/config', { timings: { initializingMs: 5 } });
    expect(config.body.config.timings).toEqual({ initializingMs: 5, firstSyncMs: 20, otherDeviceMs: 20 });
    // A misspelt field is refused, not ignored; the emojis can be fixed through the API too.
    expect((await post(sim, '/_sim/config', { autoOtherDevise: true })).status).toBe(400);
    expect((await post(sim, '/_sim/config', { timings: { firstSync: 5 } })).status).toBe(400);
    expect((await post(sim, '/_sim/config', { sasNumbers: [1, 2, 3] })).status).toBe(400);
    expect((await post(sim, '/_sim/config', { sasNumbers: [0, 1, 2, 3, 4, 5, 6] })).body.config.sasNumbers).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((await post(sim, '/_sim/config', { sasNumbers: [] })).body.config.sasNumbers).toBeUndefined();
    const token = await signIn(sim, 'carl@example.com');
    await expect.poll(async () => (await get(sim, SETUP, token)).body.state, { interval: 10 }).toBe('needs-verification');

    expect((await post(sim, '/_sim/other-device', { action: 'dance' })).status).toBe(400);
    const v = (await post(sim, '/_sim/other-device', { action: 'request' })).body.verification;
    expect(v.otherDevice.name).toBe('iPad');
    expect((await get(sim, vpath(v.id), token)).body.verification.direction).toBe('incoming');

    expect((await post(sim, '/_sim/reset')).body.session.state).toBe('needs-login');
    expect((await get(sim, '/_sim/session')).body.state).toBe('needs-login');
    expect((await get(sim, '/_sim/nothing')).status).toBe(404);
  });
});
