/** The lenient and strict profiles side by side, wherever the contract is silent. */
import { describe, expect, it } from 'vitest';
import type { SimulatorProfile } from '../../src/simulator/index.js';
import {
  FAST,
  SETUP,
  call,
  closeSimulatorsAfterEach,
  eachObject,
  get,
  manualClock,
  post,
  signIn,
  signedInNeedingVerification,
  start,
  submitCode,
  vpath,
} from './helpers.js';

closeSimulatorsAfterEach();

const PROFILES: SimulatorProfile[] = ['lenient', 'strict'];
const VERIFICATIONS = `${SETUP}/verifications`;

describe('choosing a profile', () => {
  it('defaults to lenient; set by option or POST /_sim/config', async () => {
    const sim = await start();
    expect((await get(sim, '/_sim/config')).body.config).toMatchObject({ profile: 'lenient', withholdTrust: false, hostileText: false });
    const changed = await post(sim, '/_sim/config', { profile: 'strict' });
    expect(changed.body.config.profile).toBe('strict');
    expect(sim.control.config().profile).toBe('strict');
    expect((await post(sim, '/_sim/config', { profile: 'picky' })).status).toBe(400);
    const strict = await start({ profile: 'strict' });
    expect(strict.control.config().profile).toBe('strict');
  });
});

describe('verification purpose', () => {
  /** needs-verification, an outgoing request with `body`, driven to done by QR. */
  async function verifyWith(profile: SimulatorProfile, body: unknown) {
    const sim = await start({ profile });
    const token = await signedInNeedingVerification(sim);
    const created = await post(sim, VERIFICATIONS, body, token);
    expect(created.status).toBe(200);
    const v = created.body.verification;
    sim.control.otherDevice('accept');
    sim.control.otherDevice('scan-qr');
    const done = (await post(sim, vpath(v.id, 'qr/confirm-scanned'), undefined, token)).body;
    expect(done.verification.state).toBe('done');
    return { sim, purpose: v.purpose as string, session: done.session };
  }

  it.each(PROFILES)('%s: absent → inferred "login" while setting up, which trusts this device', async (profile) => {
    const { sim, purpose, session } = await verifyWith(profile, {});
    expect(purpose).toBe('login');
    expect(session.state).toBe('needs-first-sync');
    expect(session.e2ee.verified).toBe(true);
    // The log proves the client's body named no purpose.
    expect(sim.control.requests().find((r) => r.method === 'POST' && r.path === VERIFICATIONS)?.fields).toEqual([]);
  });

  it('"device" while setting up: lenient trusts this device, strict verified "another device"', async () => {
    const lenient = await verifyWith('lenient', { purpose: 'device' });
    expect(lenient.purpose).toBe('device');
    expect(lenient.session.state).toBe('needs-first-sync');

    const strict = await verifyWith('strict', { purpose: 'device' });
    expect(strict.purpose).toBe('device');
    expect(strict.session.state).toBe('needs-verification');
    expect(strict.session.e2ee.verified).toBe(false);
    expect(strict.session.verification).toMatchObject({ state: 'done', purpose: 'device', availableActions: [] });
  });

  it.each(PROFILES)('%s: explicit "login" trusts this device; the phone’s own request is a login one too', async (profile) => {
    expect((await verifyWith(profile, { purpose: 'login' })).session.state).toBe('needs-first-sync');
    const sim = await start({ profile });
    const token = await signedInNeedingVerification(sim);
    const incoming = sim.control.otherDevice('request');
    expect(incoming).toMatchObject({ direction: 'incoming', purpose: 'login' });
    await post(sim, vpath(incoming.id, 'accept'), undefined, token);
    sim.control.otherDevice('scan-qr');
    expect((await post(sim, vpath(incoming.id, 'qr/confirm-scanned'), undefined, token)).body.session.state).toBe('needs-first-sync');
  });
});

