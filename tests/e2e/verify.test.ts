/**
 * `beeper-setup verify` in the wizard, at 60 columns: this ready app vouches for
 * the user's new device. An incoming request accepted and compared by emoji, an
 * outgoing request (purpose "device", strict simulator) verified by QR code, and
 * a mismatch that stops with the reason and trusts nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { PROFILES, TIMEOUT, recoveryKeyOf, simulator, useBuiltCliInTmux, wizard, type Profile } from './flows.js';
import { CLI, qrRows, type Terminal } from './terminal.js';

useBuiltCliInTmux();

const EMAIL = 'alice@example.com';

/** Sets the app up (headless, the recovery key from a file): afterwards it is ready and holds a saved token. */
async function readyApp(profile: Profile): Promise<{ sim: RunningSimulator; home: string }> {
  const sim = await simulator(profile);
  const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
  const keyFile = join(home, 'key.txt');
  writeFileSync(keyFile, recoveryKeyOf(sim, EMAIL), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), NO_COLOR: '1' };
  delete env.CI;
  const child = spawn(process.execPath, [CLI, '--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const off = sim.control.on('mail', (message) => child.stdin.write(`${message.code}\n`));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  off();
  expect(code, output).toBe(0);
  return { sim, home };
}

/**
 * The new device asks; Enter accepts; e switches from its QR code to the emojis (or, where the
 * window is too small for the code, Enter takes the emojis offered first).
 */
async function acceptAndCompare(sim: RunningSimulator, terminal: Terminal): Promise<void> {
  sim.control.otherDevice('request');
  await terminal.waitFor('MacBook Air asks to be verified by this device');
  terminal.press('Enter');
  const offered = await terminal.waitFor(/Scan this code with your other device|Compare emojis with your other device \(MacBook Air\)/);
  terminal.press(/Compare emojis with/.test(offered.replace(/\s+/g, ' ')) ? 'Enter' : 'e');
  await terminal.waitFor('Press y if they match');
}

const verifyIn = (sim: RunningSimulator, home: string, rows = 24) =>
  wizard(sim, { columns: 60, rows, home, configHome: join(home, '.config'), args: ['verify'] });

describe('beeper-setup verify in the wizard (60 columns)', () => {
  it.each(PROFILES)('accepts the new device\'s request and verifies it by emoji (%s simulator)', { timeout: TIMEOUT }, async (profile) => {
    const { sim, home } = await readyApp(profile);
    const terminal = verifyIn(sim, home);
    await terminal.waitFor('Waiting for a verification request');
    expect(terminal.screen()).toContain('Beeper setup · verify another device');
    expect(terminal.screen()).not.toMatch(/Step \d of \d/);
    await acceptAndCompare(sim, terminal);
    const sas = sim.control.session().verification!.sas!;
    expect(terminal.text()).toContain(sas.decimals!.split(' ').join(' '));
    terminal.press('y');
    await terminal.waitFor('Waiting for your other device (MacBook Air) to confirm');
    sim.control.otherDevice('confirm-sas');
    await terminal.waitFor('Verified: MacBook Air is now trusted');
    expect(await terminal.exitCode()).toBe(0);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
    expect(sim.control.requests().some((request) => request.path.endsWith('/accept'))).toBe(true);
  });

  it('sends a request with purpose "device" and verifies by QR code (strict simulator, 60×40)', { timeout: TIMEOUT }, async () => {
    const { sim, home } = await readyApp('strict');
    const terminal = verifyIn(sim, home, 40);
    await terminal.waitFor('press s to send it a request');
    terminal.press('s');
    await terminal.waitFor('Waiting for your other device');
    const request = sim.control.requests().find((entry) => entry.method === 'POST' && entry.path === '/v1/app/setup/verifications');
    expect(request?.fields).toEqual(['purpose']);
    expect(sim.control.session().verification).toMatchObject({ purpose: 'device', direction: 'outgoing' });
    sim.control.otherDevice('accept');
    await terminal.waitFor('Scan this code with your other device (MacBook Air)');
    expect(qrRows(terminal.colorScreen()).length).toBeGreaterThan(15);
    sim.control.otherDevice('scan-qr');
    await terminal.waitFor('Did the scan work?');
    terminal.press('y');
    await terminal.waitFor('Verified: MacBook Air is now trusted');
    expect(await terminal.exitCode()).toBe(0);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('--qr-file: the payload scanned elsewhere is submitted once the request is accepted', { timeout: TIMEOUT }, async () => {
    const { sim, home } = await readyApp('lenient');
    sim.control.otherDevice('request');
    const qrFile = join(home, 'scanned.txt');
    writeFileSync(qrFile, `${sim.control.otherDeviceQr()}\n`);
    const terminal = wizard(sim, { columns: 60, rows: 24, home, configHome: join(home, '.config'), args: ['verify', '--qr-file', qrFile] });
    await terminal.waitFor('MacBook Air asks to be verified by this device');
    terminal.press('Enter');
    await terminal.waitFor('Verified: MacBook Air is now trusted');
    expect(await terminal.exitCode()).toBe(0);
    expect(sim.control.requests().some((request) => request.path === '/v1/app/setup/verifications/qr/scan' && request.status === 200)).toBe(true);
  });

  it('--qr-file -: the request is accepted first, then the payload of the code the new device shows is pasted (strict simulator)', { timeout: TIMEOUT }, async () => {
    const { sim, home } = await readyApp('strict');
    sim.control.otherDevice('request');
    // The keyboard is stdin: "-" is the screen's field, asked for once the new device shows its code.
    const terminal = wizard(sim, { columns: 60, rows: 24, home, configHome: join(home, '.config'), args: ['verify', '--qr-file', '-'] });
    await terminal.waitFor('MacBook Air asks to be verified by this device');
    expect(() => sim.control.otherDeviceQr()).toThrow();
    terminal.press('Enter');
    await terminal.waitFor('Scan the code on your other device (MacBook Air)');
    expect(sim.control.requests().some((request) => request.path.endsWith('/accept'))).toBe(true);
    terminal.type(sim.control.otherDeviceQr());
    terminal.press('Enter');
    await terminal.waitFor('Verified: MacBook Air is now trusted');
    expect(await terminal.exitCode()).toBe(0);
    expect(sim.control.requests().some((request) => request.path === '/v1/app/setup/verifications/qr/scan' && request.status === 200)).toBe(true);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('--qr-file PATH: read once the new device shows its code, written then by another tool (strict simulator)', { timeout: TIMEOUT }, async () => {
    const { sim, home } = await readyApp('strict');
    sim.control.otherDevice('request');
    const qrFile = join(home, 'scanned.txt');
    const terminal = wizard(sim, { columns: 60, rows: 24, home, configHome: join(home, '.config'), args: ['verify', '--qr-file', qrFile] });
    await terminal.waitFor('MacBook Air asks to be verified by this device');
    terminal.press('Enter');
    await terminal.waitFor('it is read as soon as it is there');
    writeFileSync(qrFile, `${sim.control.otherDeviceQr()}\n`);
    await terminal.waitFor('Verified: MacBook Air is now trusted');
    expect(await terminal.exitCode()).toBe(0);
    expect(sim.control.verifiedDevices()).toContain('MacBook Air');
  });

  it('a mismatch stops with the reason and trusts nothing', { timeout: TIMEOUT }, async () => {
    const { sim, home } = await readyApp('lenient');
    const terminal = verifyIn(sim, home);
    await terminal.waitFor('Waiting for a verification request');
    await acceptAndCompare(sim, terminal);
    terminal.press('n');
    await terminal.waitFor('The emojis did not match');
    expect(sim.control.verifiedDevices()).not.toContain('MacBook Air');
    expect(sim.control.requests().some((request) => request.path.endsWith('/cancel'))).toBe(true);
    terminal.press('C-c');
    expect(await terminal.exitCode()).not.toBe(0);
  });
});
