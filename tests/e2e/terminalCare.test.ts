/**
 * The built CLI in tmux, where the terminal itself is at stake: keys typed
 * before anything is drawn, emojis whose width terminals disagree on, a dumb
 * terminal, a small one with the demo panel, stop signals, and a server that
 * tries to drive the terminal with escape sequences.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { checkRecoveryKey } from '../../src/shared/recoveryKey.js';
import { SAS_EMOJI_TABLE } from '../../src/shared/sas.js';
import { HOSTILE_TEXT } from '../../src/simulator/index.js';
import { TIMEOUT, calls, chooseDevice, savedTokens, signIn, simulator, terminal, useBuiltCliInTmux, wizard, type WizardOptions } from './flows.js';
import { keyFromPanel } from './window80x24.js';

useBuiltCliInTmux();

/** The seven table entries written with U+FE0F: Cloud, Heart, Umbrella, Pencil, Scissors, Telephone, Aeroplane. */
const VARIATION_SELECTED = SAS_EMOJI_TABLE.filter((entry) => entry.emoji.includes('\uFE0F')).map((entry) => entry.number);

/** Column (0-based, in terminal cells as tmux holds them) where `text` starts on `line`. */
function columnOf(line: string, text: string): number {
  const at = line.indexOf(text);
  return at < 0 ? -1 : stringWidthAsTmux(line.slice(0, at));
}

/** tmux 3.3 draws the bare (text-presentation) forms one column wide, as string-width measures them. */
const stringWidthAsTmux = (text: string) => stringWidth(text);

