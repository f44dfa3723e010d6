/** A `ready` app verifies the user's new device ("MacBook Air"), incoming or outgoing. */
import { describe, expect, it, vi } from 'vitest';
import type { SimulatorOptions } from '../../src/simulator/index.js';
import {
  SETUP,
  closeSimulatorsAfterEach,
  get,
  post,
  recoveryKeyOf,
  signedInNeedingVerification,
  signedInReady,
  start,
  vpath,
  waitForState,
} from './helpers.js';

closeSimulatorsAfterEach();

const VERIFICATIONS = `${SETUP}/verifications`;

async function readyApp(options: SimulatorOptions = {}, email = 'alice@example.com') {
  const lines: string[] = [];
  const sim = await start({ ...options, log: (line) => lines.push(line) });
  const token = await signedInReady(sim, email);
  const act = (id: string, action: string, body?: unknown) => post(sim, vpath(id, action), body, token);
  const create = (body: unknown) => post(sim, VERIFICATIONS, body, token);
  const session = async () => (await get(sim, SETUP, token)).body;
  const verifiedDevices = async () =>
    (await get(sim, '/_sim/accounts')).body.accounts.find((a: { email: string }) => a.email === email).verifiedDevices as string[];
  return { sim, token, act, create, session, lines, verifiedDevices };
}

describe('incoming: the new device asks to be verified', () => {
  it('accept → SAS → done; the session stays ready and the device is listed as verified', async () => {
    const { sim, act, session, lines, verifiedDevices } = await readyApp();
    expect(await verifiedDevices()).toEqual([]);
    const incoming = (await post(sim, '/_sim/other-device', { action: 'request' })).body.verification;
    expect(incoming).toMatchObject({
      state: 'requested',
      direction: 'incoming',
      purpose: 'device',
      availableActions: ['accept', 'cancel'],
      otherDevice: { name: 'MacBook Air' },
      otherUserID: '@alice:beeper.com',
    });
    expect(lines).toContain('[other device: MacBook Air] MacBook Air asks to be verified by Beeper Server…');
    expect(await session()).toMatchObject({ state: 'ready', verification: { id: incoming.id } });

    expect((await act(incoming.id, 'accept')).body.verification.availableActions).toEqual(['sas.start', 'cancel']);
    const sas = (await act(incoming.id, 'sas/start')).body;
    expect(sas.verification.state).toBe('sas_ready');
    expect(sas.session.state).toBe('ready');
    await act(incoming.id, 'sas/confirm');
    expect(sim.control.otherDevice('confirm-sas').state).toBe('done');
    expect(await session()).toMatchObject({ state: 'ready', verification: { id: incoming.id, state: 'done', purpose: 'device' } });
    expect(await verifiedDevices()).toEqual(['MacBook Air']);
    expect(sim.control.verifiedDevices()).toEqual(['MacBook Air']);
    expect(lines.at(-1)).toBe('[other device: MacBook Air] Verified by Beeper Server: this device is now trusted.');
  });
});

