import { describe, expect, it, vi } from 'vitest';
import { SAS_EMOJI_TABLE, parseSasDecimals, parseSasEmojis } from '../../src/shared/sas.js';
import { VERIFICATION_TIMEOUT_MS } from '../../src/simulator/index.js';
import {
  FAST,
  SETUP,
  closeSimulatorsAfterEach,
  get,
  manualClock,
  post,
  recoveryKeyOf,
  signIn,
  start,
  vpath,
} from './helpers.js';

closeSimulatorsAfterEach();

const TABLE_GLYPHS = new Set(SAS_EMOJI_TABLE.map((entry) => entry.emoji));

/** Signed in, past initializing, with a manual clock. */
async function ready(email = 'alice@example.com', profile: 'lenient' | 'strict' = 'lenient') {
  const clock = manualClock();
  const sim = await start({ now: clock.now, profile });
  const token = await signIn(sim, email);
  clock.advance(FAST.initializingMs);
  const act = async (id: string, action: string, body: unknown = {}) => post(sim, vpath(id, action), body, token);
  const requestVerification = async () => {
    const answer = await post(sim, `${SETUP}/verifications`, {}, token);
    expect(answer.status).toBe(200);
    return answer.body.verification as { id: string; [key: string]: unknown };
  };
  const state = async () => (await get(sim, SETUP, token)).body.state as string;
  return { sim, clock, token, act, requestVerification, state };
}

