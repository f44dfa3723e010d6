/**
 * Every path to ready in the wizard, as one suite per simulator profile: the lenient one, and
 * the strict one that disagrees wherever the documents are silent (purpose inferred, unknown
 * fields refused and sent, no /v1/info). tests/e2e/wizard*.test.ts run it, one profile each,
 * so the two run side by side.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIMEOUT, calls, chooseDevice, enterRecoveryKey, finish, matchEmojis, newKeyOn, recoveryKeyOf, signIn, simulator, toNewKeyConfirm, typeBackKey, wizard, type Profile } from './flows.js';
import { qrRows } from './terminal.js';

export function everyPathToReady(profile: Profile): void {
  describe(`every path to ready (${profile} simulator)`, () => {
    it('existing account: sign in and unlock with the recovery key', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const terminal = wizard(sim);
      await signIn(terminal, sim);
      await terminal.waitFor('Verify this device');
      expect(terminal.screen()).toContain('Step 2 of 3');
      terminal.press('Down');
      terminal.press('Enter');
      await enterRecoveryKey(terminal, recoveryKeyOf(sim, 'alice@example.com'));
      await finish(terminal);
      // The status command works where it was typed: the clone's path, and the address that was given.
      expect(terminal.text()).toContain(`Check this setup any time with: node dist/cli.js status --base-url ${sim.url}`);
      // Under the last frame, as headless says it: where the token is kept.
      expect(terminal.text()).toMatch(/The access token is saved in \S+\/beeper-setup\/tokens\.json \(mode 0600: only you can read it\)/);
      expect(calls(sim)).toContain('POST /v1/app/setup/verification/recovery-key 200');
      expect(calls(sim).filter((line) => line.startsWith('POST /v1/app/setup/verifications'))).toEqual([]);
    });

    it('existing account: verify by comparing emojis (60 columns); the request carries no purpose', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const terminal = wizard(sim, { columns: 60 });
      await signIn(terminal, sim);
      await chooseDevice(terminal, sim);
      await matchEmojis(terminal, sim);
      expect(terminal.text()).toContain('Waiting for your other device (Pixel 8) to confirm too');
      sim.control.otherDevice('confirm-sas');
      await finish(terminal);
      const created = sim.control.requests().find((request) => request.method === 'POST' && request.path === '/v1/app/setup/verifications');
      expect(created?.fields ?? []).toEqual([]);
      expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/sas/confirm 200');
    });

    it('existing account: verify by QR code, drawn in explicit colours (100×40)', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const terminal = wizard(sim, { rows: 40 });
      await signIn(terminal, sim);
      await chooseDevice(terminal, sim);
      const rows = qrRows(terminal.colorScreen());
      // Every row of the code carries its own colours (dark on light), whatever the terminal's theme.
      expect(rows.length).toBeGreaterThan(15);
      for (const row of rows) expect(row).toMatch(/\u001b\[[0-9;]*m/);
      sim.control.otherDevice('scan-qr');
      await terminal.waitFor('Did the scan work?');
      terminal.type('y');
      await finish(terminal);
      expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/qr/confirm-scanned 200');
    });

    it('an incoming request from the other device is accepted (60 columns)', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const terminal = wizard(sim, { columns: 60 });
      await signIn(terminal, sim);
      await terminal.waitFor('Verify this device');
      sim.control.otherDevice('request');
      await terminal.waitFor('Accept the request from Pixel 8');
      terminal.press('Enter');
      await terminal.waitFor('Scan this code');
      await matchEmojis(terminal, sim);
      sim.control.otherDevice('confirm-sas');
      await finish(terminal);
      expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/accept 200');
      expect(calls(sim).filter((line) => line.startsWith('POST /v1/app/setup/verifications 200'))).toEqual([]);
    });

    it('lost key: reset, the new key saved and re-typed, then ready', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
      const terminal = wizard(sim, { home });
      await signIn(terminal, sim);
      await toNewKeyConfirm(terminal);
      terminal.press('Enter');
      await terminal.waitFor('Your new recovery key');
      const key = newKeyOn(terminal.screen());
      await typeBackKey(terminal, key);
      await finish(terminal);
      expect(sim.control.accounts().find((account) => account.email === 'alice@example.com')?.recoveryKey).toBe(key);
    });

    it('new account: username, terms, a new recovery key saved to a file and re-typed (60 columns)', { timeout: TIMEOUT }, async () => {
      const sim = await simulator(profile);
      const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
      const terminal = wizard(sim, { columns: 60, home });
      await signIn(terminal, sim, 'carol@example.com');
      await terminal.waitFor('Choose your username');
      expect(terminal.screen()).toContain('Username: carol');
      terminal.press('Enter');
      await terminal.waitFor('Terms of Use:');
      expect(terminal.screen()).toContain('https://www.beeper.com/terms-onboarding');
      expect(terminal.screen()).toContain('https://www.beeper.com/privacy');
      expect(calls(sim).some((line) => line.includes('/register'))).toBe(false);
      terminal.type('y');
      await terminal.waitFor('Create your recovery key');
      expect(calls(sim).some((line) => line.includes('recovery-key/reset'))).toBe(false);
      terminal.press('Enter');
      await terminal.waitFor('Your recovery key');
      const key = newKeyOn(terminal.screen());
      expect(terminal.text()).toContain('It is shown only this once.');
      terminal.type('s');
      await terminal.waitFor('Save to file: ~/beeper-recovery-key.txt');
      terminal.press('Enter');
      await terminal.waitFor('(only you can read it)');
      const file = join(home, 'beeper-recovery-key.txt');
      expect(readFileSync(file, 'utf8').trim()).toBe(key);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      terminal.press('Enter');
      await terminal.waitFor('type the last two groups of your key');
      terminal.type('1111 2222');
      terminal.press('Enter');
      await terminal.waitFor('That does not match the end of your key.');
      expect(calls(sim).some((line) => line.includes('reset/confirm'))).toBe(false);
      terminal.press('C-u');
      terminal.type(key.split(' ').slice(-2).join(' '));
      terminal.press('Enter');
      await finish(terminal, '@carol:beeper.com');
      expect(calls(sim)).toContain('POST /v1/app/setup/register 200');
      expect(calls(sim)).toContain('POST /v1/app/setup/verification/recovery-key/reset/confirm 200');
    });
  });
}

