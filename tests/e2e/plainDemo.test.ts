/**
 * Plain mode in a real terminal (--plain, and TERM=dumb), continued: the demo's
 * QR code scanned by its simulated phone. (tests/e2e/plain.test.ts has the other paths.)
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_MODES, TIMEOUT, answer, plainReady, terminal, useBuiltCliInTmux } from './flows.js';

useBuiltCliInTmux();

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): the demo', (_mode, mode) => {
  it('the demo: a QR code the simulated phone scans, then yes', { timeout: TIMEOUT }, async () => {
    const term = terminal({ args: ['--demo', ...(mode.args ?? [])], env: mode.env ?? {}, columns: 100, rows: 60, lineMode: true });
    await term.waitFor('Email address of your Beeper account');
    answer(term, 'alice@example.com');
    const mailed = await term.waitFor(/your code is (\d{6})/);
    answer(term, /your code is (\d{6})/.exec(mailed)![1]!);
    await term.waitFor(/Choose 1–\d:/);
    expect(term.text()).toContain('2. Show a QR code for another device to scan');
    answer(term, '2');
    await term.waitFor('Scan this QR code with Beeper on your other device (Pixel 8).');
    await term.waitFor('say the QR code was scanned and the verification succeeded? Answer yes or no:', 20_000);
    answer(term, 'yes');
    await plainReady(term);
    expect(term.text()).toContain('That was the simulation: no access token was kept');
    expect(term.text()).not.toContain('--no-save-token');
    // Escape sequences only where the terminal takes them: the QR code is plain blocks under TERM=dumb.
    if (mode.env?.TERM === 'dumb') expect(term.colorScreen()).not.toMatch(/\u001b/);
  });
});
