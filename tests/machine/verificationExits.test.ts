/** Leaving a verification: mismatches, walking away (cancel on the server), interrupts, failures. */
import { describe, expect, it } from 'vitest';
import { atComparingEmojis, atShowingQr, atWaitingForOtherDevice, step } from './flows.js';
import { RECOVERY_KEY, httpError, revealed, session, verification } from './helpers.js';
import { Secret } from '../../src/shared/secret.js';

const cancelled = (code: string, reason = 'Cancelled.') => verification('cancelled', { error: { code, reason } });

describe('a mismatch', () => {
  it('NO_MATCH cancels with m.mismatched_sas; then the recovery key finishes the job', async () => {
    const flow = await atComparingEmojis();
    flow.server.moves('cancelVerification', cancelled('m.mismatched_sas', 'The emojis did not match.'));
    await flow.send({ type: 'NO_MATCH' });
    expect(flow.server.callsTo('cancelVerification')).toEqual([
      expect.objectContaining({ id: 'txn/$1:beeper.com', code: 'm.mismatched_sas', reason: 'The emojis did not match.' }),
    ]);
    expect(flow.state()).toBe('deviceVerification.failed');
    expect(flow.context().verification?.error?.code).toBe('m.mismatched_sas');

    await flow.send({ type: 'USE_RECOVERY_KEY' });
    expect(flow.state()).toBe('enterRecoveryKey');
    expect(flow.server.count('cancelVerification')).toBe(1);
    flow.server.session = session('needs-first-sync');
    await flow.send({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(RECOVERY_KEY) });
    expect(flow.state()).toBe('firstSync.idle');
  });

  it('a mismatch reported by the other device shows up on the next poll', async () => {
    const flow = await atComparingEmojis();
    flow.server.verification = cancelled('m.mismatched_sas', 'The other device said the emojis did not match.');
    await flow.advance(1000);
    expect(flow.state()).toBe('deviceVerification.failed');
    expect(flow.context().verification?.error?.reason).toBe('The other device said the emojis did not match.');
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
    expect(flow.server.count('cancelVerification')).toBe(0);
  });

  it('SCAN_DENIED cancels with m.key_mismatch', async () => {
    const flow = await atShowingQr();
    flow.server.verification = verification('qr_scanned');
    await flow.advance(1000);
    flow.server.moves('cancelVerification', cancelled('m.key_mismatch'));
    await flow.send({ type: 'SCAN_DENIED' });
    expect(flow.server.callsTo('cancelVerification').map((input) => input.code)).toEqual(['m.key_mismatch']);
    expect(flow.state()).toBe('deviceVerification.failed');
  });

  it('RETRY after a failure starts a fresh request', async () => {
    const flow = await atComparingEmojis();
    flow.server.verification = cancelled('m.user');
    await flow.advance(1000);
    flow.server.moves('beginVerification', verification('requested', { id: 'second' }));
    await flow.send({ type: 'RETRY' });
    expect(flow.server.count('beginVerification')).toBe(2);
    expect(flow.context().verification?.id).toBe('second');
    expect(step(flow)).toBe('waitingForOtherDevice');
  });
});

