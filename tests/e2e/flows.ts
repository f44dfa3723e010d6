/**
 * Shared steps of the end-to-end runs: a simulator in this process (either
 * profile), the built CLI in tmux against it, and the moves a person makes
 * through the wizard. Terminals and simulators started here are checked
 * (widths, secrets) and closed after each test.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { findSecrets, secretsOf } from '../support/secrets.js';
import { Terminal, overWide, type TerminalOptions } from './terminal.js';

export const TIMEOUT = 60_000;

/** Lines of a screen that start a wizard frame (its header's first words): one per screen, never two. */
export const headerLines = (screen: string): number => screen.split('\n').filter((line) => /(^|\s)Beeper setup(\s|$)/.test(line)).length;
export type Profile = 'lenient' | 'strict';
export const PROFILES: Profile[] = ['lenient', 'strict'];

interface Run {
  terminal: Terminal;
  sim: RunningSimulator | undefined;
  configHome: string | undefined;
  /** Screens on which a secret is shown on purpose (the new key, the code being typed, the demo panel). */
  allows: (screen: string) => boolean;
  /** Line mode leaves wrapping to the terminal (a screen reader or a log wants whole lines): no width check. */
  lineMode: boolean;
}

export const running: { runs: Run[]; sims: RunningSimulator[] } = { runs: [], sims: [] };

/** Screens that show a secret on purpose: the code as it is typed, a key the user chose to show, a new key shown once, the demo's panel. */
export const SHOWS_SECRETS_ON_PURPOSE = (screen: string) =>
  /Check your email|Your recovery key|Your new recovery key|Simulation: no real Beeper|recovery key:|Tab hide/.test(screen);

/** Checks and closes what each test started (globalSetup built dist/cli.js). Call once per test file. */
export function useBuiltCliInTmux(): void {
  afterEach(async () => {
    for (const run of running.runs.splice(0)) {
      const { terminal } = run;
      const wide = run.lineMode ? [] : terminal.screens.flatMap((screen, i) => (terminal.screenColumns[i] === undefined ? [] : overWide(screen, terminal.screenColumns[i]!)));
      // One wizard, one frame: a second header means an earlier frame was left on screen.
      const torn = run.lineMode ? [] : terminal.screens.filter((screen) => headerLines(screen) > 1);
      terminal.kill();
      expect(wide, 'every screen fits the terminal').toEqual([]);
      expect(torn, 'no screen shows a frame left over from an earlier one').toEqual([]);
      if (run.sim) {
        const tokens = run.configHome ? Object.values(savedTokens(run.configHome)) : [];
        const secrets = secretsOf(run.sim, tokens);
        const leaks = terminal.screens.filter((screen) => !run.allows(screen)).flatMap((screen) => findSecrets(screen, secrets));
        expect(leaks, 'no token, code or recovery key on a screen that should not show one').toEqual([]);
      }
    }
    await Promise.all(running.sims.splice(0).map((sim) => sim.close()));
  });
}

export function savedTokens(configHome: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(configHome, 'beeper-setup/tokens.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

export async function simulator(profile: Profile = 'lenient', options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ log: () => {}, profile, timings: { initializingMs: 150, firstSyncMs: 200, otherDeviceMs: 150 }, ...options });
  running.sims.push(sim);
  return sim;
}

export interface WizardOptions {
  columns?: number;
  rows?: number;
  configHome?: string;
  home?: string;
  args?: string[];
  env?: Record<string, string>;
  allows?: (screen: string) => boolean;
  lineMode?: boolean;
}

export function wizard(sim: RunningSimulator, options: WizardOptions = {}): Terminal {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
  const configHome = options.configHome ?? join(home, '.config');
  const terminal = Terminal.start({
    args: ['--base-url', sim.url, ...(options.args ?? [])],
    columns: options.columns ?? 100,
    rows: options.rows ?? 30,
    env: { HOME: home, XDG_CONFIG_HOME: configHome, ...options.env },
  });
  running.runs.push({ terminal, sim, configHome, allows: options.allows ?? SHOWS_SECRETS_ON_PURPOSE, lineMode: !!options.lineMode });
  return terminal;
}

/** A terminal not tied to a simulator of this process (the demo): only widths are checked, and not in line mode. */
export function terminal(options: TerminalOptions & { lineMode?: boolean }): Terminal {
  const started = Terminal.start(options);
  running.runs.push({ terminal: started, sim: undefined, configHome: undefined, allows: () => true, lineMode: !!options.lineMode });
  return started;
}

export const calls = (sim: RunningSimulator, since = 0) =>
  sim.control
    .requests()
    .slice(since)
    .map((entry) => `${entry.method} ${entry.path.replace(/verifications\/[^/]+\//, 'verifications/ID/')} ${entry.status}`);
export const recoveryKeyOf = (sim: RunningSimulator, email: string) => sim.control.accounts().find((account) => account.email === email)!.recoveryKey!;

