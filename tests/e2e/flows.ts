/**
 * Shared steps of the end-to-end runs: a simulator in this process, the built
 * CLI in tmux against it, and the moves a person makes through the wizard.
 * Terminals and simulators started here are checked and closed after each test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { Terminal, cutQrCodes, overWide } from './terminal.js';

export const TIMEOUT = 90_000;
export const running: { terminals: Terminal[]; sims: RunningSimulator[] } = { terminals: [], sims: [] };

/** Checks and closes what each test started (globalSetup built dist/cli.js). Call once per test file. */
export function useBuiltCliInTmux(): void {
  afterEach(async () => {
    for (const terminal of running.terminals.splice(0)) {
      const problems = terminal.screens.flatMap((screen) => [...overWide(screen, terminal.columns), ...cutQrCodes(screen)]);
      terminal.kill();
      expect(problems, 'every screen fits the terminal and shows whole QR codes').toEqual([]);
    }
    await Promise.all(running.sims.splice(0).map((sim) => sim.close()));
  });
}

export async function simulator(): Promise<RunningSimulator> {
  const sim = await startSimulator({ log: () => {}, timings: { initializingMs: 200, firstSyncMs: 300, otherDeviceMs: 200 } });
  running.sims.push(sim);
  return sim;
}

export function wizard(sim: RunningSimulator, options: { columns?: number; configHome?: string; home?: string } = {}): Terminal {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'beeper-setup-home-'));
  const terminal = Terminal.start({
    args: ['--base-url', sim.url],
    columns: options.columns ?? 100,
    rows: 30,
    env: { HOME: home, XDG_CONFIG_HOME: options.configHome ?? join(home, '.config') },
  });
  running.terminals.push(terminal);
  return terminal;
}

export const calls = (sim: RunningSimulator, since = 0) => sim.control.requests().slice(since).map((entry) => `${entry.method} ${entry.path.replace(/verifications\/[^/]+\//, 'verifications/ID/')} ${entry.status}`);
export const recoveryKeyOf = (sim: RunningSimulator, email: string) => sim.control.accounts().find((account) => account.email === email)!.recoveryKey!;

export async function signIn(terminal: Terminal, sim: RunningSimulator, email = 'alice@example.com'): Promise<void> {
  await terminal.waitFor('Sign in to Beeper');
  expect(terminal.screen()).toMatch(/Beeper Server 4\.2\.1 on 127\.0\.0\.1:\d+/);
  await terminal.type(email);
  await terminal.press('Enter');
  await terminal.waitFor(`We sent a 6-digit code to ${email}`);
  await terminal.type(sim.control.latestCode(email)!);
  await terminal.press('Enter');
}

export async function chooseDevice(terminal: Terminal, sim: RunningSimulator): Promise<void> {
  await terminal.waitFor('Verify this device');
  await terminal.press('Enter');
  await terminal.waitFor('Waiting for your other device (Pixel 8) to accept');
  sim.control.otherDevice('accept');
  await terminal.waitFor('Scan this code with your other device (Pixel 8)');
}

export async function compareEmojis(terminal: Terminal, sim: RunningSimulator): Promise<void> {
  await terminal.press('e');
  await terminal.waitFor('Compare emojis');
  const sas = sim.control.session().verification?.sas;
  expect(sas).toBeDefined();
  const names = parseSasEmojis(sas!.emojis).map((entry) => entry.name);
  const screen = terminal.screen();
  for (const name of names) expect(screen).toContain(name);
  expect(screen).toContain(sas!.decimals!.split(' ').join('  '));
}

export async function finish(terminal: Terminal): Promise<void> {
  await terminal.waitFor('Beeper is ready', 20_000);
  expect(await terminal.exitCode()).toBe(0);
  expect(terminal.screen()).toContain('@alice:beeper.com');
}