describe('outgoing verification', () => {
  it('requested → ready → sas_ready → done by emoji comparison, then first sync', async () => {
    const screens: string[] = [];
    const { sim, clock, token, act, state } = await ready();
    sim.control.on('other-device', (text) => screens.push(text));

    const requested = await post(sim, `${SETUP}/verifications`, { purpose: 'device' }, token);
    const v = requested.body.verification;
    expect(v).toEqual({
      id: expect.any(String),
      state: 'requested',
      availableActions: ['cancel'],
      direction: 'outgoing',
      methods: ['qr', 'sas'],
      purpose: 'device',
      otherDevice: { id: expect.any(String), name: 'Pixel 8' },
      otherUserID: '@alice:beeper.com',
    });
    expect(requested.body.session.verification).toEqual(v);

    const accepted = sim.control.otherDevice('accept');
    expect(accepted.state).toBe('ready');
    const readyV = (await get(sim, vpath(v.id), token)).body.verification;
    expect(readyV.availableActions).toEqual(['sas.start', 'cancel']);
    expect(readyV.qr.data).toMatch(/^TUFUUklY/); // base64 of "MATRIX"; the layout is checked in qr.test.ts
    expect(readyV.sas).toBeUndefined();

    const sas = (await act(v.id, 'sas/start')).body.verification;
    expect(sas.state).toBe('sas_ready');
    expect(sas.availableActions).toEqual(['sas.confirm', 'cancel']);
    const glyphs = sas.sas.emojis.split(' ');
    expect(glyphs).toHaveLength(7);
    for (const glyph of glyphs) expect(TABLE_GLYPHS.has(glyph)).toBe(true);
    expect(parseSasEmojis(sas.sas.emojis)).toHaveLength(7);
    expect(sas.sas.decimals).toMatch(/^\d{4} \d{4} \d{4}$/);
    for (const n of parseSasDecimals(sas.sas.decimals).map(Number)) {
      expect(n).toBeGreaterThanOrEqual(1000);
      expect(n).toBeLessThanOrEqual(9191);
    }
    const names = parseSasEmojis(sas.sas.emojis).map((e) => `${e.emoji} ${e.name}`).join(', ');
    expect(screens).toContain(`compare: ${names} / ${sas.sas.decimals}`);

    const ours = (await act(v.id, 'sas/confirm')).body;
    expect(ours.verification.state).toBe('sas_ready');
    expect(ours.verification.availableActions).toEqual(['cancel']);
    expect(ours.session.state).toBe('needs-verification');
    expect((await act(v.id, 'sas/confirm')).status).toBe(409);

    expect(sim.control.otherDevice('confirm-sas').state).toBe('done');
    const done = (await get(sim, vpath(v.id), token)).body;
    expect(done.verification.availableActions).toEqual([]);
    expect(done.session.state).toBe('needs-first-sync');
    expect(done.session.e2ee.verified).toBe(true);
    clock.advance(FAST.firstSyncMs);
    expect(await state()).toBe('ready');
  });

  it('finishes on our confirm when the other device confirmed first', async () => {
    const { sim, act, requestVerification } = await ready();
    const v = await requestVerification();
    sim.control.otherDevice('accept');
    await act(v.id, 'sas/start');
    sim.control.otherDevice('confirm-sas');
    const afterTheirs = sim.control.session().verification!;
    expect(afterTheirs.state).toBe('sas_ready');
    expect(afterTheirs.availableActions).toEqual(['sas.confirm', 'cancel']);
    const ours = await act(v.id, 'sas/confirm');
    expect(ours.body.verification.state).toBe('done');
  });

  it('QR: the other device scans ours, we confirm', async () => {
    const { sim, act, requestVerification } = await ready();
    const v = await requestVerification();
    expect((await act(v.id, 'qr/confirm-scanned')).status).toBe(409);
    sim.control.otherDevice('accept');
    const scanned = sim.control.otherDevice('scan-qr');
    expect(scanned.state).toBe('qr_scanned');
    expect(scanned.availableActions).toEqual(['qr.confirmScanned', 'cancel']);
    const done = await act(v.id, 'qr/confirm-scanned');
    expect(done.body.verification.state).toBe('done');
    expect(done.body.session.state).toBe('needs-first-sync');
  });

  it('QR: we scan the other device', async () => {
    const { sim, token, requestVerification } = await ready();
    await requestVerification();
    const early = await post(sim, `${SETUP}/verifications/qr/scan`, { data: sim.control.otherDeviceQr() }, token);
    expect(early.status).toBe(409);
    sim.control.otherDevice('accept');
    const { data } = (await get(sim, '/_sim/other-device/qr')).body;
    expect(data).toBe(sim.control.otherDeviceQr());
    const wrong = await post(sim, `${SETUP}/verifications/qr/scan`, { data: `${data}x` }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('INVALID_QR_CODE');
    const right = await post(sim, `${SETUP}/verifications/qr/scan`, { data }, token);
    expect(right.status).toBe(200);
    expect(right.body.verification.state).toBe('done');
  });

  it('strict: the other device shows its code only once the request is accepted, and only while it runs', async () => {
    const { sim, token, requestVerification } = await ready('alice@example.com', 'strict');
    await requestVerification();
    const before = await get(sim, '/_sim/other-device/qr');
    expect(before.status).toBe(409);
    expect(() => sim.control.otherDeviceQr()).toThrow(/only while the verification is accepted and running; it is "requested"/);
    sim.control.otherDevice('accept');
    const shown = await get(sim, '/_sim/other-device/qr');
    expect(shown.status).toBe(200);
    const scanned = await post(sim, `${SETUP}/verifications/qr/scan`, { data: shown.body.data }, token);
    expect(scanned.body.verification.state).toBe('done');
    expect((await get(sim, '/_sim/other-device/qr')).status).toBe(409);
  });

  it('lenient: the other device shows its code from the request on', async () => {
    const { sim, requestVerification } = await ready();
    await requestVerification();
    const shown = await get(sim, '/_sim/other-device/qr');
    expect(shown.status).toBe(200);
    expect(shown.body.data).toBe(sim.control.otherDeviceQr());
  });

  it('only starts while the device needs verification', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const token = await signIn(sim);
    const early = await post(sim, `${SETUP}/verifications`, {}, token);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('INVALID_STATE');
    expect(early.body.message).toContain('initializing');
  });

  it('a new request replaces the active one; the list holds active ones and the latest', async () => {
    const { sim, token, requestVerification } = await ready();
    const first = await requestVerification();
    const second = await requestVerification();
    const old = (await get(sim, vpath(first.id), token)).body.verification;
    expect(old.state).toBe('cancelled');
    expect(old.error.code).toBe('m.user');
    const list = (await get(sim, `${SETUP}/verifications`, token)).body.items;
    expect(list.map((v: { id: string }) => v.id)).toEqual([second.id]);
  });
});

