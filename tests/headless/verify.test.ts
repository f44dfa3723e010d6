/**
 * `beeper-setup verify`: a ready app vouches for the user's other (new) device,
 * headless with --json: an incoming request accepted and verified by emoji, an
 * outgoing request (purpose "device") verified by QR, a scanned QR payload asked
 * for once the other device shows its code (from a file or stdin), a mismatch,
 * and an app that is not set up.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, readyApp as signedInAndReady, runCli, scanOutputsAfterEach, simulator, stepsOf, tempDir, requestAndMatch, scanAndConfirm } from './helpers.js';

scanOutputsAfterEach();

let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

/** Whether the request was accepted, and a scanned payload submitted, so far. */
function acceptedBeforeScan() {
  const requests = sim.control.requests();
  return { accepted: requests.some((request) => request.path.endsWith('/accept')), scanned: requests.some((request) => request.path.endsWith('/qr/scan')) };
}

/** Signs this app in and unlocks it (headless, recovery key): the app is ready and trusted. */
async function readyApp(profile: 'lenient' | 'strict' = 'lenient') {
  sim = await simulator({ profile });
  return signedInAndReady(sim);
}

describe.each(['lenient', 'strict'] as const)('beeper-setup verify (%s simulator)', (profile) => {
  it('accepts the request of the new device and verifies it by comparing emojis', async () => {
    const { env } = await readyApp(profile);
    const run = runCli(['verify', '--base-url', sim.url, '--wait', '--json'], env);
    await run.waitFor('"step":"awaiting-request"');
    await requestAndMatch(sim, run);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Verified: MacBook Air is now trusted.');
    expect(result.events.at(-1)).toMatchObject({ event: 'verified', otherDevice: 'MacBook Air' });
    expect(result.events.find((event) => event.event === 'verification')).toMatchObject({ otherDevice: 'MacBook Air' });
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
    expect(sim.control.requests().some((request) => request.path.endsWith('/accept'))).toBe(true);
  });

  it('asks the new device with purpose "device" and verifies it by QR code', async () => {
    const { env } = await readyApp(profile);
    const run = runCli(['verify', '--base-url', sim.url, '--qr', '--json'], env);
    await run.waitFor('"step":"waiting-other-device"');
    const request = sim.control.requests().find((entry) => entry.method === 'POST' && entry.path === '/v1/app/setup/verifications');
    expect(request?.fields).toEqual(['purpose']);
    expect(sim.control.session().verification).toMatchObject({ purpose: 'device', direction: 'outgoing' });
    await scanAndConfirm(sim, run);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(stepsOf(result.events)).toEqual(expect.arrayContaining(['awaiting-request', 'starting-verification', 'waiting-other-device', 'showing-qr', 'confirm-scan', 'confirming-scan']));
    expect(result.events.at(-1)).toMatchObject({ event: 'verified', otherDevice: 'MacBook Air' });
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('submits the QR payload of the new device, scanned with another app and read from a file once it shows its code', async () => {
    const { env, dir } = await readyApp(profile);
    // The new device asks; it shows its code once the request is accepted, and only then can the file be written.
    sim.control.otherDevice('request');
    const qrFile = join(dir, 'scanned.txt');
    const run = runCli(['verify', '--base-url', sim.url, '--qr-file', qrFile, '--json'], env);
    await run.waitFor('"for":"qr-payload"');
    expect(acceptedBeforeScan()).toEqual({ accepted: true, scanned: false });
    expect(run.stderr()).toContain(`and write its payload to ${qrFile}: it is read as soon as it is there.`);
    writeFileSync(qrFile, `${sim.control.otherDeviceQr()}\n`);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(stepsOf(result.events)).toEqual(expect.arrayContaining(['starting-verification', 'submitting-qr']));
    expect(sim.control.requests().some((request) => request.path === '/v1/app/setup/verifications/qr/scan' && request.status === 200)).toBe(true);
    expect(result.events.at(-1)).toMatchObject({ event: 'verified', otherDevice: 'MacBook Air' });
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('takes the scanned payload from stdin with --qr-file -, asked for once the request is accepted', async () => {
    const { env } = await readyApp(profile);
    sim.control.otherDevice('request');
    const run = runCli(['verify', '--base-url', sim.url, '--qr-file', '-', '--json'], env);
    // Accepted first: only then does the new device show the code the payload comes from.
    await run.waitFor('"for":"qr-payload"');
    expect(acceptedBeforeScan()).toEqual({ accepted: true, scanned: false });
    expect(sim.control.session().verification).toMatchObject({ state: 'ready', direction: 'incoming' });
    run.write(sim.control.otherDeviceQr());
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
    expect(stepsOf(result.events)).toEqual(expect.arrayContaining(['awaiting-request', 'starting-verification', 'qr-payload', 'submitting-qr']));
    expect(result.events.find((event) => event.event === 'prompt')).toMatchObject({ for: 'qr-payload' });
    expect(result.events.at(-1)).toMatchObject({ event: 'verified', otherDevice: 'MacBook Air' });
  });

  it('sends a request, and asks for the payload once the new device accepted it', async () => {
    const { env } = await readyApp(profile);
    const run = runCli(['verify', '--base-url', sim.url, '--qr-file', '-', '--json'], env);
    await run.waitFor('"step":"waiting-other-device"');
    expect(run.stdout()).not.toContain('"for":"qr-payload"');
    sim.control.otherDevice('accept');
    await run.waitFor('"for":"qr-payload"');
    run.write(sim.control.otherDeviceQr());
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('a mismatch stops with the reason and trusts nothing', async () => {
    const { env } = await readyApp(profile);
    const run = runCli(['verify', '--base-url', sim.url, '--wait', '--json'], env);
    await run.waitFor('"step":"awaiting-request"');
    sim.control.otherDevice('request');
    await run.waitFor('"for":"emoji-match"');
    run.write('no');
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The verification stopped: The emojis did not match.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'verification-failed', exitCode: 1 });
    expect(sim.control.verifiedDevices()).not.toContain('MacBook Air');
  });
});

describe('beeper-setup verify, refused', () => {
  it('an app that is not set up: exit 1, saying to run beeper-setup first', async () => {
    sim = await simulator();
    const run = runCli(['verify', '--base-url', sim.url, '--json'], cliEnv(join(tempDir(), 'config')));
    const result = await run.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('This app is not signed in');
    expect(result.stderr).toContain('Run beeper-setup first; then beeper-setup verify.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'not-set-up', exitCode: 1 });
  });

  it('--qr-file - with nothing on stdin stops before anything is sent (exit 3)', async () => {
    const { env } = await readyApp();
    const before = sim.control.requests().length;
    const run = runCli(['verify', '--base-url', sim.url, '--qr-file', '-', '--json'], env);
    run.end();
    const result = await run.result;
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('--qr-file - reads the payload');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'input-needed', exitCode: 3 });
    expect(sim.control.requests().length).toBe(before);
  });

  it('--wait times out with exit 4 when no request comes', async () => {
    const { env } = await readyApp();
    const run = runCli(['verify', '--base-url', sim.url, '--wait', '--timeout', '1s', '--json'], env, { scale: 1 });
    const result = await run.result;
    expect(result.code).toBe(4);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'timeout' });
  });
});