describe('walking away from a live verification', () => {
  it.each([
    ['BACK', 'chooseMethod.idle'],
    ['USE_RECOVERY_KEY', 'enterRecoveryKey'],
  ] as const)('%s cancels it on the server with m.user, once', async (type, target) => {
    const flow = await atShowingQr();
    flow.server.latencyMs = 100;
    flow.server.moves('cancelVerification', cancelled('m.user'));
    await flow.send({ type });
    expect(flow.state()).toBe('deviceVerification.leaving');
    await flow.send({ type });
    await flow.send({ type: 'BACK' });
    await flow.advance(100);
    expect(flow.server.callsTo('cancelVerification')).toEqual([expect.objectContaining({ id: 'txn/$1:beeper.com', code: 'm.user' })]);
    expect(revealed(flow.server.callsTo('cancelVerification')[0]?.token)).toBe('token-0');
    expect(flow.state()).toBe(target);
    expect(flow.context().notice).toBe('verification-cancelled-by-us');
    expect(flow.context().verification).toBeUndefined();
  });

  it('a cancel that fails still leaves', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.next('cancelVerification', httpError(500, 'INTERNAL', 'Boom.'));
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
  });

  it('choosing "another device" again right after leaving starts a new request, not the cancelled one', async () => {
    const flow = await atWaitingForOtherDevice();
    const { server } = flow;
    server.session = session('needs-verification', { verification: server.verification });
    await flow.advance(1000);
    server.next('cancelVerification', () => {
      server.verification = cancelled('m.user');
      server.session = session('needs-verification', { verification: server.verification });
      return server.update();
    });
    await flow.send({ type: 'BACK' });
    expect(flow.state()).toBe('chooseMethod.idle');
    server.moves('beginVerification', verification('requested', { id: 'second' }));
    await flow.send({ type: 'CHOOSE_DEVICE' });
    expect(server.count('beginVerification')).toBe(2);
    expect(flow.context().verification?.id).toBe('second');
  });

  it('a verification whose call failed is still live: BACK cancels it', async () => {
    const flow = await atShowingQr();
    flow.server.next('startSas', httpError(500, 'INTERNAL', 'Boom.'));
    await flow.send({ type: 'SHOW_EMOJI' });
    expect(flow.state()).toBe('deviceVerification.failed');
    expect(flow.context().problem?.kind).toBe('server');
    await flow.send({ type: 'BACK' });
    expect(flow.server.callsTo('cancelVerification').map((input) => input.code)).toEqual(['m.user']);
    expect(flow.state()).toBe('chooseMethod.idle');
    expect(flow.context().problem).toBeUndefined();
  });

  it('INTERRUPT mid-verification stops watching and leaves the server untouched', async () => {
    const flow = await atComparingEmojis();
    const before = flow.server.calls.length;
    await flow.send({ type: 'INTERRUPT' });
    await flow.advance(5000);
    expect(flow.state()).toBe('interrupted');
    expect(flow.server.calls.length).toBe(before);
    expect(flow.server.count('cancelVerification')).toBe(0);
    expect(flow.actor.getSnapshot().output?.outcome).toBe('interrupted');
  });
});

describe('the server moves underneath', () => {
  it('a 409 on sas/start (the other device was quicker) goes on waiting', async () => {
    const flow = await atShowingQr();
    flow.server.next('startSas', httpError(409, 'INVALID_STATE', 'Not now.'));
    await flow.send({ type: 'SHOW_EMOJI' });
    expect(step(flow)).toBe('waitingForOtherDevice');
    flow.server.verification = verification('sas_ready');
    await flow.advance(1000);
    expect(step(flow)).toBe('comparingEmojis');
  });

  it('a server that still offers sas.start after sas/start is not asked again and again', async () => {
    const flow = await atShowingQr();
    await flow.send({ type: 'SHOW_EMOJI' });
    await flow.advance(3000);
    expect(flow.server.count('startSas')).toBe(1);
    expect(step(flow)).toBe('waitingForOtherDevice');
    flow.server.verification = verification('sas_ready');
    await flow.advance(1000);
    expect(step(flow)).toBe('comparingEmojis');
  });

  it('a verification the server no longer reports is left for wherever the session points', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.verification = undefined;
    flow.server.session = session('needs-first-sync');
    await flow.advance(1000);
    expect(flow.state()).toBe('firstSync.idle');
    expect(flow.server.callsTo('fetchVerification').every((input) => input.id === 'txn/$1:beeper.com')).toBe(true);
  });

  it('a 401 while polling the verification forgets the token and signs in again', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.next('fetchVerification', httpError(401, 'UNAUTHORIZED', 'Sign in again.'));
    flow.server.session = session('needs-login');
    await flow.advance(1000);
    expect(flow.state()).toBe('signIn.enterEmail');
    expect(flow.context().accessToken).toBeUndefined();
    expect(flow.server.count('cancelVerification')).toBe(0);
  });
});