describe('unknown body fields', () => {
  const unrecognized = (...names: string[]) => ({
    code: 'unrecognized_keys',
    message: `Unrecognized key(s) in object: ${names.map((n) => `'${n}'`).join(', ')}`,
    path: [],
  });

  it('strict refuses them on every route with a body; lenient ignores them', async () => {
    for (const profile of PROFILES) {
      const sim = await start({ profile });
      const token = await signedInNeedingVerification(sim);
      const id = encodeURIComponent('$none/x:beeper.com');
      const bodies: [string, Record<string, unknown>][] = [
        [`${SETUP}/email`, { setupRequestID: 'x', email: 'a@example.com' }],
        [`${SETUP}/response`, { setupRequestID: 'x', response: '123456' }],
        [`${SETUP}/register`, { setupRequestID: 'x', leadToken: 'y', username: 'zed', acceptTerms: true }],
        [`${SETUP}/verification/recovery-key`, { recoveryKey: 'nope' }],
        [`${SETUP}/verification/recovery-key/reset`, {}],
        [`${SETUP}/verification/recovery-key/reset/confirm`, { recoveryKey: 'nope' }],
        [VERIFICATIONS, {}],
        [`${VERIFICATIONS}/qr/scan`, { data: 'nope' }],
      ];
      for (const [path, body] of bodies) {
        const answer = await post(sim, path, { ...body, zeta: 1, alpha: { nested: true } }, token);
        if (profile === 'strict') {
          expect(answer.status, path).toBe(400);
          expect(answer.body.code).toBe('VALIDATION_ERROR');
          expect(answer.body.details.issues).toEqual([expect.objectContaining(unrecognized('zeta', 'alpha'))]);
        } else {
          expect(answer.body?.code, path).not.toBe('VALIDATION_ERROR');
        }
      }
      const cancel = await post(sim, `${VERIFICATIONS}/${id}/cancel`, { reason: 'r', extra: 1 }, token);
      // The unknown id answers 404 before the body is read.
      expect(cancel.status).toBe(404);
    }
  });

  it('bodyless routes: strict takes no body or {} and refuses anything else', async () => {
    for (const profile of PROFILES) {
      const sim = await start({ profile });
      expect((await call(sim, 'POST', `${SETUP}/start`)).status).toBe(200);
      expect((await post(sim, `${SETUP}/start`, {})).status).toBe(200);
      const started = await post(sim, `${SETUP}/start`, { purpose: 'login' });
      expect(started.status).toBe(profile === 'strict' ? 400 : 200);
      if (profile === 'strict') expect(started.body.details.issues).toEqual([expect.objectContaining(unrecognized('purpose'))]);

      const token = await signedInNeedingVerification(sim);
      const v = (await post(sim, VERIFICATIONS, {}, token)).body.verification;
      for (const action of ['accept', 'sas/start', 'sas/confirm', 'qr/confirm-scanned']) {
        const refused = await post(sim, vpath(v.id, action), { now: true }, token);
        // Lenient never reads the body, so the state decides (409); strict refuses the body first.
        expect(refused.status, action).toBe(profile === 'strict' ? 400 : 409);
        expect((await post(sim, vpath(v.id, action), {}, token)).status, action).toBe(409);
        expect((await call(sim, 'POST', vpath(v.id, action), undefined, token)).status, action).toBe(409);
      }
    }
  });

  it('strict still reports missing and wrong fields alongside unknown ones', async () => {
    const sim = await start({ profile: 'strict' });
    const answer = await post(sim, `${SETUP}/email`, { email: 42, extra: true });
    expect(answer.body.details.issues.map((i: { code: string }) => i.code)).toEqual(['invalid_type', 'invalid_type', 'unrecognized_keys']);
  });
});

describe('methods while requested', () => {
  it.each(PROFILES)('%s', async (profile) => {
    const sim = await start({ profile });
    const token = await signedInNeedingVerification(sim);
    const requested = (await post(sim, VERIFICATIONS, {}, token)).body.verification;
    expect(requested.methods).toEqual(profile === 'strict' ? [] : ['qr', 'sas']);
    expect(sim.control.session().verification?.methods).toEqual(requested.methods);
    expect(sim.control.otherDevice('accept').methods).toEqual(['qr', 'sas']);
    expect((await get(sim, vpath(requested.id), token)).body.verification.methods).toEqual(['qr', 'sas']);
  });
});

