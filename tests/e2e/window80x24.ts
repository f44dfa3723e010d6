/** Steps shared by the 80×24 terminal tests: the demo signed in, the panel's key, the code decoded as drawn. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DARK_ON_LIGHT, LIGHT_ON_DARK, decodeDrawing } from '../shared/qr/rasterise.js';
import { terminal } from './flows.js';
import { qrCode, type Terminal } from './terminal.js';

/** Decodes the code on screen as a phone would see it on either terminal theme, the terminal's own background around it. */
export function decodedOn(term: Terminal): { light: number[] | null; dark: number[] | null; rows: number } {
  const lines = qrCode(term.colorScreen());
  return {
    rows: lines.length,
    dark: decodeDrawing(lines, LIGHT_ON_DARK, { marginGrey: LIGHT_ON_DARK.defaultBg }),
    light: decodeDrawing(lines, DARK_ON_LIGHT, { marginGrey: DARK_ON_LIGHT.defaultBg }),
  };
}

/** The demo at 80×24, signed in as `email` with the code from its panel. */
export async function demoSignedIn(email: string): Promise<Terminal> {
  const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
  const term = terminal({ args: ['--demo'], columns: 80, rows: 24, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
  await term.waitFor('Sign in to Beeper');
  term.type(email);
  term.press('Enter');
  const withCode = await term.waitFor(/your code is\s+(\d{6})/);
  term.type(/your code is\s+(\d{6})/.exec(withCode)![1]!);
  term.press('Enter');
  return term;
}

/** The account's recovery key as the demo panel shows it (wrapped inside its border). */
export async function keyFromPanel(term: Terminal, name: string): Promise<string> {
  const screen = await term.waitFor(new RegExp(`${name}'s recovery key: (?:\\w{4}[│\\s]+){11}\\w{4}`));
  const flat = screen.replace(/[│\s]+/g, ' ');
  return new RegExp(`${name}'s recovery key: ((?:\\w{4} ){11}\\w{4})`).exec(flat)![1]!;
}

/** From the method menu: the other device, its QR code drawn, then the emojis instead, matched. */
export async function emojisInsteadOfQr(term: Terminal): Promise<void> {
  await term.waitFor('Verify this device');
  term.press('Enter');
  await term.waitFor('Scan this code with your other', 20_000);
  term.press('e');
  await term.waitFor('Press y if they match');
  term.type('y');
}

export async function ready(term: Terminal): Promise<void> {
  await term.waitFor('Beeper is ready', 20_000);
  expect(await term.exitCode()).toBe(0);
}

