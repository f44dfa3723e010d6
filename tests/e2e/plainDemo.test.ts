/**
 * Plain mode in a real terminal (--plain, and TERM=dumb), continued: the demo's
 * QR code scanned by its simulated phone, and --debug lines that wait while a
 * question is open. (tests/e2e/plain.test.ts has the other paths.)
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_MODES, TIMEOUT, answer, signInByLine, simulator, terminal, useBuiltCliInTmux, wizard, type WizardOptions } from './flows.js';

useBuiltCliInTmux();

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): the demo and --debug', (_mode, mode) => {
  const options: WizardOptions = { ...mode, lineMode: true, allows: (screen) => /emailed to .*: \d{6}$/m.test(screen) };

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
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
    expect(term.text()).toContain('That was the simulation; nothing was saved');
    expect(term.text()).not.toContain('--no-save-token');
    // Escape sequences only where the terminal takes them: the QR code is plain blocks under TERM=dumb.
    if (mode.env?.TERM === 'dumb') expect(term.colorScreen()).not.toMatch(/\u001b/);
  });

  it('--debug: request lines wait while a question is open, so they never land on its line', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { ...options, args: [...(mode.args ?? []), '--debug'] });
    await signInByLine(term, () => sim.control.latestCode('alice@example.com')!, 'alice@example.com');
    await term.waitFor(/Choose 1–\d:/);
    answer(term, '1');
    await term.waitFor('Meanwhile, type r');
    sim.control.otherDevice('accept');
    await term.waitFor(/Answer yes or no:\s*$/);
    // The app is polled meanwhile: wait until a few polls happened after the question appeared.
    const asked = sim.control.requests().length;
    await expect.poll(() => sim.control.requests().length, { timeout: 10_000 }).toBeGreaterThan(asked + 2);
    const lines = term.screen().split('\n');
    expect(lines.at(-1)).toMatch(/Answer yes or no:\s*$/);
    answer(term, 'yes');
    // Let out after the answer: the last lines held, said once.
    await term.waitFor(/Answer yes or no: yes\n(?:.*\n)*GET \/v1\/app\/setup\/verifications\/\{id\} → 200/);
    sim.control.otherDevice('confirm-sas');
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
  });
});
