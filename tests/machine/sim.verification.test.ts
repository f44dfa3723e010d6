/** Encrypted-messaging setup against the simulator: other device (emoji, QR, incoming), keys, resets, exits. */
import { describe, expect, it } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { Secret } from '../../src/shared/secret.js';
import { OTHER_KEY } from './helpers.js';
import { cleanUpAfterEach, expectReady, simAtChooseMethod, type SimFlow } from './simHelpers.js';

cleanUpAfterEach();

const ALICE = 'alice@example.com';
const STEP = 'deviceVerification.tracking.step';

async function requestAccepted(flow: SimFlow): Promise<void> {
  flow.send({ type: 'CHOOSE_DEVICE' });
  await flow.until(`${STEP}.waitingForOtherDevice`);
  flow.sim.control.otherDevice('accept');
  await flow.until(`${STEP}.showingQr`);
}

async function comparingEmojis(flow: SimFlow): Promise<void> {
  const screens: string[] = [];
  flow.sim.control.on('other-device', (text) => screens.push(text));
  flow.send({ type: 'SHOW_EMOJI' });
  await flow.until(`${STEP}.comparingEmojis`);
  const ours = parseSasEmojis(flow.context().verification?.sas?.emojis ?? '').map((entry) => entry.name);
  expect(ours).toHaveLength(7);
  // What the other device shows is what we show: same seven emojis, same order.
  const theirs = screens.find((text) => text.startsWith('compare:')) ?? '';
  const names = theirs.replace(/^compare: /, '').split(' / ')[0]?.split(', ');
  expect(names?.map((item) => item.split(' ').slice(1).join(' '))).toEqual(ours);
}

const serverVerification = (flow: SimFlow) => flow.sim.control.session().verification;

describe('verify with another device (simulator)', () => {
  it('emoji: accept → compare → MATCH → the other device confirms → ready', async () => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    await comparingEmojis(flow);
    flow.send({ type: 'MATCH' });
    await flow.until(`${STEP}.waitingForOtherConfirm`);
    flow.sim.control.otherDevice('confirm-sas');
    await expectReady(flow);
  });

  it('QR: the other device scans ours → SCAN_CONFIRMED → ready', async () => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    // The real layout, base64: "MATRIX", version 2, …
    expect(Buffer.from(flow.context().verification!.qr!.data, 'base64').subarray(0, 7).toString('latin1')).toBe('MATRIX\u0002');
    flow.sim.control.otherDevice('scan-qr');
    await flow.until(`${STEP}.confirmingScan`);
    flow.send({ type: 'SCAN_CONFIRMED' });
    await expectReady(flow);
  });

  it('incoming: the other device asks first; ACCEPT_INCOMING → emojis → ready', async () => {
    const flow = await simAtChooseMethod();
    const incoming = flow.sim.control.otherDevice('request');
    await flow.untilContext((context) => context.incomingVerification?.id === incoming.id);
    flow.send({ type: 'ACCEPT_INCOMING' });
    await flow.until(`${STEP}.showingQr`);
    expect(flow.context().verification?.id).toBe(incoming.id);
    await comparingEmojis(flow);
    flow.sim.control.otherDevice('confirm-sas');
    flow.send({ type: 'MATCH' });
    await expectReady(flow);
  });

  it('preferEmoji with a self-playing other device: only MATCH is ours', async () => {
    const flow = await simAtChooseMethod(ALICE, { preferEmoji: true });
    flow.sim.control.configure({ autoOtherDevice: true });
    flow.send({ type: 'CHOOSE_DEVICE' });
    await flow.until(`${STEP}.comparingEmojis`);
    flow.send({ type: 'MATCH' });
    await expectReady(flow);
  });

  it('bob: verified by the other device, still needs the recovery key for the secrets', async () => {
    const flow = await simAtChooseMethod('bob@example.com', { preferEmoji: true });
    flow.send({ type: 'CHOOSE_DEVICE' });
    await flow.until(`${STEP}.waitingForOtherDevice`);
    flow.sim.control.otherDevice('accept');
    await flow.until(`${STEP}.comparingEmojis`);
    flow.sim.control.otherDevice('confirm-sas');
    flow.send({ type: 'MATCH' });
    await flow.until('enterRecoveryKey');
    flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(flow.keyOf('bob@example.com')) });
    await expectReady(flow);
  });
});

