/**
 * Runs the CLI against a simulator started in the test process: in-process
 * through main() with captured IO and a fast clock (runCli), or the BUILT
 * executable as a child process for the few smoke tests (spawnCli).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import type { RunClock } from '../../src/clock.js';
import type { LineSource } from '../../src/lines.js';
import type { ProgramIO } from '../../src/io.js';
import { main } from '../../src/main.js';
import { StopSignals } from '../../src/signals.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { afterEach, expect } from 'vitest';
import { findSecrets as findAnySecrets, secretsOf } from '../support/secrets.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');
/** The steps of every fresh sign-in, up to the code being checked. */
export const SIGNED_IN_BY_CODE = ['connecting', 'starting-sign-in', 'email', 'sending-code', 'code', 'checking-code'];

/** The call that activates a new recovery key: what the durability and lost-answer tests watch. */
export const RESET_CONFIRM = '/v1/app/setup/verification/recovery-key/reset/confirm';

export const FAST = { initializingMs: 30, firstSyncMs: 30, otherDeviceMs: 30 };

export function tempDir(prefix = 'beeper-headless-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ log: () => {}, ...options, timings: { ...FAST, ...options.timings } });
  watched.sims.push(sim);
  return sim;
}

/** Every run, simulator and relay of the current test, for the secret scan after it and closing. */
const watched: { runs: { env: NodeJS.ProcessEnv; args: string[]; output: () => string }[]; sims: RunningSimulator[]; relays: Server[] } = {
  runs: [],
  sims: [],
  relays: [],
};

/** One request through a relay, whole: what `intercept` may answer, drop or pass on. */
export interface RelayedRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Sends it on; its answer goes to `onAnswer` instead of back when given. */
  forward(onAnswer?: (answer: IncomingMessage) => void): void;
}

/**
 * A relay in front of the simulator, for faults a simulator cannot make (an answer lost after
 * the call was applied, a connection cut before it was sent): every request is passed on and its
 * answer passed back, unless `intercept` returns true (it has dealt with it). Closed after the test.
 */
export async function relay(target: string, intercept: (request: RelayedRequest) => boolean = () => false): Promise<string> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = (onAnswer?: (answer: IncomingMessage) => void) => {
        const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
          if (onAnswer) return onAnswer(answer);
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (!intercept({ req, res, forward })) forward();
    });
  });
  watched.relays.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * After each test: nothing any run printed (stdout and stderr) holds a token, a mailed code or
 * an account's recovery key, in any grouping. Only --print-token's last line prints a token,
 * on purpose. Then every simulator and relay the test started is closed. Call once per test file.
 */
export function scanOutputsAfterEach(): void {
  afterEach(async () => {
    const runs = watched.runs.splice(0);
    const sims = watched.sims.splice(0);
    const relays = watched.relays.splice(0);
    try {
      const tokens = runs.flatMap((run) => Object.values(savedTokens(run.env.XDG_CONFIG_HOME ?? '')));
      const secrets = [...new Set([...sims.flatMap((sim) => secretsOf(sim)), ...tokens])];
      for (const run of runs) {
        const printed = run.output().replace(/^BEEPER_ACCESS_TOKEN=.*$/m, run.args.includes('--print-token') ? '' : '$&');
        expect(findAnySecrets(printed, secrets), `secrets printed by beeper-setup ${run.args.join(' ')}`).toEqual([]);
      }
    } finally {
      // Closed whatever the scan finds (closing twice is harmless).
      for (const server of relays) {
        server.closeAllConnections();
        server.close();
      }
      await Promise.all(sims.map((sim) => sim.close()));
    }
  });
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
  stdout: () => string;
  stderr: () => string;
  write(line: string): void;
  end(): void;
  /** A stop signal, as Ctrl-C, `kill` or a dropped SSH session would send it. */
  signal(name: 'SIGINT' | 'SIGTERM' | 'SIGHUP'): void;
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

function parseEvents(stdout: string): Record<string, any>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        return { event: '<not json>', line };
      }
    });
}

