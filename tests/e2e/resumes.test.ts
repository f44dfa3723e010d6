/**
 * The built CLI in tmux, more turns a real user takes: a new account stopped and
 * resumed, a registration gone stale, a verification the app does not take in,
 * and the demo typed into at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIMEOUT, calls, chooseDevice, finish, matchEmojis, recoveryKeyOf, signIn, simulator, terminal, useBuiltCliInTmux, wizard } from './flows.js';

useBuiltCliInTmux();

describe('journeys, continued', () => {
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
    await matchEmojis(term, sim);
    sim.control.otherDevice('confirm-sas');
    const shown = Date.now();
    // Waited for longer than the bound, so that the bound is what a slow notice fails.
    await term.waitFor('The verification did not take effect', 20_000);
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
