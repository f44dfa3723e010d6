/** withholdTrust: a verification ends `done` while the session stays put. */
import { describe, expect, it } from 'vitest';
import type { SimulatorProfile } from '../../src/simulator/index.js';
import { SETUP, closeSimulatorsAfterEach, get, post, signedInNeedingVerification, start, vpath } from './helpers.js';

closeSimulatorsAfterEach();

describe('withheld trust', () => {
  it.each<SimulatorProfile>(['lenient', 'strict'])('%s: done, yet needs-verification', async (profile) => {
    const sim = await start({ profile, withholdTrust: true });
    expect(sim.control.config().withholdTrust).toBe(true);
    const token = await signedInNeedingVerification(sim);
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    await post(sim, vpath(v.id, 'sas/start'), undefined, token);
    await post(sim, vpath(v.id, 'sas/confirm'), undefined, token);
    expect(sim.control.otherDevice('confirm-sas').state).toBe('done');
    const session = (await get(sim, SETUP, token)).body;
    expect(session.state).toBe('needs-verification');
    expect(session.e2ee.verified).toBe(false);
    expect(session.verification).toMatchObject({ id: v.id, state: 'done', purpose: 'login', availableActions: [] });
  });

  it('is switched by POST /_sim/config, and the recovery key still works', async () => {
    const sim = await start();
    expect((await post(sim, '/_sim/config', { withholdTrust: true })).body.config.withholdTrust).toBe(true);
    const token = await signedInNeedingVerification(sim);
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    sim.control.otherDevice('scan-qr');
    expect((await post(sim, vpath(v.id, 'qr/confirm-scanned'), undefined, token)).body.session.state).toBe('needs-verification');

    await post(sim, '/_sim/config', { withholdTrust: false });
    const again = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    sim.control.otherDevice('scan-qr');
    expect((await post(sim, vpath(again.id, 'qr/confirm-scanned'), undefined, token)).body.session.state).toBe('needs-first-sync');
  });
});
