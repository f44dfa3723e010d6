/**
 * The flow's policy, owned by the machine: how often it asks again, when an answer given up
 * front ends the run, when a wait is called stalled, and how verification follows
 * `availableActions` for states this version has never heard of.
 */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { verificationStepFor } from '../../machines/routing.js';
import { atChooseMethod, atWaitingForOtherDevice, step } from './flows.js';
import { OTHER_KEY, RECOVERY_KEY, TYPO_KEY, httpError, session, startFlow, verification, type Flow } from './helpers.js';

const withToken = { accessToken: new Secret('token-0') };
const wrongKey = () => httpError(400, 'INVALID_RECOVERY_KEY', 'That recovery key does not unlock this account.');

async function atRecoveryKey(input = {}): Promise<Flow> {
  const flow = await startFlow({ input: { ...withToken, ...input }, prepare: (server) => (server.session = session('needs-secrets')) });
  expect(flow.state()).toBe('enterRecoveryKey');
  return flow;
}

describe('how often a person is asked again', () => {
  it('three wrong recovery keys end on "too-many-attempts"; RETRY starts counting afresh', async () => {
    const flow = await atRecoveryKey();
    flow.server.on('verifyRecoveryKey', () => {
      throw wrongKey();
    });
    for (const attempt of [1, 2]) {
      await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(OTHER_KEY) });
      expect(flow.state()).toBe('enterRecoveryKey');
      expect(flow.context().attempts.recoveryKey).toBe(attempt);
      expect(flow.context().problem?.code).toBe('INVALID_RECOVERY_KEY');
    }
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(OTHER_KEY) });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ kind: 'too-many-attempts', message: '3 recovery keys were not accepted.' });
    expect(flow.server.count('verifyRecoveryKey')).toBe(3);

    await flow.send({ type: 'RETRY' });
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.context().attempts.recoveryKey).toBe(0);
  });

  it('a key with a typo is refused here and does not count against the limit', async () => {
    const flow = await atRecoveryKey({ limits: { recoveryKeyAttempts: 1, presetVerifications: 3, signInRestarts: 1 } });
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(TYPO_KEY) });
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.context().problem?.code).toBe('NOT_A_RECOVERY_KEY');
    expect(flow.server.count('verifyRecoveryKey')).toBe(0);
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(RECOVERY_KEY) });
    expect(flow.server.count('verifyRecoveryKey')).toBe(1);
  });

  it('a sign-in that dies twice restarts once by itself, then leaves the choice to the person', async () => {
    const flow = await startFlow();
    await flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
    expect(flow.matches('signIn.enterCode')).toBe(true);
    flow.server.on('submitCode', () => {
      throw httpError(410, 'SETUP_REQUEST_EXPIRED', 'This sign-in expired.');
    });
    await flow.send({ type: 'SUBMIT_CODE', code: new Secret('123456') });
    expect(flow.server.count('restartSignIn') + flow.server.count('startSignIn')).toBe(2);
    expect(flow.context().attempts.signInRestarts).toBe(1);
    expect(flow.matches('signIn.enterCode')).toBe(true);

    await flow.send({ type: 'SUBMIT_CODE', code: new Secret('654321') });
    // No second automatic restart: no new email is sent behind the person's back.
    expect(flow.server.count('restartSignIn') + flow.server.count('startSignIn')).toBe(2);
    expect(flow.context().problem).toBeDefined();
    expect(flow.actor.getSnapshot().status).toBe('active');
  });
});

describe('answers given up front (flags, files) cannot be retyped', () => {
  it('a preset recovery key the server refuses ends the run on the first try, marked preset', async () => {
    const flow = await atRecoveryKey();
    flow.server.next('verifyRecoveryKey', wrongKey());
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(OTHER_KEY), source: 'preset' });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ preset: 'recovery-key', code: 'INVALID_RECOVERY_KEY' });
    expect(flow.server.count('verifyRecoveryKey')).toBe(1);
  });

  it('a malformed preset key fails before anything is sent', async () => {
    const flow = await atRecoveryKey();
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(TYPO_KEY), source: 'preset' });
    expect(flow.state()).toBe('failed');
    expect(flow.context().problem).toMatchObject({ preset: 'recovery-key', code: 'NOT_A_RECOVERY_KEY' });
    expect(flow.server.count('verifyRecoveryKey')).toBe(0);
  });

  it('a preset code the server refuses ends the run; a typed one is asked again', async () => {
    for (const source of ['preset', 'typed'] as const) {
      const flow = await startFlow();
      await flow.send({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
      flow.server.next('submitCode', httpError(401, 'INVALID_CODE', 'That code is not right.', { attemptsRemaining: 2 } as never));
      await flow.send({ type: 'SUBMIT_CODE', code: new Secret('123456'), source });
      expect(flow.matches(source === 'preset' ? 'failed' : 'signIn.enterCode')).toBe(true);
      expect(flow.context().problem?.preset).toBe(source === 'preset' ? 'code' : undefined);
    }
  });

  it('a preset "another device" whose verifications keep vanishing stops after the limit; a person may go on', async () => {
    // The server drops each verification before it finishes: the route leads back to the method choice every time.
    const run = async (source: 'preset' | 'typed') => {
      const flow = await atChooseMethod({ limits: { recoveryKeyAttempts: 3, presetVerifications: 2, signInRestarts: 1 } });
      flow.server.on('beginVerification', () => ({ session: flow.server.session, verification: undefined }));
      for (let round = 0; round < 4 && flow.state() !== 'failed'; round++) {
        await flow.send({ type: 'CHOOSE_DEVICE', source });
        if (flow.state() !== 'failed') expect(flow.state()).toBe('chooseMethod.idle');
      }
      return flow;
    };
    const preset = await run('preset');
    expect(preset.state()).toBe('failed');
    expect(preset.context().problem?.kind).toBe('verification-keeps-ending');
    expect(preset.server.count('beginVerification')).toBe(2);

    const typed = await run('typed');
    expect(typed.state()).toBe('chooseMethod.idle');
    expect(typed.server.count('beginVerification')).toBe(4);
  });
});

