/** Verifying this device from another one: emoji, QR, incoming requests, resuming. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/shared/secret.js';
import { atChooseMethod, atComparingEmojis, atShowingQr, atWaitingForOtherDevice, step } from './flows.js';
import { incomingRequest, session, startFlow, verification, type Flow } from './helpers.js';

/** Verification done: the server moves on to the first sync, then ready. */
async function finish(flow: Flow) {
  flow.server.session = session('needs-first-sync');
  await flow.advance(1000);
  expect(flow.state()).toBe('firstSync.idle');
  flow.server.session = session('ready');
  await flow.advance(1000);
  expect(flow.actor.getSnapshot().output?.outcome).toBe('ready');
}

describe('verify with another device', () => {
  it('emoji: request → accepted → SHOW_EMOJI → compare → MATCH → other device confirms → ready', async () => {
    const flow = await atComparingEmojis();
    const { server } = flow;
    expect(server.callsTo('beginVerification')).toEqual([{ token: expect.any(Secret), incomingID: undefined, mode: 'setup', userID: undefined }]);
    expect(server.callsTo('startSas').map((input) => input.id)).toEqual(['txn/$1:beeper.com']);
    expect(flow.context().preferEmoji).toBe(true);

    server.moves('confirmSas', verification('sas_ready', { availableActions: ['cancel'] }));
    await flow.send({ type: 'MATCH' });
    expect(server.count('confirmSas')).toBe(1);
    expect(flow.context().sasConfirmed).toBe(true);
    expect(step(flow)).toBe('waitingForOtherConfirm');
    await flow.advance(3000);
    expect(step(flow)).toBe('waitingForOtherConfirm');

    server.verification = verification('done');
    await finish(flow);
    expect(server.count('cancelVerification')).toBe(0);
  });

  it('emoji straight away with preferEmoji: no QR step, sas/start sent once', async () => {
    const flow = await atChooseMethod({ preferEmoji: true });
    await atWaitingForOtherDevice(flow);
    flow.server.verification = verification('ready');
    flow.server.moves('startSas', verification('sas_ready'));
    await flow.advance(1000);
    expect(step(flow)).toBe('comparingEmojis');
    expect(flow.server.count('startSas')).toBe(1);
  });

  it('QR: the other device scans → "did it show success?" → SCAN_CONFIRMED → ready', async () => {
    const flow = await atShowingQr();
    expect(flow.context().verification?.qr?.data).toBe('qr-payload');
    flow.server.verification = verification('qr_scanned');
    await flow.advance(1000);
    expect(step(flow)).toBe('confirmingScan');

    flow.server.moves('confirmQrScanned', verification('done'));
    flow.server.session = session('needs-first-sync');
    await flow.send({ type: 'SCAN_CONFIRMED' });
    expect(flow.server.callsTo('confirmQrScanned').map((input) => input.id)).toEqual(['txn/$1:beeper.com']);
    expect(flow.state()).toBe('firstSync.idle');
    flow.server.session = session('ready');
    await flow.advance(1000);
    expect(flow.state()).toBe('ready');
  });

  it('a QR code bigger than the front end can draw is not offered first: emojis are, the code a key away', async () => {
    const flow = await atWaitingForOtherDevice();
    // The wizard's window draws codes of at most 21 modules a side; 'qr-payload' needs 21, a long one more.
    await flow.send({ type: 'QR_ROOM', modules: 21 });
    flow.server.verification = verification('ready', { qr: { data: 'x'.repeat(100) } });
    await flow.advance(1000);
    expect(step(flow)).toBe('offeringEmoji');
    expect(flow.server.count('startSas')).toBe(0);
    // The window grows: the code fits now, and is shown.
    await flow.send({ type: 'QR_ROOM', modules: 177 });
    expect(step(flow)).toBe('showingQr');
    // …and shrinks again: emojis first once more.
    await flow.send({ type: 'QR_ROOM', modules: 21 });
    expect(step(flow)).toBe('offeringEmoji');
    // Asked for, the code is shown though it does not fit (the wizard names the window it needs), and stays through polls.
    await flow.send({ type: 'SHOW_QR' });
    expect(step(flow)).toBe('showingQr');
    await flow.advance(3000);
    expect(step(flow)).toBe('showingQr');
  });

  it('from the offer, Enter starts the emoji comparison; without sas.start the code is shown anyway', async () => {
    const flow = await atWaitingForOtherDevice();
    await flow.send({ type: 'QR_ROOM', modules: 0 });
    flow.server.verification = verification('ready');
    await flow.advance(1000);
    expect(step(flow)).toBe('offeringEmoji');
    flow.server.moves('startSas', verification('sas_ready'));
    await flow.send({ type: 'SHOW_EMOJI' });
    expect(step(flow)).toBe('comparingEmojis');
    expect(flow.server.count('startSas')).toBe(1);

    const qrOnly = await atWaitingForOtherDevice();
    await qrOnly.send({ type: 'QR_ROOM', modules: 0 });
    qrOnly.server.verification = verification('ready', { availableActions: ['cancel'] });
    await qrOnly.advance(1000);
    expect(step(qrOnly)).toBe('showingQr');
  });

  it('SHOW_EMOJI is ignored when the server does not offer sas.start', async () => {
    const flow = await atWaitingForOtherDevice();
    flow.server.verification = verification('ready', { availableActions: ['cancel'] });
    await flow.advance(1000);
    expect(step(flow)).toBe('showingQr');
    await flow.send({ type: 'SHOW_EMOJI' });
    expect(step(flow)).toBe('showingQr');
    expect(flow.server.count('startSas')).toBe(0);
  });

  it('an incoming request found while choosing is accepted, not a new request made', async () => {
    const flow = await atChooseMethod();
    await flow.send({ type: 'ACCEPT_INCOMING' });
    expect(flow.state()).toBe('chooseMethod.idle');

    flow.server.incoming = incomingRequest();
    await flow.advance(1000);
    expect(flow.context().incomingVerification?.id).toBe('incoming-1');

    flow.server.moves('beginVerification', verification('ready', { id: 'incoming-1', direction: 'incoming' }));
    await flow.send({ type: 'ACCEPT_INCOMING' });
    expect(flow.server.callsTo('beginVerification')).toEqual([{ token: expect.any(Secret), incomingID: 'incoming-1', mode: 'setup', userID: undefined }]);
    expect(step(flow)).toBe('showingQr');
    expect(flow.context().incomingVerification).toBeUndefined();

    flow.server.moves('startSas', verification('sas_ready', { id: 'incoming-1', direction: 'incoming' }));
    await flow.send({ type: 'SHOW_EMOJI' });
    expect(flow.server.callsTo('startSas').map((input) => input.id)).toEqual(['incoming-1']);
    flow.server.moves('confirmSas', verification('done', { id: 'incoming-1' }));
    await flow.send({ type: 'MATCH' });
    await finish(flow);
  });

  it('an incoming request that goes away is no longer offered', async () => {
    const flow = await atChooseMethod();
    flow.server.incoming = incomingRequest();
    await flow.advance(1000);
    flow.server.incoming = undefined;
    await flow.advance(1000);
    expect(flow.context().incomingVerification).toBeUndefined();
    await flow.send({ type: 'ACCEPT_INCOMING' });
    expect(flow.state()).toBe('chooseMethod.idle');
  });

  it('CHOOSE_DEVICE with an incoming request pending starts our own request', async () => {
    const flow = await atChooseMethod();
    flow.server.incoming = incomingRequest();
    await flow.advance(1000);
    await atWaitingForOtherDevice(flow);
    expect(flow.server.callsTo('beginVerification').map((input) => input.incomingID)).toEqual([undefined]);
  });

  it('verified on the other device while choosing: follows the server without a verification', async () => {
    const flow = await atChooseMethod();
    flow.server.session = session('needs-first-sync');
    await flow.advance(1000);
    expect(flow.state()).toBe('firstSync.idle');
  });

  it('a rerun resumes the verification the session already has, without starting another', async () => {
    const live = verification('sas_ready');
    const flow = await startFlow({
      input: { accessToken: new Secret('token-0') },
      prepare: (server) => {
        server.session = session('needs-verification', { verification: live });
        server.verification = live;
      },
    });
    expect(step(flow)).toBe('comparingEmojis');
    expect(flow.server.count('beginVerification')).toBe(0);
  });

  it('a done verification while the session still says needs-verification waits for the server', async () => {
    const flow = await atShowingQr();
    flow.server.moves('confirmQrScanned', verification('done'));
    flow.server.verification = verification('qr_scanned');
    await flow.advance(1000);
    await flow.send({ type: 'SCAN_CONFIRMED' });
    expect(flow.state()).toBe('applyingVerification.idle');
    // Not taken in within a few seconds: say so, with the ways forward (never wait blind).
    await flow.advance(5000);
    expect(flow.step()).toMatchObject({ step: 'verification-not-applied', kind: 'show' });
    flow.server.session = session('needs-secrets');
    await flow.advance(1000);
    expect(flow.state()).toBe('enterRecoveryKey');
  });
});

