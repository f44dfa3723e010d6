/** Pending sign-ins that expire, and an access token taken over by another client. */
import { describe, expect, it } from 'vitest';
import { SETUP, closeSimulatorsAfterEach, get, post, signIn, signedInNeedingVerification, start, submitCode } from './helpers.js';

closeSimulatorsAfterEach();

const EXPIRED = { code: 'SETUP_REQUEST_EXPIRED', message: 'This sign-in has expired. Start over to get a new code.' };

describe('POST /_sim/expire-sign-ins', () => {
  it('every pending setup request answers 410 from then on; a new start works', async () => {
    const sim = await start();
    const fresh = (await post(sim, `${SETUP}/start`)).body.setupRequestID;
    const mailed = (await post(sim, `${SETUP}/start`)).body.setupRequestID;
    await post(sim, `${SETUP}/email`, { setupRequestID: mailed, email: 'alice@example.com' });
    const code = sim.control.latestCode('alice@example.com');

    expect((await post(sim, '/_sim/expire-sign-ins')).body).toEqual({ expired: 2 });
    const email = await post(sim, `${SETUP}/email`, { setupRequestID: fresh, email: 'alice@example.com' });
    expect([email.status, email.body]).toEqual([410, EXPIRED]);
    const response = await post(sim, `${SETUP}/response`, { setupRequestID: mailed, response: code });
    expect([response.status, response.body]).toEqual([410, EXPIRED]);
    expect(sim.control.session().state).toBe('needs-login');

    const token = await signIn(sim);
    expect((await get(sim, SETUP, token)).status).toBe(200);
  });

  it('also kills a registration lead token', async () => {
    const sim = await start();
    const { setupRequestID, answer } = await submitCode(sim, 'new@example.com');
    expect(sim.control.expireSignIns()).toBe(1);
    const registered = await post(sim, `${SETUP}/register`, { acceptTerms: true, leadToken: answer.body.leadToken, setupRequestID, username: 'newbie' });
    expect(registered.status).toBe(410);
    expect(registered.body.code).toBe('SETUP_REQUEST_EXPIRED');
    expect(sim.control.accounts().some((account) => account.email === 'new@example.com')).toBe(false);
  });
});

describe('POST /_sim/revoke-token', () => {
  it('the old token answers 401, state and device stay; signing in again gives a working token', async () => {
    const sim = await start();
    const old = await signedInNeedingVerification(sim);
    const before = (await get(sim, SETUP, old)).body;

    const revoked = await post(sim, '/_sim/revoke-token');
    expect(revoked.body).toEqual({ revoked: true });
    expect(revoked.text).not.toMatch(/syt_/);
    expect((await get(sim, SETUP, old)).status).toBe(401);
    expect((await post(sim, `${SETUP}/verifications`, {}, old)).status).toBe(401);
    expect(sim.control.session()).toEqual(before);

    // The new token is nobody's here: the client has to sign in again.
    const again = await signIn(sim);
    const after = await get(sim, SETUP, again);
    expect(after.status).toBe(200);
    expect(after.body.state).toBe('needs-verification');
    expect(after.body.matrix.deviceID).toBe(before.matrix.deviceID);
  });

  it('the control method does the same, and refuses while signed out', async () => {
    const sim = await start();
    expect((await post(sim, '/_sim/revoke-token')).status).toBe(409);
    expect(() => sim.control.revokeToken()).toThrow(/not signed in/);
    const token = await signIn(sim);
    expect(sim.control.revokeToken()).toBeUndefined();
    expect((await get(sim, SETUP, token)).status).toBe(401);
  });
});