describe('incoming verification', () => {
  it('shows up with accept, and accepting makes it ready', async () => {
    const { sim, token, act } = await ready();
    const incoming = (await post(sim, '/_sim/other-device', { action: 'request' })).body.verification;
    expect(incoming).toMatchObject({ state: 'requested', direction: 'incoming', availableActions: ['accept', 'cancel'] });
    const list = (await get(sim, `${SETUP}/verifications`, token)).body.items;
    expect(list).toEqual([incoming]);
    expect((await get(sim, SETUP, token)).body.verification).toEqual(incoming);
    expect((await post(sim, '/_sim/other-device', { action: 'accept' })).status).toBe(409);
    const accepted = await act(incoming.id, 'accept');
    expect(accepted.body.verification.state).toBe('ready');
    expect(accepted.body.verification.availableActions).toEqual(['sas.start', 'cancel']);
  });
});

describe('stopping a verification', () => {
  it('the other device reports a mismatch', async () => {
    const { sim, act, requestVerification } = await ready();
    const v = await requestVerification();
    expect((await post(sim, '/_sim/other-device', { action: 'mismatch' })).status).toBe(409);
    sim.control.otherDevice('accept');
    await act(v.id, 'sas/start');
    const cancelled = sim.control.otherDevice('mismatch');
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      availableActions: [],
      error: { code: 'm.mismatched_sas', reason: 'The other device said the emojis did not match.' },
    });
    expect(sim.control.session().state).toBe('needs-verification');
  });

  it('the other device cancels', async () => {
    const { sim, requestVerification } = await ready();
    await requestVerification();
    const cancelled = (await post(sim, '/_sim/other-device', { action: 'cancel' })).body.verification;
    expect(cancelled.error).toEqual({ code: 'm.user', reason: 'The other device cancelled the verification.' });
    expect((await post(sim, '/_sim/other-device', { action: 'cancel' })).status).toBe(409);
  });

  it('we cancel, by default or saying the emojis did not match', async () => {
    const { sim, act, requestVerification } = await ready();
    const a = await requestVerification();
    const plain = (await act(a.id, 'cancel')).body.verification;
    expect(plain).toMatchObject({ state: 'cancelled', availableActions: [], error: { code: 'm.user' } });
    const b = await requestVerification();
    sim.control.otherDevice('accept');
    await act(b.id, 'sas/start');
    const mismatch = (await act(b.id, 'cancel', { code: 'm.mismatched_sas' })).body.verification;
    expect(mismatch.error).toEqual({ code: 'm.mismatched_sas', reason: 'You said the emojis did not match.' });
    expect((await act(b.id, 'cancel')).status).toBe(409);
  });

  it('times out after 10 minutes', async () => {
    const { sim, token, clock, act, requestVerification } = await ready();
    const v = await requestVerification();
    clock.advance(VERIFICATION_TIMEOUT_MS - 1);
    expect((await get(sim, vpath(v.id), token)).body.verification.state).toBe('requested');
    clock.advance(1);
    const timedOut = (await get(sim, vpath(v.id), token)).body.verification;
    expect(timedOut).toMatchObject({
      state: 'cancelled',
      availableActions: [],
      error: { code: 'm.timeout', reason: 'The verification request timed out.' },
    });
    expect((await act(v.id, 'cancel')).status).toBe(409);
  });
});