describe('verify --qr-file: the other device shows its code only once the request is accepted', () => {
  const incoming = () => verification('requested', { id: 'incoming-1', direction: 'incoming', purpose: 'device', availableActions: ['accept', 'cancel'] });

  /** A ready app vouching, with an incoming request waiting; `scanQr`: the user scans the other device's code elsewhere. */
  async function vouchingWithRequest(): Promise<Flow> {
    const flow = await startFlow({
      input: { accessToken: new Secret('token-0'), mode: 'vouch', vouch: { scanQr: true } },
      prepare: (server) => {
        server.session = session('ready');
        server.incoming = incoming();
      },
    });
    await flow.advance(1000);
    expect(flow.step()).toMatchObject({ step: 'awaiting-request' });
    expect(flow.context().incomingVerification?.id).toBe('incoming-1');
    return flow;
  }

  it('accepts first, then asks for the payload, submits it once, and ends verified', async () => {
    const flow = await vouchingWithRequest();
    flow.server.moves('beginVerification', verification('ready', { id: 'incoming-1', direction: 'incoming', purpose: 'device' }));
    await flow.send({ type: 'ACCEPT_INCOMING' });
    expect(flow.server.callsTo('beginVerification')).toEqual([expect.objectContaining({ incomingID: 'incoming-1' })]);
    expect(flow.step()).toMatchObject({ step: 'qr-payload', kind: 'ask' });
    // Polls while the payload is awaited keep the step (and never submit anything by themselves).
    await flow.advance(3000);
    expect(flow.step().step).toBe('qr-payload');
    expect(flow.server.count('submitScannedQr')).toBe(0);
    flow.server.next('submitScannedQr', () => {
      flow.server.verification = verification('done', { id: 'incoming-1', direction: 'incoming' });
      return flow.server.update();
    });
    await flow.send({ type: 'SUBMIT_QR', data: new Secret('TUFUUklY') });
    expect(flow.server.callsTo('submitScannedQr').map((input) => (input.data as Secret).reveal())).toEqual(['TUFUUklY']);
    expect(flow.actor.getSnapshot().output?.outcome).toBe('vouched');
  });

  it('while the request is not yet taken up (sent by us, "requested"), nothing is asked for', async () => {
    const flow = await startFlow({ input: { accessToken: new Secret('token-0'), mode: 'vouch', vouch: { scanQr: true } }, prepare: (server) => void (server.session = session('ready')) });
    await flow.advance(1000);
    flow.server.moves('beginVerification', verification('requested', { purpose: 'device' }));
    await flow.send({ type: 'REQUEST_VERIFICATION' });
    await flow.advance(3000);
    expect(flow.step().step).toBe('waiting-other-device');
    // Vouching for another device, this app's recovery key is no way forward: the wait does not offer it.
    expect(flow.actor.getSnapshot().can({ type: 'USE_RECOVERY_KEY' })).toBe(false);
    expect(flow.actor.getSnapshot().can({ type: 'BACK' })).toBe(true);
    flow.server.verification = verification('ready', { purpose: 'device' });
    await flow.advance(1000);
    expect(flow.step().step).toBe('qr-payload');
  });

  it('an empty payload is refused: typed, it is asked for again; from a file, the run stops naming --qr-file', async () => {
    for (const source of ['typed', 'preset'] as const) {
      const flow = await vouchingWithRequest();
      flow.server.moves('beginVerification', verification('ready', { id: 'incoming-1', direction: 'incoming', purpose: 'device' }));
      await flow.send({ type: 'ACCEPT_INCOMING' });
      await flow.send({ type: 'SUBMIT_QR', data: new Secret('  '), source });
      expect(flow.server.count('submitScannedQr')).toBe(0);
      if (source === 'typed') {
        expect(flow.step().step).toBe('qr-payload');
        expect(flow.context().problem).toMatchObject({ code: 'INVALID_QR_CODE' });
      } else {
        expect(flow.state()).toBe('failed');
        expect(flow.context().problem).toMatchObject({ code: 'INVALID_QR_CODE', preset: 'qr-file' });
      }
    }
  });
});
