/**
 * The built CLI in a real terminal (tmux) against the simulator running in
 * this process: what the screen shows and what the simulator recorded.
 * Every screen is also checked for width and for a cut QR code (flows.ts).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { TIMEOUT, calls, chooseDevice, compareEmojis, finish, recoveryKeyOf, running, signIn, simulator, useBuiltCliInTmux, wizard } from './flows.js';
import { Terminal, cutQrCodes } from './terminal.js';

useBuiltCliInTmux();

describe('beeper-setup in a terminal', () => {
  it('existing account: sign in and unlock with the recovery key', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await terminal.waitFor('Verify this device');
    expect(terminal.screen()).toContain('Step 3 of 4');
    await terminal.press('Down');
    await terminal.press('Enter');
    await terminal.waitFor('Verify with your recovery key');
    await terminal.type(recoveryKeyOf(sim, 'alice@example.com'));
    await terminal.waitFor('This is a valid recovery key.');
    expect(terminal.screen()).not.toContain(recoveryKeyOf(sim, 'alice@example.com').slice(5, 14));
    await terminal.press('Enter');
    await finish(terminal);
    const log = calls(sim);
    expect(log).toContain('POST /v1/app/setup/email 204');
    expect(log).toContain('POST /v1/app/setup/response 200');
    expect(log).toContain('POST /v1/app/setup/verification/recovery-key 200');
    expect(log.filter((line) => line.startsWith('POST /v1/app/setup/verifications'))).toEqual([]);
  });

  it('existing account: verify by comparing emojis (60 columns)', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim, { columns: 60 });
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    await compareEmojis(terminal, sim);
    await terminal.type('y');
    await terminal.waitFor('Waiting for your other device (Pixel 8) to confirm too');
    sim.control.otherDevice('confirm-sas');
    await finish(terminal);
    const log = calls(sim);
    expect(log).toContain('POST /v1/app/setup/verifications 200');
    expect(log).toContain('POST /v1/app/setup/verifications/ID/sas/start 200');
    expect(log).toContain('POST /v1/app/setup/verifications/ID/sas/confirm 200');
  });

  it('existing account: verify by QR code, confirming the other device shows success (60 columns)', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim, { columns: 60 });
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    const screen = terminal.screen();
    expect(screen).toMatch(/^\s*▄{20,}\s*$/m);
    expect(cutQrCodes(screen)).toEqual([]);
    sim.control.otherDevice('scan-qr');
    await terminal.waitFor('Did the scan work?');
    await terminal.type('y');
    await finish(terminal);
    expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/qr/confirm-scanned 200');
  });

  it('new account: username, terms, a new recovery key saved to a file and re-typed (60 columns)', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
    const terminal = wizard(sim, { columns: 60, home });
    await signIn(terminal, sim, 'carol@example.com');
    await terminal.waitFor('Choose your username');
    expect(terminal.screen()).toContain('Username: carol');
    await terminal.press('Enter');
    await terminal.waitFor('Terms of Use:');
    expect(terminal.screen()).toContain('https://www.beeper.com/terms-onboarding');
    expect(terminal.screen()).toContain('https://www.beeper.com/privacy');
    await terminal.press('Enter');
    expect(calls(sim).some((line) => line.includes('/register'))).toBe(false);
    await terminal.type('y');
    await terminal.waitFor('Create your recovery key');
    // Explained first; the key is made only when the user goes on.
    expect(calls(sim).some((line) => line.includes('recovery-key/reset'))).toBe(false);
    await terminal.press('Enter');
    await terminal.waitFor('Your recovery key');
    const groups = terminal.screen().match(/\b[1-9A-HJ-NP-Za-km-z]{4}\b/g)!.filter((group, i, all) => all.indexOf(group) === i);
    const keyLines = terminal.screen().split('\n').filter((line) => /^\W*(?:[1-9A-HJ-NP-Za-km-z]{4} ?){6}\W*$/.test(line));
    expect(keyLines).toHaveLength(2);
    const key = keyLines.map((line) => line.replace(/[^1-9A-HJ-NP-Za-km-z ]/g, '').trim()).join(' ');
    expect(key.split(' ')).toHaveLength(12);
    expect(groups.length).toBeGreaterThan(0);
    expect(terminal.text()).toContain('It is shown only this once.');

    await terminal.type('c');
    await terminal.waitFor('Sent the key to your clipboard (OSC 52).');
    expect(terminal.screen()).toContain(keyLines[0]!.trim());
    await terminal.type('s');
    await terminal.waitFor('Save to file: ~/beeper-recovery-key.txt');
    await terminal.press('Enter');
    await terminal.waitFor('(only you can read it)');
    const file = join(home, 'beeper-recovery-key.txt');
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    await terminal.press('Enter');
    await terminal.waitFor('type the last two groups of your key');
    expect(terminal.screen()).not.toContain(key.split(' ')[11]);
    await terminal.type('1111 2222');
    await terminal.press('Enter');
    await terminal.waitFor('That does not match the end of your key.');
    expect(calls(sim).some((line) => line.includes('reset/confirm'))).toBe(false);
    for (let i = 0; i < 9; i++) await terminal.press('BSpace');
    await terminal.type(key.split(' ').slice(-2).join(' '));
    await terminal.press('Enter');
    await terminal.waitFor('Beeper is ready', 20_000);
    expect(await terminal.exitCode()).toBe(0);
    expect(terminal.screen()).toContain('@carol:beeper.com');
    const log = calls(sim);
    expect(log).toContain('POST /v1/app/setup/register 200');
    expect(log).toContain('POST /v1/app/setup/verification/recovery-key/reset 200');
    expect(log).toContain('POST /v1/app/setup/verification/recovery-key/reset/confirm 200');
    expect(sim.control.accounts().find((account) => account.email === 'carol@example.com')?.recoveryKey).toBe(key);
  });

  it('a wrong code shows the server message, then the right one signs in; Ctrl-C quits with 130', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await terminal.waitFor('Sign in to Beeper');
    await terminal.type('alice@example.com');
    await terminal.press('Enter');
    await terminal.waitFor('We sent a 6-digit code');
    const code = sim.control.latestCode('alice@example.com')!;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await terminal.type(`${wrong.slice(0, 3)}-${wrong.slice(3)}`);
    await terminal.press('Enter');
    await terminal.waitFor('That code is not right. 4 attempts left.');
    expect(terminal.screen()).toContain('alice@example.com');
    await terminal.type(code);
    await terminal.press('Enter');
    await terminal.waitFor('Verify this device');
    await terminal.press('C-c');
    expect(await terminal.exitCode()).toBe(130);
    expect(terminal.screen()).toContain('Stopped. Run beeper-setup again to continue where Beeper stands');
    expect(terminal.screen()).not.toContain('Verify this device');
    expect(calls(sim).filter((line) => line.startsWith('POST /v1/app/setup/response'))).toEqual([
      'POST /v1/app/setup/response 401',
      'POST /v1/app/setup/response 200',
    ]);
  });

  it("a wrong recovery key is told apart from a malformed one and stays for editing; then the right one (60 columns)", { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim, { columns: 60 });
    await signIn(terminal, sim);
    await terminal.waitFor('Verify this device');
    await terminal.type('2');
    await terminal.waitFor('Verify with your recovery key');
    await terminal.type('EsTx yz');
    await terminal.press('Enter');
    await terminal.waitFor('Not a recovery key yet');
    for (let i = 0; i < 6; i++) await terminal.press('BSpace');
    const stranger = encodeRecoveryKey(new Uint8Array(32).fill(7));
    await terminal.type(stranger);
    await terminal.press('Enter');
    await terminal.waitFor('That is a recovery key, but not the one for this account.');
    await terminal.press('Tab');
    await terminal.waitFor(stranger);
    expect(calls(sim)).toContain('POST /v1/app/setup/verification/recovery-key 400');
    for (let i = 0; i < 48; i++) await terminal.press('BSpace');
    await terminal.type(recoveryKeyOf(sim, 'alice@example.com').replace(/ /g, '\n'));
    await terminal.waitFor('This is a valid recovery key.');
    await terminal.press('Enter');
    await finish(terminal);
    expect(calls(sim).filter((line) => line.includes('verification/recovery-key'))).toEqual([
      'POST /v1/app/setup/verification/recovery-key 400',
      'POST /v1/app/setup/verification/recovery-key 200',
    ]);
  });

  it("emojis that don't match stop the verification; the recovery key then finishes", { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    await compareEmojis(terminal, sim);
    await terminal.type('n');
    await terminal.waitFor('The devices did not match');
    expect(sim.control.session().verification?.state).toBe('cancelled');
    await terminal.type('r');
    await terminal.waitFor('Verify with your recovery key');
    await terminal.type(recoveryKeyOf(sim, 'alice@example.com'));
    await terminal.press('Enter');
    await finish(terminal);
    const log = calls(sim);
    expect(log).toContain('POST /v1/app/setup/verifications/ID/cancel 200');
    expect(log).not.toContain('POST /v1/app/setup/verifications/ID/sas/confirm 200');
  });

  it('Ctrl-C during verification leaves it running; a rerun (at 60 columns) resumes and finishes', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const configHome = mkdtempSync(join(tmpdir(), 'beeper-setup-config-'));
    const first = wizard(sim, { configHome });
    await signIn(first, sim);
    await first.waitFor('Verify this device');
    await first.press('Enter');
    await first.waitFor('Waiting for your other device (Pixel 8) to accept');
    await first.press('C-c');
    expect(await first.exitCode()).toBe(130);
    expect(first.screen()).toContain('nothing was cancelled');
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(JSON.parse(readFileSync(join(configHome, 'beeper-setup', 'tokens.json'), 'utf8'))[sim.url]).toMatch(/^syt_/);

    sim.control.otherDevice('accept');
    const before = sim.control.requests().length;
    const second = wizard(sim, { configHome, columns: 60 });
    await second.waitFor('Scan this code with your other device (Pixel 8)');
    expect(second.screens.some((screen) => screen.includes('Sign in to Beeper'))).toBe(false);
    await compareEmojis(second, sim);
    await second.type('y');
    await second.waitFor('to confirm too');
    sim.control.otherDevice('confirm-sas');
    await finish(second);
    const resumed = calls(sim, before);
    expect(resumed.some((line) => /setup\/(start|email|response)/.test(line))).toBe(false);
    expect(resumed).not.toContain('POST /v1/app/setup/verifications 200');
    expect(resumed).toContain('POST /v1/app/setup/verifications/ID/sas/start 200');
  });

  it('--demo: the in-process simulator, its mail in the demo panel, and its phone scanning the QR code (60 columns)', { timeout: TIMEOUT }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
    const terminal = Terminal.start({ args: ['--demo'], columns: 60, rows: 30, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    running.terminals.push(terminal);
    await terminal.waitFor('Simulation: no real Beeper account is used.');
    expect(terminal.screen()).toContain('(simulated)');
    await terminal.type('alice@example.com');
    await terminal.press('Enter');
    const withCode = await terminal.waitFor(/your code is (\d{6})/);
    await terminal.type(/your code is (\d{6})/.exec(withCode)![1]!);
    await terminal.press('Enter');
    await terminal.waitFor('Verify this device');
    await terminal.press('Enter');
    await terminal.waitFor('Scan this code with your other device (Pixel 8)', 20_000);
    await terminal.waitFor('The simulated phone scans this QR code');
    await terminal.waitFor('Did the scan work?', 20_000);
    await terminal.type('y');
    await terminal.waitFor('Beeper is ready', 20_000);
    expect(await terminal.exitCode()).toBe(0);
    expect(terminal.screens.every((screen) => screen.split('\n').length < 30)).toBe(true);
  });
});