describe('the terminal is cared for', () => {
  it('keys typed the moment the process starts land in the email field, 20 runs of 20', { timeout: 120_000 }, async () => {
    const sim = await simulator();
    const batches = 5;
    let landed = 0;
    for (let batch = 0; batch < batches; batch++) {
      const terms = Array.from({ length: 4 }, () => wizard(sim, { columns: 60 }));
      // No wait at all: sent while node is still loading.
      for (const term of terms) term.type('alice@example.com');
      for (const term of terms) {
        const screen = await term.waitFor('Sign in to Beeper');
        const field = await term.waitFor(/Email: alice@example\.com/).catch(() => screen);
        if (/Email: alice@example\.com\s/.test(`${field}\n`) && !/alice@example\.comalice/.test(field)) landed += 1;
        term.kill();
      }
    }
    expect(landed).toBe(20);
  });

  it.each([100, 60])('each name starts at the column of its emoji, for all seven written with U+FE0F (%i columns)', { timeout: TIMEOUT }, async (columns) => {
    const sim = await simulator();
    sim.control.configure({ sasNumbers: VARIATION_SELECTED });
    const term = wizard(sim, { columns });
    await signIn(term, sim);
    await chooseDevice(term, sim);
    term.press('e');
    const screen = await term.waitFor('Compare emojis');
    const lines = screen.split('\n');
    const entries = VARIATION_SELECTED.map((number) => SAS_EMOJI_TABLE[number]!);
    for (const entry of entries) {
      const nameLine = lines.findIndex((line) => new RegExp(`(^|\\s)${entry.name}(\\s|$)`).test(line));
      expect(nameLine, entry.name).toBeGreaterThan(0);
      const glyph = entry.emoji.replace(/\uFE0F/g, '');
      const emojiLine = lines[nameLine - 1]!;
      expect(emojiLine, `${entry.name}: its emoji sits right above it`).toContain(glyph);
      expect(columnOf(emojiLine, glyph), entry.name).toBe(columnOf(lines[nameLine]!, entry.name));
    }
  });

  it.each<[string, WizardOptions]>([
    ['TERM=dumb', { env: { TERM: 'dumb' } }],
    ['--plain', { args: ['--plain'] }],
  ])('%s: the line mode, each answer on its question\'s line, no redraws or escape sequences', { timeout: TIMEOUT }, async (_, options) => {
    const sim = await simulator();
    // The code is echoed as it is typed, as in the wizard; it is on no other screen.
    const term = wizard(sim, { ...options, lineMode: true, allows: (screen) => /Enter the sign-in code emailed to .*: \d{6}$/m.test(screen) });
    await term.waitFor('Email address of your Beeper account');
    term.type('alice@example.com');
    term.press('Enter');
    await term.waitFor('Enter the sign-in code emailed to alice@example.com:');
    expect(term.screen()).toContain('Email address of your Beeper account (or the one to create it with): alice@example.com\n');
    term.type(sim.control.latestCode('alice@example.com')!);
    term.press('Enter');
    // The wizard's choice, asked as a numbered list.
    await term.waitFor('Choose 1–4:');
    term.type('1');
    term.press('Enter');
    await term.waitFor('Waiting for your other device (Pixel 8) to accept');
    // Every line printed once, in order: nothing was redrawn over.
    const lines = term.screen().split('\n');
    expect(lines.filter((line) => line.startsWith('Enter the sign-in code'))).toHaveLength(1);
    expect(lines.indexOf('Checking the code…')).toBeGreaterThan(lines.findIndex((line) => line.startsWith('Enter the sign-in code')));
    expect(term.colorScreen()).not.toMatch(/\u001b/);
    term.press('C-c');
    expect(await term.exitCode()).toBe(130);
  });

  it('the demo panel at 60×24 shows the key the key step needs', { timeout: TIMEOUT }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
    const term = terminal({ args: ['--demo'], columns: 60, rows: 24, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
    await term.waitFor('Sign in to Beeper');
    term.type('bob@example.com');
    term.press('Enter');
    const withCode = await term.waitFor(/your code is (\d{6})/);
    term.type(/your code is (\d{6})/.exec(withCode)![1]!);
    term.press('Enter');
    await term.waitFor('Verify this device');
    term.type('2');
    await term.waitFor('Verify with your recovery key');
    // The panel's border and wrapping aside, the whole key is there (once the panel has measured its room).
    const shown = await keyFromPanel(term, 'bob');
    // Whole: the key as shown is a valid recovery key, check digit and all.
    expect(checkRecoveryKey(shown).ok).toBe(true);
  });

  /** Signed in and waiting for the other device: where a stop must cancel nothing and keep the token. */
  async function waitingForOtherDevice() {
    const sim = await simulator();
    const configHome = mkdtempSync(join(tmpdir(), 'beeper-setup-config-'));
    const term = wizard(sim, { configHome });
    await signIn(term, sim);
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Waiting for your other device (Pixel 8) to accept');
    return { sim, configHome, term };
  }

  it('SIGTERM stops like Ctrl-C: exit 130, the Stopped line, the terminal restored, nothing cancelled', { timeout: TIMEOUT }, async () => {
    const { sim, configHome, term } = await waitingForOtherDevice();
    process.kill(term.pid(), 'SIGTERM');
    expect(await term.exitCode()).toBe(130);
    expect(term.text()).toContain(`Stopped. Run node dist/cli.js --base-url ${sim.url} again to continue where Beeper stands (nothing was cancelled).`);
    const tty = term.tmux('display-message', '-p', '-t', '0', '#{pane_tty}').trim();
    expect(execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' })).toMatch(/(^|\s)icanon(\s|$)/);
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(calls(sim).some((line) => line.includes('/cancel'))).toBe(false);
    expect(savedTokens(configHome)[sim.url]).toMatch(/^syt_/);
  });

  it('SIGHUP (the SSH session dropped): exit 129, the token kept, nothing cancelled', { timeout: TIMEOUT }, async () => {
    const { sim, configHome, term } = await waitingForOtherDevice();
    process.kill(term.pid(), 'SIGHUP');
    expect(await term.exitCode()).toBe(129);
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(calls(sim).some((line) => line.includes('/cancel'))).toBe(false);
    expect(savedTokens(configHome)[sim.url]).toMatch(/^syt_/);
  });

  it('a server answering with escape sequences changes neither the clipboard, the title nor the screen', { timeout: TIMEOUT }, async () => {
    const sim = await simulator('lenient', { hostileText: true });
    const term = wizard(sim, { columns: 60 });
    const title = term.tmux('display-message', '-p', '-t', '0', '#{pane_title}').trim();
    await signIn(term, sim);
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Waiting for your other device');
    sim.control.otherDevice('accept');
    await term.waitFor('Scan this code');
    term.press('e');
    await term.waitFor('Compare emojis');
    term.type('n');
    await term.waitFor('The devices did not match');
    const colours = term.colorScreen();
    // Only our own colours: no OSC, no BEL, no 8-bit CSI, no screen wipe.
    expect(colours).not.toMatch(/\u001b\]|\u0007|\u009b|\u001b\[2J/);
    // The hostile text did arrive (its printable rest shows, cleaned): the device is "Pixel 8x…".
    expect(term.screens.join('\n')).toMatch(/Pixel 8 ?x/);
    expect(term.tmux('display-message', '-p', '-t', '0', '#{pane_title}').trim()).toBe(title);
    expect(term.tmux('list-buffers')).not.toContain('hacked');
    expect(HOSTILE_TEXT).toContain('\u001b]52;');
  });
});
