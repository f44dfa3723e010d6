/**
 * Text from the server in the wizard: a device name full of what nobody sees
 * (zero-width characters, tag characters, soft hyphens, stacked accents), and
 * one of 10,000 characters, reach the screen without the invisible characters
 * and never make a line wider than the window or a header appear twice.
 */
import { describe, expect, it } from 'vitest';
import { TIMEOUT, headerLines, signIn, simulator, useBuiltCliInTmux, wizard } from './flows.js';
import { HIDDEN_DEVICE_NAME, INVISIBLE } from '../support/invisible.js';

useBuiltCliInTmux();

/** 10,000 characters: wide ones, emoji joined by zero-width joiners, accents stacked five high. */
const LONG_NAME = `Pixel ${'あ🐶\u200de\u0301\u0301\u0301\u0301\u0301 '.repeat(10_000 / 10)}`.slice(0, 10_000);

describe('server text in the wizard', () => {
  it.each([
    ['invisible characters', 100, HIDDEN_DEVICE_NAME],
    ['invisible characters', 60, HIDDEN_DEVICE_NAME],
    ['10,000 characters', 100, LONG_NAME],
    ['10,000 characters', 60, LONG_NAME],
  ])('a device name with %s, at %i columns: shown without them, within the window, one header', { timeout: TIMEOUT }, async (_, columns, name) => {
    const sim = await simulator();
    sim.control.seedAccount({ email: 'dora@example.com', username: 'dora', otherDeviceName: name });
    const terminal = wizard(sim, { columns, rows: 40 });
    await signIn(terminal, sim, 'dora@example.com');
    await terminal.waitFor('Verify this device');
    terminal.press('Enter');
    await terminal.waitFor('to accept');
    sim.control.otherDevice('accept');
    await terminal.waitFor(/Scan this code|Compare emojis with/);
    terminal.press(/Compare emojis with/.test(terminal.text()) ? 'Enter' : 'e');
    await terminal.waitFor('Press y if they match');
    terminal.type('y');
    await terminal.waitFor('to confirm too');
    expect(sim.control.session().verification?.otherDevice?.name).toBe(name);
    // Every screen seen (useBuiltCliInTmux checks widths and headers on each of them too).
    for (const screen of terminal.screens) {
      expect(screen).not.toMatch(INVISIBLE);
      expect(headerLines(screen)).toBeLessThanOrEqual(1);
    }
    // tmux composes l and an acute accent into ĺ: the name is there, its first letters say so.
    expect(terminal.screen()).toMatch(/Pix/);
  });
});
