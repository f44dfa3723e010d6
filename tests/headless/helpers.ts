/**
 * Runs the BUILT CLI (`node dist/cli.js`) as a child process with stdin as a
 * pipe and no TTY, against a simulator started in the test process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
/** The steps of every fresh sign-in, up to the code being checked. */
export const SIGNED_IN_BY_CODE = ['connecting', 'starting-sign-in', 'email', 'sending-code', 'code', 'checking-code'];

export const FAST = { initializingMs: 30, firstSyncMs: 30, otherDeviceMs: 30 };

export function tempDir(prefix = 'beeper-headless-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ log: () => {}, ...options, timings: { ...FAST, ...options.timings } });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as NDJSON (every line must parse). */
  events: Record<string, any>[];
}

export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  write(line: string): void;
  end(): void;
  /** Resolves once stdout+stderr match. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<void>;
  result: Promise<CliResult>;
}

/** A clean environment: no CI, no BEEPER_* from the outside, a private config folder. */
export function cliEnv(configHome: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BEEPER_') && key !== 'CI' && !key.startsWith('VITEST') && value !== undefined) env[key] = value;
  }
  return { ...env, XDG_CONFIG_HOME: configHome, NO_COLOR: '1', ...extra };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const listener of listeners) listener();
  });
  child.stdin.on('error', () => {});
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      const events = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, any>;
          } catch {
            return { event: '<not json>', line };
          }
        });
      resolve({ code, signal, stdout, stderr, events });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    write: (line) => void child.stdin.write(`${line}\n`),
    end: () => void child.stdin.end(),
    waitFor(pattern, timeoutMs = 15_000) {
      const matches = () => (typeof pattern === 'string' ? (stdout + stderr).includes(pattern) : pattern.test(stdout + stderr));
      return new Promise<void>((resolve, reject) => {
        if (matches()) return resolve();
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(pattern)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        }, timeoutMs);
        const check = () => {
          if (!matches()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        void result.then(() => {
          if (listeners.has(check)) {
            clearTimeout(timer);
            listeners.delete(check);
            if (matches()) resolve();
            else reject(new Error(`the CLI exited before ${String(pattern)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
          }
        });
      });
    },
    result,
  };
}

/** Writes each sign-in code mailed to `email` into the CLI's stdin, then `after` lines. */
export function feedCodes(sim: RunningSimulator, run: CliRun, email: string, after: string[] = [], endAfter = false): () => void {
  return sim.control.on('mail', (message) => {
    if (message.email !== email) return;
    run.write(message.code);
    for (const line of after) run.write(line);
    if (endAfter) run.end();
  });
}

/** The step names of the NDJSON run, consecutive repeats collapsed. */
export function stepsOf(events: Record<string, any>[]): string[] {
  const steps: string[] = [];
  for (const event of events) if (event.event === 'step' && steps.at(-1) !== event.step) steps.push(event.step);
  return steps;
}

/** Every event type in order, consecutive repeats collapsed. */
export function eventKinds(events: Record<string, any>[]): string[] {
  const kinds: string[] = [];
  for (const event of events) {
    const kind = event.event === 'step' ? `step:${event.step}` : event.event;
    if (kinds.at(-1) !== kind) kinds.push(kind);
  }
  return kinds;
}

export function savedTokens(configHome: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(configHome, 'beeper-setup/tokens.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Fails when any secret (or its spaceless form) shows up in the output. */
export function findSecrets(output: string, secrets: (string | undefined)[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, secret.replace(/\s+/g, '')])) if (output.includes(form)) leaks.push(form);
  }
  return leaks;
}

export function recoveryKeyOf(sim: RunningSimulator, email: string): string {
  const key = sim.control.accounts().find((account) => account.email === email)?.recoveryKey;
  if (!key) throw new Error(`no recovery key for ${email}`);
  return key;
}

export function mailedCodes(sim: RunningSimulator): string[] {
  return sim.control.outbox().map((message) => message.code);
}
