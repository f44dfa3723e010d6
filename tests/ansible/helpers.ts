/**
 * For the Ansible example's test: simulators as separate processes (`node cli.js simulate --port 0`),
 * ansible-playbook runs, and the PLAY RECAP read back.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The ansible-playbook on PATH, or undefined. */
export function findAnsiblePlaybook(): string | undefined {
  const probe = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return probe.status === 0 ? 'ansible-playbook' : undefined;
}

export interface SimulatorProcess {
  url: string;
  child: ChildProcess;
  get<T = any>(path: string): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `node cli simulate --port 0` and resolves with its URL once it listens (no fixed sleeps). */
export function startSimulatorProcess(cli: string, timeoutMs = 15_000): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [cli, 'simulate', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the simulator did not start within ${timeoutMs} ms\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code ?? signal}) before listening\n${stderr.slice(-2000)}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /simulator listening on (http:\/\/\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = match[1]!.replace(/\/$/, '');
      resolve({
        url,
        child,
        async get(path) {
          const response = await fetch(`${url}${path}`);
          if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
          return (await response.json()) as any;
        },
        stop,
      });
    });
    // Keep reading stdout (mailed codes are printed there) so the pipe never fills up.
  });
}

export interface PlaybookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs ansible-playbook with stdin closed (nobody can answer a prompt) and collects its output. */
export function runPlaybook(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<PlaybookRun> {
  const started = Date.now();
  const child = spawn('ansible-playbook', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`ansible-playbook ran longer than ${options.timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export type Recap = Record<string, Record<'ok' | 'changed' | 'unreachable' | 'failed' | 'skipped' | 'rescued' | 'ignored', number>>;

/** The PLAY RECAP lines of the default callback: `host : ok=3 changed=1 unreachable=0 failed=0 …`. */
export function parseRecap(stdout: string): Recap {
  const recap: Recap = {};
  const section = stdout.slice(stdout.lastIndexOf('PLAY RECAP'));
  for (const line of section.split('\n').slice(1)) {
    const match = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!match) continue;
    const counts: Record<string, number> = {};
    for (const pair of match[2]!.trim().split(/\s+/)) {
      const [key, value] = pair.split('=');
      counts[key!] = Number(value);
    }
    recap[match[1]!] = counts as Recap[string];
  }
  return recap;
}

/** An environment without the caller's BEEPER_* / ANSIBLE_* settings. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('BEEPER_') || key.startsWith('ANSIBLE_') || key.startsWith('VITEST') || key === 'CI') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
