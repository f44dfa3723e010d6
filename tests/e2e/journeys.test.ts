/**
 * The built CLI in tmux, the turns a real user takes: a wrong code, a wrong
 * key, a mismatch, stopping and resuming (a verification, a new account), a
 * verification the app does not take in, and the demo typed into at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { TIMEOUT, calls, chooseDevice, compareEmojis, finish, recoveryKeyOf, savedTokens, signIn, simulator, terminal, useBuiltCliInTmux, wizard } from './flows.js';

useBuiltCliInTmux();

describe('journeys', () => {
  it('a wrong code shows the server message, then the right one signs in; Ctrl-C quits with 130', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim);
    await term.waitFor('Sign in to Beeper');
    term.type('alice@example.com');
    term.press('Enter');
    await term.waitFor('We sent a sign-in code');
    const code = sim.control.latestCode('alice@example.com')!;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    term.type(`${wrong.slice(0, 3)}-${wrong.slice(3)}`);
    term.press('Enter');
    await term.waitFor('That code is not right. 4 attempts left.');
    term.type(code);
    term.press('Enter');
    await term.waitFor('Verify this device');
    term.press('C-c');
    expect(await term.exitCode()).toBe(130);
    expect(term.text()).toContain(`Stopped. Run node dist/cli.js --base-url ${sim.url} again to continue where Beeper stands`);
    expect(calls(sim).filter((line) => line.startsWith('POST /v1/app/setup/response'))).toEqual([
      'POST /v1/app/setup/response 401',
      'POST /v1/app/setup/response 200',
    ]);
  });

  it('a wrong recovery key is told apart from a malformed one and stays for editing; Ctrl-W, Ctrl-U (60 columns)', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { columns: 60 });
    await signIn(term, sim);
    await term.waitFor('Verify this device');
    term.type('2');
    await term.waitFor('Verify with your recovery key');
    term.type('EsTx yz');
    term.press('Enter');
    await term.waitFor('Not a recovery key yet');
    term.press('C-u');
    await term.waitGone('Not a recovery key yet');
    const stranger = encodeRecoveryKey(new Uint8Array(32).fill(7));
    term.type(stranger);
    term.press('Enter');
    await term.waitFor('That is a recovery key, but not the one for this account.');
    expect(term.text()).toContain('case-sensitive');
    term.press('Tab');
    await term.waitFor(stranger);
    // Ctrl-W takes the last group of four; Ctrl-U the rest.
    term.press('C-w');
    await term.waitFor(stranger.split(' ').slice(0, 11).join(' '));
    expect(term.screen()).not.toContain(stranger);
    term.press('C-u');
    term.type(recoveryKeyOf(sim, 'alice@example.com').replace(/ /g, '\n'));
    await term.waitFor('This is a valid recovery key.');
    term.press('Enter');
    await finish(term);
  });

  it("emojis that don't match stop the verification; the recovery key then finishes", { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim);
    await signIn(term, sim);
    await chooseDevice(term, sim);
    await compareEmojis(term, sim);
    term.type('n');
    await term.waitFor('The devices did not match');
    expect(sim.control.session().verification?.state).toBe('cancelled');
    term.type('r');
    await term.waitFor('Verify with your recovery key');
    term.type(recoveryKeyOf(sim, 'alice@example.com'));
    term.press('Enter');
    await finish(term);
    expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/cancel 200');
  });

  it('Ctrl-C during verification leaves it running; a rerun (at 60 columns) resumes and finishes', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const configHome = mkdtempSync(join(tmpdir(), 'beeper-setup-config-'));
    const first = wizard(sim, { configHome });
    await signIn(first, sim);
    await first.waitFor('Verify this device');
    first.press('Enter');
    await first.waitFor('Waiting for your other device (Pixel 8) to accept');
    first.press('C-c');
    expect(await first.exitCode()).toBe(130);
    expect(first.text()).toContain('nothing was cancelled');
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(savedTokens(configHome)[sim.url]).toMatch(/^syt_/);

    sim.control.otherDevice('accept');
    const before = sim.control.requests().length;
    const second = wizard(sim, { configHome, columns: 60, rows: 40 });
    await second.waitFor('Scan this code with your other device (Pixel 8)');
    expect(second.screens.some((screen) => screen.includes('Sign in to Beeper'))).toBe(false);
    await compareEmojis(second, sim);
    second.type('y');
    await second.waitFor('to confirm too');
    sim.control.otherDevice('confirm-sas');
    await finish(second);
    const resumed = calls(sim, before);
    expect(resumed.some((line) => /setup\/(start|email|response)/.test(line))).toBe(false);
    expect(resumed).not.toContain('POST /v1/app/setup/verifications 200');
  });

  it.each(['username', 'terms'])('a new account stopped at its %s resumes there on a rerun, without Ctrl-R', { timeout: TIMEOUT }, async (stopAt) => {
    const sim = await simulator();
    const configHome = mkdtempSync(join(tmpdir(), 'beeper-setup-config-'));
    const first = wizard(sim, { configHome, columns: 60 });
    await signIn(first, sim, 'dave@example.com');
    await first.waitFor('Choose your username');
    if (stopAt === 'terms') {
      first.press('Enter');
      await first.waitFor('Terms of Use:');
    }
    first.press('C-c');
    expect(await first.exitCode()).toBe(130);

    const second = wizard(sim, { configHome, columns: 60 });
    await second.waitFor('Choose your username');
    expect(second.text()).toContain('Continuing to create the account for dave@example.com.');
    expect(second.screens.some((screen) => screen.includes('Check your email'))).toBe(false);
    second.press('Enter');
    await second.waitFor('Terms of Use:');
    second.type('y');
    await second.waitFor('Create your recovery key');
    expect(sim.control.outbox()).toHaveLength(1);
    second.press('C-c');
    expect(await second.exitCode()).toBe(130);
    expect(calls(sim)).toContain('POST /v1/app/setup/register 200');
  });

  it('a registration gone stale by the rerun mails a fresh code by itself and says so', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const configHome = mkdtempSync(join(tmpdir(), 'beeper-setup-config-'));
    const first = wizard(sim, { configHome });
    await signIn(first, sim, 'erin@example.com');
    await first.waitFor('Choose your username');
    first.press('C-c');
    expect(await first.exitCode()).toBe(130);
    sim.control.expireSignIns();

    const second = wizard(sim, { configHome });
    await second.waitFor('Choose your username');
    second.press('Enter');
    await second.waitFor('Terms of Use:');
    second.type('y');
    await second.waitFor('so beeper-setup started over: a new code was emailed to erin@example.com');
    expect(second.text()).not.toContain('Start over');
    expect(sim.control.outbox()).toHaveLength(2);
    second.type(sim.control.latestCode('erin@example.com')!);
    second.press('Enter');
    await second.waitFor('Choose your username');
  });

  it('a verification the app does not take in says so within 10 s, with the ways forward', { timeout: TIMEOUT }, async () => {
    const sim = await simulator('lenient', { withholdTrust: true });
    const term = wizard(sim, { columns: 60 });
    await signIn(term, sim);
    await chooseDevice(term, sim);
    await compareEmojis(term, sim);
    term.type('y');
    await term.waitFor('to confirm too');
    sim.control.otherDevice('confirm-sas');
    const shown = Date.now();
    await term.waitFor('The verification did not take effect', 10_000);
    expect(Date.now() - shown).toBeLessThan(10_000);
    expect(term.text()).toContain('Beeper still says this device needs verification');
    expect(term.text()).toContain('r use recovery key');
    term.type('r');
    await term.waitFor('Verify with your recovery key');
    term.type(recoveryKeyOf(sim, 'alice@example.com'));
    term.press('Enter');
    await finish(term);
  });

  it('--demo, typed into the moment it starts; its phone scans the QR code (60 columns)', { timeout: TIMEOUT }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
    const term = terminal({ args: ['--demo'], columns: 60, rows: 30, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    term.type('alice@example.com');
    term.press('Enter');
    const withCode = await term.waitFor(/your code is (\d{6})/);
    expect(term.screen()).toContain('(simulated)');
    term.type(/your code is (\d{6})/.exec(withCode)![1]!);
    term.press('Enter');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other device (Pixel 8)', 20_000);
    await term.waitFor('The simulated phone scans this QR code');
    await term.waitFor('Did the scan work?', 20_000);
    term.type('y');
    await term.waitFor('Beeper is ready', 20_000);
    expect(await term.exitCode()).toBe(0);
    expect(term.text()).toContain('set it up for real: node dist/cli.js');
    expect(term.screens.every((screen) => screen.split('\n').length < 30)).toBe(true);
  });
});
