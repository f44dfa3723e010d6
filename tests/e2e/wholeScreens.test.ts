/**
 * The built CLI in tmux, in windows too small for what must be seen whole: the
 * new recovery key at 40×10 and 60×8, the seven emojis at 40×15. Nothing is
 * confirmed while any of it is off screen, the notice names the window it
 * needs, and at 100×30 the same flow reaches ready. Resizing back and forth
 * on these screens leaves exactly one header on every screen captured.
 */
import { describe, expect, it } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { TIMEOUT, calls, chooseDevice, compareEmojis, finish, headerLines, newKeyOn, signIn, simulator, toNewKeyConfirm, typeBackKey, useBuiltCliInTmux, wizard } from './flows.js';
import type { Terminal } from './terminal.js';

useBuiltCliInTmux();


describe('the new recovery key is seen whole before it can be confirmed', () => {
  it.each([
    [40, 10],
    [60, 8],
  ])('at %i×%i: no group on screen, Enter and the typed end confirm nothing; grown to 100×30 it reaches ready', { timeout: TIMEOUT }, async (columns, rows) => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await toNewKeyConfirm(terminal);
    // Already small when the key screen draws.
    terminal.resize(columns, rows);
    await terminal.waitGone('Press Enter again');
    terminal.press('Enter');
    const notice = await terminal.waitFor(/the window must be at least \d+×\d+; this one is \d+×\d+/);
    expect(notice.replace(/\s+/g, ' ')).toContain(`this one is ${columns}×${rows}`);
    terminal.press('Enter');
    // The refusal is read whole too, the window's size included, in the room the notice had.
    const refusal = await terminal.waitFor('Enter does nothing until your new recovery key can be shown whole');
    expect(refusal.replace(/\s+/g, ' ')).toMatch(new RegExp(`can be shown whole: at least \\d+×\\d+ \\(this window is ${columns}×${rows}\\)\\.`));
    // What an unlucky user would type at the gate: eight characters and Enter.
    terminal.type('abcdEFGH');
    terminal.press('Enter');
    const since = terminal.screens.length;
    terminal.resize(100, 30);
    const shown = await terminal.waitFor('It is shown only this once');
    // Grown, the key screen is still the key screen: the keys typed while it was hidden moved nothing.
    expect(shown).not.toContain('type the last two groups');
    expect(calls(sim).some((line) => line.includes('reset/confirm'))).toBe(false);
    const key = newKeyOn(terminal.screen());
    // Before the window grew, not one group of the key was on screen.
    const seen = key.split(' ').filter((group) => terminal.screens.slice(0, since).some((screen) => new RegExp(`(^|\\W)${group}(\\W|$)`).test(screen)));
    expect(seen).toEqual([]);
    await typeBackKey(terminal, key);
    await finish(terminal);
    expect(calls(sim)).toContain('POST /v1/app/setup/verification/recovery-key/reset/confirm 200');
    expect(sim.control.accounts().find((account) => account.email === 'alice@example.com')?.recoveryKey).toBe(key);
  });
});

describe('the seven emojis are seen whole before they are confirmed', () => {
  it('at 40×15: none on screen, y confirms nothing and says why; grown to 100×30, all seven and ready', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    terminal.resize(40, 15);
    // The code no longer fits: emojis are offered first.
    await terminal.waitFor('Enter compare emojis');
    terminal.press('Enter');
    await terminal.waitFor(/To see the seven emojis whole, the window must be at least \d+×\d+; this one is 40×15/);
    const names = parseSasEmojis(sim.control.session().verification!.sas!.emojis).map((entry) => entry.name);
    terminal.type('y');
    await terminal.waitFor('y does nothing until the seven emojis can be shown whole');
    expect(calls(sim).some((line) => line.includes('sas/confirm'))).toBe(false);
    expect(terminal.screens.filter((screen) => names.some((name) => new RegExp(`\\b${name}\\b`).test(screen)))).toEqual([]);

    terminal.resize(100, 30);
    await terminal.waitFor('Compare emojis');
    expect(calls(sim).some((line) => line.includes('sas/confirm'))).toBe(false);
    const screen = terminal.screen();
    for (const name of names) expect(screen).toContain(name);
    terminal.type('y');
    await terminal.waitFor('to confirm too');
    sim.control.otherDevice('confirm-sas');
    await finish(terminal);
    expect(calls(sim)).toContain('POST /v1/app/setup/verifications/ID/sas/confirm 200');
  });
});

describe('after any resize exactly one header is on screen', () => {
  /**
   * 100×30 → 60×24 → 40×15 → 100×30. At each size the CLI must draw its frame with the header
   * on it (tmux's reflow of the old frame, which can push the header into the scrollback, is
   * not that frame), and no screen seen at any time shows two headers.
   */
  async function resizeAround(terminal: Terminal, expected: { [size: string]: string | RegExp }): Promise<void> {
    for (const [columns, rows] of [
      [60, 24],
      [40, 15],
      [100, 30],
    ] as const) {
      terminal.resize(columns, rows);
      const want = expected[`${columns}×${rows}`]!;
      const shows = (screen: string) => (typeof want === 'string' ? screen.replace(/\s+/g, ' ').includes(want) : want.test(screen.replace(/\s+/g, ' ')));
      const screen = await terminal.waitForScreen((candidate) => shows(candidate) && headerLines(candidate) > 0, `${String(want)} under the header at ${columns}×${rows}`);
      expect(headerLines(screen), `${columns}×${rows}:\n${screen}`).toBe(1);
      expect(screen.split('\n').length, `${columns}×${rows}:\n${screen}`).toBeLessThan(rows);
    }
    for (const screen of terminal.screens) expect(headerLines(screen), screen).toBeLessThanOrEqual(1);
  }

  it('on the QR code', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    await resizeAround(terminal, { '60×24': 'q show the QR code', '40×15': 'this one is 40×15', '100×30': /Scan this code with your other device/ });
  });

  it('on the emojis', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await chooseDevice(terminal, sim);
    await compareEmojis(terminal, sim);
    await resizeAround(terminal, { '60×24': 'y they match', '40×15': 'this one is 40×15', '100×30': 'y they match' });
  });

  it('on a wait, whose frame is only as tall as its lines until the window changes', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await terminal.waitFor('Verify this device');
    terminal.press('Enter');
    await terminal.waitFor('Waiting for your other device (Pixel 8) to accept');
    const waiting = 'Waiting for your other device (Pixel 8) to accept';
    await resizeAround(terminal, { '60×24': waiting, '40×15': waiting, '100×30': waiting });
    sim.control.otherDevice('accept');
    await terminal.waitFor('Scan this code with your other device (Pixel 8)');
  });

  it('on the new key', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const terminal = wizard(sim);
    await signIn(terminal, sim);
    await toNewKeyConfirm(terminal);
    terminal.press('Enter');
    await terminal.waitFor('It is shown only this once');
    await resizeAround(terminal, { '60×24': 'Enter I saved it', '40×15': 'this one is 40×15', '100×30': 'Enter I saved it' });
  });
});
