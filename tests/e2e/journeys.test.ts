/**
 * The built CLI in tmux, the turns a real user takes: a wrong code, a wrong
 * key, a mismatch, and stopping a verification and resuming it.
 * (tests/e2e/resumes.test.ts has the rest.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { TIMEOUT, calls, chooseDevice, compareEmojis, finish, matchEmojis, recoveryKeyOf, savedTokens, signIn, simulator, useBuiltCliInTmux, wizard } from './flows.js';

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
    await matchEmojis(second, sim);
    sim.control.otherDevice('confirm-sas');
    await finish(second);
    const resumed = calls(sim, before);
    expect(resumed.some((line) => /setup\/(start|email|response)/.test(line))).toBe(false);
    expect(resumed).not.toContain('POST /v1/app/setup/verifications 200');
  });
});