describe('a wait that lasts longer than the server state explains is called stalled', () => {
  it.each([
    ['an unknown state', 'needs-something-new', 'waitingForServer', 60_000],
    ['initializing', 'initializing', 'startingEncryption', 60_000],
    ['the first sync', 'needs-first-sync', 'firstSync', 5 * 60_000],
  ] as const)('%s: stalled after %#', async (_, state, where, stallMs) => {
    const flow = await startFlow({ input: withToken, prepare: (server) => (server.session = session(state)) });
    expect(flow.state()).toMatch(new RegExp(`^${where}`));
    await flow.advance(stallMs - 1000, 1000);
    expect(flow.context().stalled).toBe(false);
    await flow.advance(2000, 1000);
    expect(flow.context().stalled).toBe(true);
    expect(flow.state()).toMatch(new RegExp(`^${where}`));
    // Still polling: a stall is a hint, not an end.
    flow.server.session = session('ready');
    await flow.advance(1000);
    expect(flow.state()).toBe('ready');
  });

  it('the other device silent for two minutes: stalled, and the verification stays open', async () => {
    const flow = await atWaitingForOtherDevice();
    await flow.advance(119_000, 1000);
    expect(flow.context().stalled).toBe(false);
    await flow.advance(2000, 1000);
    expect(flow.context().stalled).toBe(true);
    expect(step(flow)).toBe('waitingForOtherDevice');
    expect(flow.server.count('cancelVerification')).toBe(0);
  });

  it('a done verification the app does not take in within 5 s: say so and offer other ways', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.verification = verification('done');
    await flow.advance(1000);
    expect(flow.state()).toMatch(/^applyingVerification/);
    await flow.advance(5000);
    expect(flow.state()).toMatch(/^verificationNotApplied/);
    expect(flow.step()).toMatchObject({ step: 'verification-not-applied', kind: 'show' });

    await flow.send({ type: 'USE_RECOVERY_KEY' });
    expect(flow.state()).toBe('enterRecoveryKey');
  });

  it('…and "another device" from there starts a fresh request', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.verification = verification('done');
    await flow.advance(7000);
    expect(flow.state()).toMatch(/^verificationNotApplied/);
    flow.server.moves('beginVerification', verification('requested', { id: 'txn/$2:beeper.com' }));
    await flow.send({ type: 'CHOOSE_DEVICE' });
    expect(step(flow)).toBe('waitingForOtherDevice');
    expect(flow.context().verification?.id).toBe('txn/$2:beeper.com');
    expect(flow.server.count('beginVerification')).toBe(2);
  });
});

describe('verification follows availableActions, not state names', () => {
  it.each([
    ['a state never heard of, offering sas.start', verification('m.future', { availableActions: ['sas.start', 'cancel'] }), 'startingSas'],
    ['a state never heard of, with a QR code', verification('m.future', { availableActions: ['sas.start'], qr: { data: 'x' } }), 'showingQr'],
    ['"ready" that offers nothing yet', verification('ready', { availableActions: [], qr: undefined }), 'waitingForOtherDevice'],
    ['sas.confirm with emojis, whatever the state', verification('m.future', { availableActions: ['sas.confirm'], sas: { emojis: '🐶', decimals: '1 2 3' } }), 'comparingEmojis'],
    ['qr.confirmScanned, whatever the state', verification('m.future', { availableActions: ['qr.confirmScanned'] }), 'confirmingScan'],
    ['"sas_ready" without sas.confirm is not ours to confirm', verification('sas_ready', { availableActions: ['cancel'] }), 'waitingForOtherDevice'],
  ] as const)('%s → %s', (_, value, expected) => {
    expect(verificationStepFor(value, { sasConfirmed: false, preferEmoji: false })).toBe(expected);
  });

  it('driven end to end: an unknown state that offers sas.start gets sas/start, then the emojis', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.verification = verification('m.future', { availableActions: ['sas.start', 'cancel'], qr: undefined });
    flow.server.moves('startSas', verification('m.future.2', { availableActions: ['sas.confirm', 'cancel'], sas: { emojis: '🐶🐱🦁🐎🦄🐷🐘', decimals: '1 2 3' } }));
    await flow.advance(1000);
    expect(flow.server.count('startSas')).toBe(1);
    expect(step(flow)).toBe('comparingEmojis');
    expect(flow.server.callsTo('startSas')[0]!.id).toBe('txn/$1:beeper.com');
  });
});

describe('the reset warning', () => {
  it('opened from the key field, BACK returns there with what was typed', async () => {
    const flow = await atRecoveryKey();
    const draft = new Secret('EsTc 1234 half typed');
    await flow.send({ type: 'FORGOT_RECOVERY_KEY', draft });
    expect(flow.state()).toBe('newRecoveryKey.warning');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.context().recoveryKeyDraft?.reveal()).toBe('EsTc 1234 half typed');
    expect(flow.server.count('resetRecoveryKey')).toBe(0);
  });
});