describe('availableActions and errors', () => {
  it('refuses actions the state does not allow, naming the state', async () => {
    const { sim, act, requestVerification } = await ready();
    const v = await requestVerification();
    for (const action of ['accept', 'sas/start', 'sas/confirm', 'qr/confirm-scanned']) {
      const answer = await act(v.id, action);
      expect(answer.status, action).toBe(409);
      expect(answer.body.code).toBe('INVALID_STATE');
      expect(answer.body.message).toContain('"requested"');
    }
    sim.control.otherDevice('accept');
    for (const action of ['accept', 'sas/confirm', 'qr/confirm-scanned']) {
      expect((await act(v.id, action)).body.message, action).toContain('"ready"');
    }
  });

  it('needs the ID URL-encoded: it holds $, / and :', async () => {
    const { sim, token, requestVerification } = await ready();
    const v = await requestVerification();
    expect(v.id).toMatch(/^\$[^/]+\/[^/]+:beeper\.com$/);
    expect((await get(sim, vpath(v.id), token)).status).toBe(200);
    const raw = await get(sim, `${SETUP}/verifications/${v.id}`, token);
    expect(raw.status).toBe(404);
    const rawAction = await post(sim, `${SETUP}/verifications/${v.id}/cancel`, {}, token);
    expect(rawAction.status).toBe(404);
    const unknown = await get(sim, vpath('$nope/x:beeper.com'), token);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('VERIFICATION_NOT_FOUND');
  });
});

describe('accounts that do not share secrets', () => {
  it('bob needs the recovery key after device verification', async () => {
    const { sim, clock, token, act, requestVerification, state } = await ready('bob@example.com');
    const v = await requestVerification();
    sim.control.otherDevice('accept');
    sim.control.otherDevice('scan-qr');
    await act(v.id, 'qr/confirm-scanned');
    expect(await state()).toBe('needs-secrets');
    const session = (await get(sim, SETUP, token)).body;
    expect(session.e2ee).toMatchObject({ verified: true, secrets: { masterKey: false } });
    const used = await post(sim, `${SETUP}/verification/recovery-key`, { recoveryKey: recoveryKeyOf(sim, 'bob@example.com') }, token);
    expect(used.body.session.state).toBe('needs-first-sync');
    clock.advance(FAST.firstSyncMs);
    expect(await state()).toBe('ready');
  });
});

describe('automatic other device', () => {
  it('accepts, confirms after us, and shows its screen; never scans or reports a mismatch itself', async () => {
    const lines: string[] = [];
    const sim = await start({ autoOtherDevice: true, log: (line) => lines.push(line) });
    const token = await signIn(sim);
    await vi.waitFor(async () => expect((await get(sim, SETUP, token)).body.state).toBe('needs-verification'), { interval: 10 });
    const v = (await post(sim, `${SETUP}/verifications`, {}, token)).body.verification;
    await vi.waitFor(async () => expect((await get(sim, vpath(v.id), token)).body.verification.state).toBe('ready'), {
      interval: 10,
    });
    // In `ready` it has nothing scheduled: left alone it does nothing more (no time needs to pass to show it).
    expect(sim.control.otherDevicePendingMoves()).toBe(0);
    expect((await get(sim, vpath(v.id), token)).body.verification.state).toBe('ready');

    const sas = (await post(sim, vpath(v.id, 'sas/start'), {}, token)).body.verification.sas;
    const first = parseSasEmojis(sas.emojis)[0]!;
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[other device: Pixel 8\\] compare: ${first.emoji} ${first.name}, .* / ${sas.decimals}$`, 'u')));
    // It confirms only after us: nothing is scheduled until we do.
    expect(sim.control.otherDevicePendingMoves()).toBe(0);
    expect((await get(sim, vpath(v.id), token)).body.verification.state).toBe('sas_ready');
    await post(sim, vpath(v.id, 'sas/confirm'), {}, token);
    await vi.waitFor(async () => expect((await get(sim, vpath(v.id), token)).body.verification.state).toBe('done'), {
      interval: 10,
    });
    await vi.waitFor(async () => expect((await get(sim, SETUP, token)).body.state).toBe('ready'), { interval: 10 });
    expect(lines.filter((line) => !line.startsWith('[other device: Pixel 8] ') && !line.startsWith('[simulator] code for '))).toEqual([]);
  });
});