describe('recoveryKeyGeneratedAt', () => {
  it.each(PROFILES)('%s', async (profile) => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 0, 0, 0, 789));
    const sim = await start({ profile, now: clock.now });
    const { setupRequestID, answer } = await submitCode(sim, 'new@example.com');
    const registered = await post(sim, `${SETUP}/register`, { acceptTerms: true, leadToken: answer.body.leadToken, setupRequestID, username: 'newbie' });
    const token: string = registered.body.matrix.accessToken;
    clock.advance(FAST.initializingMs);
    const { recoveryKey } = (await post(sim, `${SETUP}/verification/recovery-key/reset`, {}, token)).body;
    const confirmed = (await post(sim, `${SETUP}/verification/recovery-key/reset/confirm`, { recoveryKey }, token)).body;
    expect(confirmed.session.e2ee.recoveryKeyGeneratedAt).toBe(profile === 'strict' ? clock.now() : Math.floor(clock.now() / 1000));
  });
});

describe('unknown response fields', () => {
  it('strict adds them to every object it returns; lenient to none', async () => {
    for (const profile of PROFILES) {
      const sim = await start({ profile });
      const bodies: unknown[] = [];
      const keep = <T extends { body: unknown }>(answer: T) => (bodies.push(answer.body), answer);

      // A new account: start, registration answer with copy, sign-in success, reset response.
      keep(await post(sim, `${SETUP}/start`));
      const { setupRequestID, answer } = await submitCode(sim, 'new@example.com');
      keep(answer);
      const registered = keep(
        await post(sim, `${SETUP}/register`, { acceptTerms: true, leadToken: answer.body.leadToken, setupRequestID, username: 'newbie' }),
      );
      const newToken: string = (registered.body as { matrix: { accessToken: string } }).matrix.accessToken;
      await expect.poll(async () => keep(await get(sim, SETUP, newToken)).body.state, { interval: 10 }).toBe('needs-cross-signing-setup');
      const reset = keep(await post(sim, `${SETUP}/verification/recovery-key/reset`, {}, newToken));
      keep(await post(sim, `${SETUP}/verification/recovery-key/reset/confirm`, { recoveryKey: reset.body.recoveryKey }, newToken));

      // An existing account: verification with qr, sas, error; the list; error bodies.
      sim.control.resetApp();
      const token = await signIn(sim);
      await expect.poll(async () => keep(await get(sim, SETUP, token)).body.state, { interval: 10 }).toBe('needs-verification');
      const v = keep(await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
      sim.control.otherDevice('accept');
      keep(await get(sim, vpath(v.id), token));
      keep(await post(sim, vpath(v.id, 'sas/start'), undefined, token));
      keep(await get(sim, `${SETUP}/verifications`, token));
      keep(await post(sim, vpath(v.id, 'cancel'), {}, token));
      keep(await get(sim, SETUP, 'wrong'));
      keep(await post(sim, `${SETUP}/email`, { email: 1 }));
      keep(await get(sim, '/v1/info'));

      const seen = new Set<string>();
      let objects = 0;
      for (const body of bodies) {
        eachObject(body, (object, key) => {
          if (key === 'x_extensions') return;
          objects += 1;
          seen.add(key);
          if (profile === 'strict') {
            expect(object.x_simulator, key).toBe('strict');
            expect(object.x_extensions, key).toEqual(expect.any(Object));
          } else {
            expect(object.x_simulator, key).toBeUndefined();
          }
        });
      }
      expect(objects).toBeGreaterThan(30);
      for (const key of ['', 'session', 'matrix', 'e2ee', 'secrets', 'verification', 'otherDevice', 'qr', 'sas', 'error', 'items', 'copy', 'details', 'issues']) {
        expect(seen, key).toContain(key);
      }
    }
  });
});

describe('GET /v1/info', () => {
  it('is absent (404) in strict, present in lenient', async () => {
    expect((await get(await start(), '/v1/info')).status).toBe(200);
    const strict = await get(await start({ profile: 'strict' }), '/v1/info');
    expect(strict.status).toBe(404);
    expect(strict.body.code).toBe('NOT_FOUND');
  });
});
