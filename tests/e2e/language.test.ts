/**
 * Emoji names in the user's language, in a real terminal: the locale picks it
 * (LANG=de_DE.UTF-8 → German, with the English name beneath where it fits),
 * --lang overrides it, and a language without a table falls back to English.
 */
import { describe, expect, it } from 'vitest';
import { TIMEOUT, chooseDevice, signIn, simulator, useBuiltCliInTmux, wizard, type WizardOptions } from './flows.js';

useBuiltCliInTmux();

/** 🐶 🐱 🦁 🐴 🦄 🐷 🐘: the first seven of the specification's table. */
const FIRST_SEVEN = [0, 1, 2, 3, 4, 5, 6];

async function emojiScreen(options: WizardOptions): Promise<string> {
  const sim = await simulator();
  sim.control.configure({ sasNumbers: FIRST_SEVEN });
  const terminal = wizard(sim, options);
  await signIn(terminal, sim);
  await chooseDevice(terminal, sim);
  terminal.press('e');
  const screen = await terminal.waitFor('Compare emojis');
  terminal.press('C-c');
  await terminal.exitCode();
  return screen;
}

describe('emoji names in the user\'s language', () => {
  it('LANG=de_DE.UTF-8: "Hund" with "Dog" beneath it (100 columns)', { timeout: TIMEOUT }, async () => {
    const screen = await emojiScreen({ env: { LANG: 'de_DE.UTF-8' } });
    const lines = screen.split('\n');
    const german = lines.findIndex((line) => /Hund\s+Katze\s+Löwe\s+Pferd/.test(line));
    expect(german, screen).toBeGreaterThan(0);
    expect(lines[german + 1]).toMatch(/Dog\s+Cat\s+Lion\s+Horse/);
    expect(lines[german + 1]!.indexOf('Dog')).toBe(lines[german]!.indexOf('Hund'));
  });

  it('--lang ja overrides the locale: 犬', { timeout: TIMEOUT }, async () => {
    const screen = await emojiScreen({ env: { LANG: 'de_DE.UTF-8' }, args: ['--lang', 'ja'], columns: 60 });
    expect(screen).toContain('犬');
    expect(screen).not.toContain('Hund');
  });

  it('a language without a table (LANG=ko_KR.UTF-8) falls back to English, once', { timeout: TIMEOUT }, async () => {
    const screen = await emojiScreen({ env: { LANG: 'ko_KR.UTF-8' }, columns: 60 });
    expect(screen).toMatch(/Dog\s+Cat\s+Lion\s+Horse/);
    expect(screen.match(/Dog/g)).toHaveLength(1);
  });
});