describe('outgoing: this app asks the new device', () => {
  it('purpose device; the new device scans our QR code, we confirm → done', async () => {
    const { sim, act, create, session, verifiedDevices } = await readyApp();
    const created = await create({ purpose: 'device', userID: '@alice:beeper.com' });
    expect(created.status).toBe(200);
    const v = created.body.verification;
    expect(v).toMatchObject({ state: 'requested', direction: 'outgoing', purpose: 'device', availableActions: ['cancel'], otherDevice: { name: 'MacBook Air' } });
    expect(created.body.session.state).toBe('ready');
    sim.control.otherDevice('accept');
    expect(sim.control.otherDevice('scan-qr')).toMatchObject({ state: 'qr_scanned', availableActions: ['qr.confirmScanned', 'cancel'] });
    const done = (await act(v.id, 'qr/confirm-scanned')).body;
    expect(done.verification.state).toBe('done');
    expect(done.session.state).toBe('ready');
    expect(await verifiedDevices()).toEqual(['MacBook Air']);
    expect((await session()).e2ee.verified).toBe(true);
  });

  it('an absent purpose is inferred as "device"; we may scan their code instead', async () => {
    const { sim, token, create } = await readyApp();
    const v = (await create({})).body.verification;
    expect(v.purpose).toBe('device');
    sim.control.otherDevice('accept');
    const scanned = await post(sim, `${VERIFICATIONS}/qr/scan`, { data: sim.control.otherDeviceQr() }, token);
    expect(scanned.body.verification.state).toBe('done');
    expect(scanned.body.session.state).toBe('ready');
    expect(sim.control.verifiedDevices()).toEqual(['MacBook Air']);
  });

  it('refuses another user ID (400) and a "login" verification of this trusted device (409)', async () => {
    const { create } = await readyApp();
    const stranger = await create({ purpose: 'device', userID: '@mallory:beeper.com' });
    expect(stranger.status).toBe(400);
    expect(stranger.body).toEqual({ code: 'INVALID_USER_ID', message: 'This app can only verify devices of @alice:beeper.com.' });
    const login = await create({ purpose: 'login' });
    expect(login.status).toBe(409);
    expect(login.body.code).toBe('INVALID_STATE');
  });

  it('the new device may report a mismatch or cancel; nothing gets trusted', async () => {
    const { sim, act, create, session } = await readyApp();
    const a = (await create({})).body.verification;
    sim.control.otherDevice('accept');
    await act(a.id, 'sas/start');
    expect(sim.control.otherDevice('mismatch')).toMatchObject({ state: 'cancelled', error: { code: 'm.mismatched_sas' } });
    await create({});
    expect(sim.control.otherDevice('cancel').state).toBe('cancelled');
    expect((await session()).state).toBe('ready');
    expect(sim.control.verifiedDevices()).toEqual([]);
  });

  it('works the same in the strict profile', async () => {
    const { sim, act, create } = await readyApp({ profile: 'strict' });
    const v = (await create({})).body.verification;
    expect(v).toMatchObject({ purpose: 'device', methods: [] });
    sim.control.otherDevice('accept');
    sim.control.otherDevice('scan-qr');
    expect((await act(v.id, 'qr/confirm-scanned')).body.session.state).toBe('ready');
    expect(sim.control.verifiedDevices()).toEqual(['MacBook Air']);
  });
});

describe('the new device', () => {
  it('is distinct from the phone and named per account', async () => {
    const sim = await start({ accounts: [{ email: 'zoe@example.com', username: 'zoe', otherDeviceName: 'iPhone', newDeviceName: 'Work Laptop' }] });
    const token = await signedInReady(sim, 'zoe@example.com');
    const v = (await post(sim, VERIFICATIONS, {}, token)).body.verification;
    expect(v.otherDevice.name).toBe('Work Laptop');
    const seeded = await post(sim, '/_sim/accounts', { email: 'yan@example.com', username: 'yan', newDeviceName: 'Pixel Tablet' });
    expect(seeded.body).toMatchObject({ newDeviceName: 'Pixel Tablet', otherDeviceName: 'Pixel 8', verifiedDevices: [] });
  });

  it('has another device ID than the phone', async () => {
    const sim = await start();
    const token = await signedInNeedingVerification(sim);
    const phone = (await post(sim, VERIFICATIONS, {}, token)).body.verification.otherDevice;
    await post(sim, `${SETUP}/verification/recovery-key`, { recoveryKey: recoveryKeyOf(sim, 'alice@example.com') }, token);
    await waitForState(sim, token, 'ready');
    const laptop = (await post(sim, VERIFICATIONS, {}, token)).body.verification.otherDevice;
    expect(phone.name).toBe('Pixel 8');
    expect(laptop.name).toBe('MacBook Air');
    expect(laptop.id).toMatch(/^[A-Z]{10}$/);
    expect(laptop.id).not.toBe(phone.id);
  });
});

describe('automatic new device', () => {
  it('accepts our request and confirms the emojis after we do', async () => {
    const { act, create, sim, lines } = await readyApp({ autoOtherDevice: true });
    const v = (await create({})).body.verification;
    expect(lines).toContain('[other device: MacBook Air] Beeper Server offers to verify this device. Accepting…');
    await vi.waitFor(() => expect(sim.control.session().verification?.state).toBe('ready'), { interval: 10 });
    expect((await act(v.id, 'sas/start')).status).toBe(200);
    // It confirms only after us: nothing is scheduled until we do.
    expect(sim.control.otherDevicePendingMoves()).toBe(0);
    expect(sim.control.session().verification?.state).toBe('sas_ready');
    await act(v.id, 'sas/confirm');
    await vi.waitFor(() => expect(sim.control.session().verification?.state).toBe('done'), { interval: 10 });
    expect(sim.control.session().state).toBe('ready');
    expect(sim.control.verifiedDevices()).toEqual(['MacBook Air']);
  });
});