describe('mismatches and exits (simulator)', () => {
  it('NO_MATCH cancels with m.mismatched_sas; then the recovery key → ready', async () => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    await comparingEmojis(flow);
    flow.send({ type: 'NO_MATCH' });
    await flow.until('deviceVerification.failed');
    expect(serverVerification(flow)).toMatchObject({ state: 'cancelled', error: { code: 'm.mismatched_sas' } });
    flow.send({ type: 'USE_RECOVERY_KEY' });
    await flow.until('enterRecoveryKey');
    flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(flow.keyOf(ALICE)) });
    await expectReady(flow);
  });

  it('the other device reports a mismatch: failed, with its reason', async () => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    await comparingEmojis(flow);
    flow.sim.control.otherDevice('mismatch');
    await flow.until('deviceVerification.failed');
    expect(flow.context().verification?.error?.reason).toMatch(/did not match/);
  });

  it.each([
    ['BACK', 'chooseMethod'],
    ['USE_RECOVERY_KEY', 'enterRecoveryKey'],
  ] as const)('%s from a live verification cancels it on the server with m.user', async (type, target) => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    flow.send({ type });
    await flow.until(target);
    expect(serverVerification(flow)).toMatchObject({ state: 'cancelled', error: { code: 'm.user' } });
    expect(flow.requests().filter((request) => request.endsWith('/cancel'))).toHaveLength(1);
  });

  it('INTERRUPT mid-verification leaves the server untouched', async () => {
    const flow = await simAtChooseMethod();
    await requestAccepted(flow);
    flow.send({ type: 'INTERRUPT' });
    await flow.until('interrupted');
    // Every request the machine makes comes from an invoked actor: a final machine has none left
    // running, so nothing can reach the server after this point (no time needs to pass to show it).
    const snapshot = flow.actor.getSnapshot();
    expect(snapshot.status).toBe('done');
    expect(Object.keys(snapshot.children)).toEqual([]);
    expect(flow.requests().some((request) => request.endsWith('/cancel'))).toBe(false);
    expect(serverVerification(flow)?.state).toBe('ready');
  });
});

describe('recovery keys (simulator)', () => {
  it('a wrong key, then the right one', async () => {
    const flow = await simAtChooseMethod();
    flow.send({ type: 'CHOOSE_RECOVERY_KEY' });
    flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(OTHER_KEY) });
    await flow.until('verifyingRecoveryKey');
    await flow.until('enterRecoveryKey');
    expect(flow.context().problem).toMatchObject({ kind: 'rejected', code: 'WRONG_RECOVERY_KEY' });
    flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(flow.keyOf(ALICE)) });
    await expectReady(flow);
  });

  it.each([
    ['with the existing key', true],
    ['without it', false],
  ])('reset %s: a new key replaces the old one', async (_, withExisting) => {
    const flow = await simAtChooseMethod();
    const old = flow.keyOf(ALICE);
    flow.send({ type: 'FORGOT_RECOVERY_KEY' });
    await flow.until('newRecoveryKey.warning');
    flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: withExisting ? new Secret(old) : undefined });
    await flow.until('newRecoveryKey.showingKey');
    const fresh = flow.context().newRecoveryKey!.reveal();
    expect(fresh).not.toBe(old);
    flow.send({ type: 'KEY_SAVED' });
    await expectReady(flow);
    expect(flow.keyOf(ALICE)).toBe(fresh);
  });

  it('reset with a wrong (well-formed) existing key: the server refuses; back to the warning, then without it', async () => {
    const flow = await simAtChooseMethod();
    flow.send({ type: 'FORGOT_RECOVERY_KEY' });
    flow.send({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(OTHER_KEY) });
    await flow.until('newRecoveryKey.creationFailed');
    expect(flow.context().problem).toMatchObject({ code: 'WRONG_RECOVERY_KEY' });
    flow.send({ type: 'BACK' });
    await flow.until('newRecoveryKey.warning');
    flow.send({ type: 'CONFIRM_RESET' });
    await flow.until('newRecoveryKey.showingKey');
  });
});
