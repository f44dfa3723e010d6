/** Every call of the setup API through the real client against the real simulator over HTTP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRecoveryKey } from '../../src/shared/recoveryKey.js';
import { parseSasDecimals, parseSasEmojis } from '../../src/shared/sas.js';
import { signIn, startHarness, waitForState, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sim.close();
});

async function verifying() {
  const signedIn = await signIn(h);
  await waitForState(h, 'needs-verification');
  return { ...signedIn, auth: { accessToken: signedIn.token } };
}

describe('which app answers', () => {
  it('GET /v1/info names the app and where it listens', async () => {
    const info = await h.client().info();
    expect(info.app.name).toBe('Beeper Server');
    expect(info.app.bundle_id).toContain('.server');
    expect(info.server?.port).toBe(h.sim.port);
  });

  it('GET /v1/app/setup is public before sign-in and says needs-login', async () => {
    const session = await h.client().getSession();
    expect(session.state).toBe('needs-login');
    expect(session.matrix).toBeUndefined();
  });
});

describe('sign-in and account creation', () => {
  it('start → email → response signs a known email in with a token, once', async () => {
    const client = h.client();
    const start = await client.start();
    expect(start.setupRequestID).toEqual(expect.any(String));
    expect(start.signInMethods).toContain('email');
    await expect(client.sendEmail({ setupRequestID: start.setupRequestID, email: 'alice@example.com' })).resolves.toBeUndefined();
    const code = h.sim.control.latestCode('alice@example.com');
    expect(code).toMatch(/^\d{6}$/);
    const result = await client.submitCode({ setupRequestID: start.setupRequestID, code: code! });
    expect(result.kind).toBe('signed-in');
    if (result.kind !== 'signed-in') return;
    expect(result.matrix.accessToken.length).toBeGreaterThan(10);
    expect(result.matrix.userID).toMatch(/^@alice:/);
    expect(result.session?.state).not.toBe('needs-login');
  });

  it('an unknown email gets RegistrationRequired with the server copy, and register creates the account', async () => {
    const client = h.client();
    const { setupRequestID } = await client.start();
    await client.sendEmail({ setupRequestID, email: 'newcomer@example.com' });
    const result = await client.submitCode({ setupRequestID, code: h.sim.control.latestCode('newcomer@example.com')! });
    expect(result.kind).toBe('registration-required');
    if (result.kind !== 'registration-required') return;
    expect(result.copy.title).toBe('Choose your username');
    expect(result.copy.terms).toContain('Terms of Use');
    expect(result.usernameSuggestions.length).toBeGreaterThan(0);
    const registered = await client.register({
      setupRequestID: result.setupRequestID,
      leadToken: result.leadToken,
      username: result.usernameSuggestions[0]!,
      acceptTerms: true,
    });
    expect(registered.kind).toBe('signed-in');
    expect(registered.matrix.userID).toContain(result.usernameSuggestions[0]!);
    await waitForState(h, 'needs-cross-signing-setup');
  });
});

describe('recovery key', () => {
  it('verifies the account key and moves on to first sync', async () => {
    const { client, auth } = await verifying();
    const key = h.sim.control.accounts().find((a) => a.email === 'alice@example.com')!.recoveryKey!;
    const { session } = await client.verifyRecoveryKey(key.replace(/ /g, ''), auth);
    expect(['needs-first-sync', 'ready']).toContain(session.state);
    expect((await client.getSession(auth)).e2ee?.verified).toBe(true);
  });

  it('reset makes a real-format key and confirm makes it the account key', async () => {
    const { client, auth } = await verifying();
    const oldKey = h.sim.control.accounts().find((a) => a.email === 'alice@example.com')!.recoveryKey!;
    const reset = await client.resetRecoveryKey(oldKey, auth);
    expect(checkRecoveryKey(reset.recoveryKey).ok).toBe(true);
    expect(reset.recoveryKey).not.toBe(oldKey);
    const { session } = await client.confirmRecoveryKeyReset(reset.recoveryKey, auth);
    expect(['needs-first-sync', 'ready']).toContain(session.state);
    expect(h.sim.control.accounts().find((a) => a.email === 'alice@example.com')!.recoveryKey).toBe(reset.recoveryKey);
  });
});

describe('device verification', () => {
  it('outgoing → ready → SAS → both confirm → done, with list and get agreeing', async () => {
    const { client, auth } = await verifying();
    const created = await client.createVerification({}, auth);
    const id = created.verification!.id;
    expect(created.verification!.state).toBe('requested');
    expect(created.verification!.direction).toBe('outgoing');
    expect(id).toMatch(/[$:/]/);

    const listed = await client.listVerifications(auth);
    expect(listed.items.map((v) => v.id)).toContain(id);

    h.sim.control.otherDevice('accept');
    const ready = await client.getVerification(id, auth);
    expect(ready.verification!.state).toBe('ready');
    expect(ready.verification!.availableActions).toEqual(expect.arrayContaining(['sas.start', 'cancel']));
    expect(ready.verification!.qr?.data).toEqual(expect.any(String));

    const sas = await client.startSas(id, auth);
    expect(sas.verification!.state).toBe('sas_ready');
    expect(parseSasEmojis(sas.verification!.sas!.emojis).filter((e) => e.number >= 0)).toHaveLength(7);
    expect(parseSasDecimals(sas.verification!.sas!.decimals)).toHaveLength(3);

    const confirmed = await client.confirmSas(id, auth);
    expect(confirmed.verification!.availableActions).not.toContain('sas.confirm');
    h.sim.control.otherDevice('confirm-sas');
    expect((await client.getVerification(id, auth)).verification!.state).toBe('done');
  });

  it('QR: the other device scans ours, we confirm → done', async () => {
    const { client, auth } = await verifying();
    const id = (await client.createVerification({}, auth)).verification!.id;
    h.sim.control.otherDevice('accept');
    h.sim.control.otherDevice('scan-qr');
    const scanned = await client.getVerification(id, auth);
    expect(scanned.verification!.state).toBe('qr_scanned');
    expect(scanned.verification!.availableActions).toContain('qr.confirmScanned');
    const done = await client.confirmQrScanned(id, auth);
    expect(done.verification!.state).toBe('done');
  });

  it('QR: we scan the other device’s code → done', async () => {
    const { client, auth } = await verifying();
    await client.createVerification({}, auth);
    h.sim.control.otherDevice('accept');
    const done = await client.scanQr(h.sim.control.otherDeviceQr(), auth);
    expect(done.verification!.state).toBe('done');
  });

  it('incoming: accept a request the other device started, or cancel it with a reason', async () => {
    const { client, auth } = await verifying();
    h.sim.control.otherDevice('request');
    const incoming = (await client.listVerifications(auth)).items.find((v) => v.direction === 'incoming')!;
    expect(incoming.availableActions).toEqual(expect.arrayContaining(['accept', 'cancel']));
    const accepted = await client.acceptVerification(incoming.id, auth);
    expect(accepted.verification!.state).toBe('ready');
    const cancelled = await client.cancelVerification(incoming.id, { code: 'm.user', reason: 'Changed my mind' }, auth);
    expect(cancelled.verification!.state).toBe('cancelled');
    expect(cancelled.verification!.error?.code).toBe('m.user');
    expect(cancelled.verification!.availableActions).toEqual([]);
  });
});