/** Output collected as it comes, with waits on what it says. */
function collector() {
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const stream = (append: (chunk: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        notify();
        done();
      },
    });
  return {
    stdoutStream: stream((chunk) => (stdout += chunk)),
    stderrStream: stream((chunk) => (stderr += chunk)),
    stdout: () => stdout,
    stderr: () => stderr,
    onOutput(chunk: string, to: 'stdout' | 'stderr') {
      if (to === 'stdout') stdout += chunk;
      else stderr += chunk;
      notify();
    },
    waitFor(pattern: RegExp | string, result: Promise<unknown>, timeoutMs = 15_000): Promise<void> {
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
          if (!listeners.has(check)) return;
          clearTimeout(timer);
          listeners.delete(check);
          if (matches()) resolve();
          else reject(new Error(`the CLI exited before ${String(pattern)}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        });
      });
    },
  };
}

/**
 * Lines of stdin a test writes while the CLI runs, like a pipe: `end()` closes it.
 * A confirmation (`fresh`) only takes lines written after it was asked.
 */
export function liveLines(): LineSource & { push(line: string): void; end(): void } {
  const queue: string[] = [];
  let ended = false;
  let waiting: { resolve: (line: string | undefined) => void; reject: (reason: unknown) => void } | undefined;
  return {
    canAsk: () => queue.length > 0 || !ended,
    read(options = {}) {
      if (options.fresh) queue.length = 0;
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (ended) return Promise.resolve(undefined);
      options.signal?.throwIfAborted();
      return new Promise<string | undefined>((resolve, reject) => {
        waiting = { resolve, reject };
        options.signal?.addEventListener(
          'abort',
          () => {
            waiting = undefined;
            reject(options.signal!.reason);
          },
          { once: true },
        );
      });
    },
    push(line) {
      if (waiting) {
        const { resolve } = waiting;
        waiting = undefined;
        resolve(line);
      } else queue.push(line);
    },
    end() {
      ended = true;
      waiting?.resolve(undefined);
      waiting = undefined;
    },
    close() {
      ended = true;
    },
  };
}

/**
 * Time for the machine and the driver at `scale` times real speed: a 1 s poll takes 20 ms,
 * the 15 s heartbeat 300 ms, a 10-minute timeout 12 s. The simulator keeps real time.
 */
export function fastClock(scale = 50): RunClock {
  const started = Date.now();
  return {
    setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms / scale)),
    clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
    now: () => started + (Date.now() - started) * scale,
  };
}

/** The CLI in this process, as a pipe and no terminal would run it: main() with captured IO and a fast clock. */
/**
 * The CLI in this process against captured streams and a fast clock. `tty`: which streams are a
 * terminal (none by default; all three is a person at a terminal, where the wizard would run).
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv, options: { scale?: number; stderrIsTTY?: boolean; tty?: ProgramIO['tty'] } = {}): CliRun {
  const out = collector();
  const lines = liveLines();
  const stops = new StopSignals();
  const io: ProgramIO = {
    stdout: out.stdoutStream,
    stderr: out.stderrStream,
    env,
    tty: options.tty ?? { stdin: false, stdout: false, stderr: options.stderrIsTTY ?? false },
    lines: () => lines,
    clock: fastClock(options.scale),
    heartbeatMs: 15_000,
  };
  watched.runs.push({ env, args, output: () => out.stdout() + out.stderr() });
  const result: Promise<CliResult> = main(args, { stops, io, installSignals: false }).then((code) => ({
    code,
    signal: null,
    stdout: out.stdout(),
    stderr: out.stderr(),
    events: parseEvents(out.stdout()),
  }));
  return {
    stdout: out.stdout,
    stderr: out.stderr,
    write: (line) => lines.push(line),
    end: () => lines.end(),
    // A second signal forces an exit in the real CLI; here it would end the test runner, so it is ignored.
    signal: (name) => stops.stop(name, () => {}),
    waitFor: (pattern, timeoutMs) => out.waitFor(pattern, result, timeoutMs),
    result,
  };
}

/** The BUILT CLI as a child process (stdin a pipe, no TTY): for the few smoke tests of the real executable. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv, options: { wrap?: string[] } = {}): CliRun & { child: ChildProcessWithoutNullStreams } {
  // `wrap` runs the CLI under another program (strace -f -o FILE).
  const [command, ...rest] = [...(options.wrap ?? []), process.execPath, CLI, ...args];
  const child = spawn(command!, rest, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = collector();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => out.onOutput(chunk, 'stdout'));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => out.onOutput(chunk, 'stderr'));
  child.stdin.on('error', () => {});
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out.stdout(), stderr: out.stderr(), events: parseEvents(out.stdout()) }));
  });
  return {
    child,
    stdout: out.stdout,
    stderr: out.stderr,
    write: (line) => void child.stdin.write(`${line}\n`),
    end: () => void child.stdin.end(),
    signal: (name) => void child.kill(name),
    waitFor: (pattern, timeoutMs) => out.waitFor(pattern, result, timeoutMs),
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

/** The other device accepts, scans the QR code the run shows, and the run is told "yes, it worked". */
export async function scanAndConfirm(sim: RunningSimulator, run: CliRun): Promise<void> {
  sim.control.otherDevice('accept');
  await run.waitFor('"event":"qr"');
  sim.control.otherDevice('scan-qr');
  await run.waitFor('"for":"scan-confirm"');
  run.write('yes');
}

/** The other device asks to verify; the run (--json) shows the emojis, is told "yes", and the other device confirms too. */
export async function requestAndMatch(sim: RunningSimulator, run: CliRun): Promise<void> {
  sim.control.otherDevice('request');
  await run.waitFor('"for":"emoji-match"');
  run.write('yes');
  await run.waitFor('"step":"waiting-other-confirm"');
  sim.control.otherDevice('confirm-sas');
}

/** Signs the app of `sim` in as `email` and unlocks it with the account's key file: ready, its token saved under `dir`. */
export async function readyApp(sim: RunningSimulator, dir: string = tempDir(), email = 'alice@example.com'): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const env = cliEnv(join(dir, 'config'));
  const keyFile = join(dir, 'key.txt');
  writeFileSync(keyFile, recoveryKeyOf(sim, email), { mode: 0o600 });
  const setup = runCli(['--base-url', sim.url, '--email', email, '--recovery-key-file', keyFile], env);
  feedCodes(sim, setup, email);
  expect((await setup.result).code).toBe(0);
  return { dir, env };
}
