/** hostileText: every server-supplied display string carries terminal escapes; ids and tokens stay clean. */
import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXT } from '../../src/simulator/index.js';
import { SETUP, closeSimulatorsAfterEach, eachObject, get, post, signIn, start, submitCode, vpath, waitForState } from './helpers.js';

closeSimulatorsAfterEach();

const ESC = /[\u001b\u0007\u009b]/;
const poisoned = (text: unknown) => typeof text === 'string' && text.endsWith(HOSTILE_TEXT);

describe('hostile text', () => {
  it('is exactly the documented payload', () => {
    expect(HOSTILE_TEXT).toBe('x\u001b]52;c;aGFja2Vk\u0007\u001b]0;PWNED\u0007\u001b[2J\u009b31m');
  });

  it('poisons app info, errors, registration texts and suggestions; not ids or tokens', async () => {
    const sim = await start({ hostileText: true });
    const info = (await get(sim, '/v1/info')).body;
    expect(poisoned(info.app.name) && poisoned(info.app.version)).toBe(true);
    expect(info.app.bundle_id).not.toMatch(ESC);

    const started = (await post(sim, `${SETUP}/start`)).body;
    expect(started.setupRequestID).not.toMatch(ESC);
    const { setupRequestID, answer } = await submitCode(sim, 'new@example.com');
    expect(setupRequestID).not.toMatch(ESC);
    const registration = answer.body;
    for (const text of Object.values(registration.copy)) expect(poisoned(text)).toBe(true);
    expect(registration.usernameSuggestions.length).toBeGreaterThan(0);
    for (const name of registration.usernameSuggestions) expect(poisoned(name)).toBe(true);
    expect(registration.leadToken).not.toMatch(ESC);
    expect(registration.setupRequestID).toBe(setupRequestID);

    const missing = (await post(sim, `${SETUP}/email`, { email: 3 })).body;
    expect(poisoned(missing.message)).toBe(true);
    for (const issue of missing.details.issues) expect(poisoned(issue.message)).toBe(true);
    expect(missing.code).toBe('VALIDATION_ERROR');
    expect(poisoned((await get(sim, '/v1/nothing')).body.message)).toBe(true);
    sim.control.setFaults({ failEvery: { n: 1, status: 503 } });
    expect(poisoned((await get(sim, '/v1/info')).body.message)).toBe(true);
    sim.control.clearFaults();

    // The registration goes through with a clean username and the clean lead token.
    const registered = await post(sim, `${SETUP}/register`, { acceptTerms: true, leadToken: registration.leadToken, setupRequestID, username: 'newbie' });
    expect(registered.status).toBe(200);
    const { matrix, session } = registered.body;
    for (const field of ['homeserver', 'userID', 'deviceID']) {
      expect(poisoned(matrix[field]), field).toBe(true);
      expect(poisoned(session.matrix[field]), field).toBe(true);
    }
    expect(matrix.accessToken).not.toMatch(ESC);
    expect((await get(sim, SETUP, matrix.accessToken)).status).toBe(200);
  });

  it('poisons the other device, the user ID, error reasons and the emojis; verification ids stay usable', async () => {
    const sim = await start({ hostileText: true });
    const token = await signIn(sim);
    const session = await waitForState(sim, token, 'needs-verification');
    // A client may send back the user ID it was shown.
    const created = await post(sim, `${SETUP}/verifications`, { userID: session.matrix.userID }, token);
    expect(created.status).toBe(200);
    const v = created.body.verification;
    expect(v.id).not.toMatch(ESC);
    expect(poisoned(v.otherDevice.name) && poisoned(v.otherUserID)).toBe(true);
    sim.control.otherDevice('accept');
    const ready = (await get(sim, vpath(v.id), token)).body.verification;
    expect(ready.qr.data).not.toMatch(ESC);
    const sas = (await post(sim, vpath(v.id, 'sas/start'), undefined, token)).body.verification.sas;
    const parts: string[] = sas.emojis.split(' ');
    expect(parts).toHaveLength(8);
    expect(parts[1]).toBe(HOSTILE_TEXT);
    expect(sas.decimals).not.toMatch(ESC);
    const cancelled = sim.control.otherDevice('mismatch');
    // The control API itself stays clean.
    expect(JSON.stringify(cancelled)).not.toMatch(ESC);
    const wire = (await get(sim, vpath(v.id), token)).body.verification;
    expect(poisoned(wire.error.reason)).toBe(true);
    expect(wire.error.code).toBe('m.mismatched_sas');
    expect(JSON.stringify((await get(sim, '/_sim/session')).body)).not.toMatch(ESC);
  });

  it('is off by default and switched by POST /_sim/config', async () => {
    const sim = await start();
    let escapes = 0;
    eachObject((await get(sim, '/v1/info')).body, (object) => {
      for (const value of Object.values(object)) if (typeof value === 'string' && ESC.test(value)) escapes += 1;
    });
    expect(escapes).toBe(0);
    expect((await post(sim, '/_sim/config', { hostileText: true })).body.config.hostileText).toBe(true);
    expect(poisoned((await get(sim, '/v1/info')).body.app.name)).toBe(true);
  });
});
