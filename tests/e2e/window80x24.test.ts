/**
 * The classic 80×24 window: the QR step shows the whole code beside its words
 * and it decodes to the payload's bytes on dark and light terminals; in the
 * demo, every path reaches ready, and the simulated phone scans only a code
 * that is drawn whole.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qrPayloadBytes } from '../../src/shared/qr.js';
import { DARK_ON_LIGHT, LIGHT_ON_DARK, decodeDrawing } from '../shared/qr/rasterise.js';
import { TIMEOUT, signIn, simulator, terminal, useBuiltCliInTmux, wizard } from './flows.js';
import { qrCode, type Terminal } from './terminal.js';

useBuiltCliInTmux();

/** Decodes the code on screen as a phone would see it on either terminal theme, the terminal's own background around it. */
function decodedOn(term: Terminal): { light: number[] | null; dark: number[] | null; rows: number } {
  const lines = qrCode(term.colorScreen());
  return {
    rows: lines.length,
    dark: decodeDrawing(lines, LIGHT_ON_DARK, { marginGrey: LIGHT_ON_DARK.defaultBg }),
    light: decodeDrawing(lines, DARK_ON_LIGHT, { marginGrey: DARK_ON_LIGHT.defaultBg }),
  };
}

describe('80×24: the QR code', () => {
  it('is drawn whole beside the header and its words, and decodes to the payload bytes on dark and light terminals', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { columns: 80, rows: 24 });
    await signIn(term, sim);
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Waiting for your other device (Pixel 8) to accept');
    sim.control.otherDevice('accept');
    await term.waitFor('Scan this code with your other');
    const screen = term.screen();
    expect(screen.split('\n').filter((line) => /(^|\s)Beeper setup(\s|$)/.test(line))).toHaveLength(1);
    expect(screen).toContain('e compare emojis');
    const payload = [...qrPayloadBytes(sim.control.session().verification!.qr!.data)];
    const drawn = decodedOn(term);
    expect(drawn.rows).toBe(23);
    expect(drawn.dark).toEqual(payload);
    expect(drawn.light).toEqual(payload);
    sim.control.otherDevice('scan-qr');
    await term.waitFor('Did the scan work?');
    term.type('y');
    await term.waitFor('Beeper is ready', 20_000);
    expect(await term.exitCode()).toBe(0);
  });
});

/** The demo at 80×24, signed in as `email` with the code from its panel. */
async function demoSignedIn(email: string): Promise<Terminal> {
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
async function keyFromPanel(term: Terminal, name: string): Promise<string> {
  const screen = await term.waitFor(new RegExp(`${name}'s recovery key: (?:\\w{4}[│\\s]+){11}\\w{4}`));
  const flat = screen.replace(/[│\s]+/g, ' ');
  return new RegExp(`${name}'s recovery key: ((?:\\w{4} ){11}\\w{4})`).exec(flat)![1]!;
}

async function ready(term: Terminal): Promise<void> {
  await term.waitFor('Beeper is ready', 20_000);
  expect(await term.exitCode()).toBe(0);
}

describe('80×24: every demo path reaches ready', () => {
  it('alice, QR code: drawn whole, the phone scans it, and its drawing decodes', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other', 20_000);
    const drawn = decodedOn(term);
    expect(drawn.rows).toBe(23);
    expect(Buffer.from(drawn.dark ?? []).subarray(0, 6).toString('latin1')).toBe('MATRIX');
    expect(drawn.light).toEqual(drawn.dark);
    await term.waitFor('Did the scan work?', 20_000);
    term.type('y');
    await ready(term);
  });

  it('alice, emojis instead of the code', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other', 20_000);
    term.press('e');
    await term.waitFor('Press y if they match');
    term.type('y');
    await ready(term);
  });

  it('alice, her recovery key from the panel', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.type('2');
    await term.waitFor('Verify with your recovery key');
    term.type(await keyFromPanel(term, 'alice'));
    await term.waitFor('This is a valid recovery key.');
    term.press('Enter');
    await ready(term);
  });

  it('alice, a lost key: a new one, seen whole and typed back', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.type('3');
    await term.waitFor('Make a new recovery key?');
    term.press('Enter');
    await term.waitFor('Press Enter again to make a new key');
    term.press('Enter');
    const screen = await term.waitFor('It is shown only this once');
    const key = /(?:[1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}/.exec(screen)![0];
    term.press('Enter');
    await term.waitFor('type the last two groups of your key');
    term.type(key.split(' ').slice(-2).join(' '));
    term.press('Enter');
    await ready(term);
  });

  it('bob: emojis, then his recovery key (his phone does not share it)', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('bob@example.com');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other', 20_000);
    term.press('e');
    await term.waitFor('Press y if they match');
    term.type('y');
    await term.waitFor('Unlock your encrypted messages', 20_000);
    term.type(await keyFromPanel(term, 'bob'));
    await term.waitFor('This is a valid recovery key.');
    term.press('Enter');
    await ready(term);
  });

  it('a new account: username, terms, its first key seen whole and typed back', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('carol@example.com');
    await term.waitFor('Choose your username');
    term.press('Enter');
    await term.waitFor('Terms of Use');
    term.type('y');
    await term.waitFor('Create your recovery key');
    term.press('Enter');
    const screen = await term.waitFor('It is shown only this once');
    const key = /(?:[1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}/.exec(screen)![0];
    term.press('Enter');
    await term.waitFor('type the last two groups of your key');
    term.type(key.split(' ').slice(-2).join(' '));
    term.press('Enter');
    await ready(term);
  });
});
