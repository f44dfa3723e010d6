/** QR payloads in the Matrix verification layout, base64 on the wire. */
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { SETUP, closeSimulatorsAfterEach, get, post, signedInNeedingVerification, signedInReady, start, vpath } from './helpers.js';

closeSimulatorsAfterEach();

/** Our own reading of the layout: MATRIX, version, mode, u16 BE length + transaction ID, 32 + 32 + 16 bytes. */
function decode(data: string) {
  expect(data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  expect(data.length % 4).toBe(0);
  const bytes = Buffer.from(data, 'base64');
  expect(bytes.toString('base64')).toBe(data);
  const length = bytes.readUInt16BE(8);
  const at = 10 + length;
  expect(bytes.length).toBe(at + 32 + 32 + 16);
  return {
    magic: bytes.subarray(0, 6).toString('latin1'),
    version: bytes[6],
    mode: bytes[7],
    transactionID: bytes.subarray(10, at).toString('utf8'),
    first: bytes.subarray(at, at + 32).toString('hex'),
    second: bytes.subarray(at + 32, at + 64).toString('hex'),
    secret: bytes.subarray(at + 64).toString('hex'),
  };
}

/** Both payloads of the current verification once it is ready. */
async function payloads(sim: RunningSimulator, token: string, id: string) {
  const ours = (await get(sim, vpath(id), token)).body.verification.qr.data as string;
  const theirs = (await get(sim, '/_sim/other-device/qr')).body.data as string;
  return { ours: decode(ours), theirs: decode(theirs), raw: { ours, theirs } };
}

describe('QR payload', () => {
  it('setup: we do not trust the master key yet (mode 0x02), the phone does (0x01)', async () => {
    const sim = await start();
    const token = await signedInNeedingVerification(sim);
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    const { ours, theirs } = await payloads(sim, token, v.id);
    for (const payload of [ours, theirs]) {
      expect(payload).toMatchObject({ magic: 'MATRIX', version: 0x02, transactionID: v.id });
      expect(payload.secret).toHaveLength(32);
    }
    expect([ours.mode, theirs.mode]).toEqual([0x02, 0x01]);
    // Mode 2: own device key, then the master key; mode 1: master key, then the other device's key.
    expect(ours.second).toBe(theirs.first);
    expect(ours.first).toBe(theirs.second);
    expect(ours.secret).not.toBe(theirs.secret);
    expect(Buffer.byteLength(v.id)).toBeGreaterThan(20);
  });

  it('ready: we trust the master key (0x01), the new device does not (0x02); same master key', async () => {
    const sim = await start();
    const token = await signedInNeedingVerification(sim);
    const setup = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    const master = (await payloads(sim, token, setup.id)).theirs.first;
    // Ready by a new recovery key: the same sign-in, so the same master key.
    const reset = await post(sim, `${SETUP}/verification/recovery-key/reset`, {}, token);
    await post(sim, `${SETUP}/verification/recovery-key/reset/confirm`, { recoveryKey: reset.body.recoveryKey }, token);
    await expect.poll(async () => (await get(sim, SETUP, token)).body.state, { interval: 10 }).toBe('ready');
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    const { ours, theirs } = await payloads(sim, token, v.id);
    expect([ours.mode, theirs.mode]).toEqual([0x01, 0x02]);
    expect(ours.transactionID).toBe(v.id);
    expect(ours.first).toBe(master);
    expect(theirs.second).toBe(master);
    expect(ours.second).toBe(theirs.first);
  });

  it('qr/scan takes the other device’s payload exactly as the control API hands it out', async () => {
    const sim = await start();
    const token = await signedInReady(sim);
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    sim.control.otherDevice('accept');
    const { raw } = await payloads(sim, token, v.id);
    const bytes = Buffer.from(raw.theirs, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    const tampered = await post(sim, `${SETUP}/verifications/qr/scan`, { data: bytes.toString('base64') }, token);
    expect(tampered.body.code).toBe('INVALID_QR_CODE');
    expect((await post(sim, `${SETUP}/verifications/qr/scan`, { data: raw.ours }, token)).status).toBe(400);
    const scanned = await post(sim, `${SETUP}/verifications/qr/scan`, { data: raw.theirs }, token);
    expect(scanned.body.verification.state).toBe('done');
  });

  it('comes from the injectable randomness', async () => {
    const run = async () => {
      let seed = 42;
      // Park–Miller: a small deterministic generator in (0, 1).
      const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const sim = await start({ random });
      const token = await signedInNeedingVerification(sim);
      const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
      sim.control.otherDevice('accept');
      return (await payloads(sim, token, v.id)).raw;
    };
    expect(await run()).toEqual(await run());
  });
});
