/**
 * The built CLI in a real terminal (tmux) against the simulator running in this process:
 * every path to ready under the lenient profile (tests/e2e/wizardStrict.test.ts runs the
 * strict one), and what the wizard says after its last frame.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOWS_SECRETS_ON_PURPOSE, TIMEOUT, enterRecoveryKey, finish, recoveryKeyOf, savedTokens, signIn, simulator, useBuiltCliInTmux, wizard } from './flows.js';
import { everyPathToReady } from './pathsToReady.js';

useBuiltCliInTmux();

everyPathToReady('lenient');

describe('what the wizard says after its last frame', () => {
  it('--print-token prints the saved token for a script to take, and nothing else does', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
    const terminal = wizard(sim, { home, args: ['--print-token'], allows: (screen) => /BEEPER_ACCESS_TOKEN=/.test(screen) || SHOWS_SECRETS_ON_PURPOSE(screen) });
    await signIn(terminal, sim);
    await terminal.waitFor('Verify this device');
    terminal.press('Down');
    terminal.press('Enter');
    await enterRecoveryKey(terminal, recoveryKeyOf(sim, 'alice@example.com'));
    await finish(terminal);
    const saved = Object.values(savedTokens(join(home, '.config')));
    expect(saved).toHaveLength(1);
    expect(terminal.screen()).toContain(`BEEPER_ACCESS_TOKEN=${saved[0]}`);
  });
});