export async function signIn(terminal: Terminal, sim: RunningSimulator, email = 'alice@example.com'): Promise<void> {
  await terminal.waitFor('Sign in to Beeper');
  terminal.type(email);
  terminal.press('Enter');
  await terminal.waitFor(`We sent a sign-in code to ${email}`);
  terminal.type(sim.control.latestCode(email)!);
  terminal.press('Enter');
}

/** At the recovery-key step: the key typed, checked as valid while typed, and sent. */
export async function enterRecoveryKey(terminal: Terminal, key: string): Promise<void> {
  await terminal.waitFor('Verify with your recovery key');
  terminal.type(key);
  await terminal.waitFor('This is a valid recovery key.');
  terminal.press('Enter');
}

/** From the method menu to the reset warning's second Enter ("I lost my recovery key"): the next Enter makes the new key. */
export async function toNewKeyConfirm(terminal: Terminal): Promise<void> {
  await terminal.waitFor('Verify this device');
  terminal.type('3');
  await terminal.waitFor('Make a new recovery key?');
  terminal.press('Enter');
  await terminal.waitFor('Press Enter again to make a new key');
}

/** The key as the new-key screen shows it, in one or two lines of six groups. */
export function newKeyOn(screen: string): string {
  const lines = screen.split('\n').filter((line) => /^\W*(?:[1-9A-HJ-NP-Za-km-z]{4} ?){6,12}\W*$/.test(line));
  const key = lines.map((line) => line.replace(/[^1-9A-HJ-NP-Za-km-z ]/g, '').trim()).join(' ');
  expect(key.split(' ')).toHaveLength(12);
  return key;
}

/** From the new key on screen: "I saved it", then its last two groups typed back at the gate. */
export async function typeBackKey(terminal: Terminal, key: string): Promise<void> {
  terminal.press('Enter');
  await terminal.waitFor('type the last two groups of your key');
  terminal.type(key.split(' ').slice(-2).join(' '));
  terminal.press('Enter');
}

export async function chooseDevice(terminal: Terminal, sim: RunningSimulator): Promise<void> {
  await terminal.waitFor('Verify this device');
  terminal.press('Enter');
  await terminal.waitFor('Waiting for your other device (Pixel 8) to accept');
  sim.control.otherDevice('accept');
  await terminal.waitFor('Scan this code with your other device (Pixel 8)');
}

export async function compareEmojis(terminal: Terminal, sim: RunningSimulator): Promise<void> {
  terminal.press('e');
  await terminal.waitFor('Compare emojis');
  const sas = sim.control.session().verification?.sas;
  expect(sas).toBeDefined();
  const names = parseSasEmojis(sas!.emojis).map((entry) => entry.name);
  const screen = terminal.screen();
  for (const name of names) expect(screen).toContain(name);
  expect(screen).toContain(sas!.decimals!.split(' ').join('  '));
}

/** On the emoji screen's way in: the emojis compared and matched here; the other device has yet to confirm. */
export async function matchEmojis(terminal: Terminal, sim: RunningSimulator): Promise<void> {
  await compareEmojis(terminal, sim);
  terminal.type('y');
  await terminal.waitFor('to confirm too');
}

export async function finish(terminal: Terminal, userID = '@alice:beeper.com'): Promise<void> {
  await terminal.waitFor('Beeper is ready', 20_000);
  expect(await terminal.exitCode()).toBe(0);
  expect(terminal.screen()).toContain(userID);
}

/** The line modes a person meets in a terminal: asked for, and implied by a dumb terminal. */
export const PLAIN_MODES: [string, WizardOptions][] = [
  ['--plain', { args: ['--plain'] }],
  ['TERM=dumb', { env: { TERM: 'dumb' } }],
];

/** One answer in line mode: typed, then Enter. */
export function answer(terminal: Terminal, text: string): void {
  terminal.type(text);
  terminal.press('Enter');
}

/** Line mode echoes the code typed at its question: the one secret such a screen shows on purpose. */
export const SHOWS_TYPED_CODE = (screen: string): boolean => /emailed to .*: \d{6}$/m.test(screen);

/** Line mode, signed in as `email` (the code typed from the simulator's mail), at the numbered choice of how to verify. */
export async function plainAtMenu(sim: RunningSimulator, options: WizardOptions, email = 'alice@example.com'): Promise<Terminal> {
  const terminal = wizard(sim, { allows: SHOWS_TYPED_CODE, ...options, lineMode: true });
  await signInByLine(terminal, () => sim.control.latestCode(email)!, email);
  await terminal.waitFor(/Choose 1–\d:/);
  return terminal;
}

/** Line mode's last line: ready as `userID`, and exit 0. */
export async function plainReady(terminal: Terminal, userID = '@alice:beeper.com'): Promise<void> {
  await terminal.waitFor(`Ready: ${userID}`, 20_000);
  expect(await terminal.exitCode()).toBe(0);
}

/** Line mode's sign-in: the email, then the code, each on its question's line. */
export async function signInByLine(terminal: Terminal, code: () => string, email: string): Promise<void> {
  await terminal.waitFor('Email address of your Beeper account');
  answer(terminal, email);
  await terminal.waitFor(`Enter the sign-in code emailed to ${email}:`);
  answer(terminal, code());
}
