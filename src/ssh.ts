/**
 * `--ssh [user@]host[:port]`: a local forward to Beeper's API on the remote
 * machine, made with the system `ssh` (keys, agent, ~/.ssh/config all apply),
 * so the wizard runs here and sets up a Beeper Server there.
 *
 * BEEPER_SETUP_SSH_COMMAND replaces the `ssh` program and may add options,
 * like GIT_SSH_COMMAND: e.g. "ssh -i ~/.ssh/deploy -o StrictHostKeyChecking=accept-new".
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isatty } from 'node:tty';
import { SetupClient } from './api/client.js';
import { UnreachableError } from './api/errors.js';
import { CliError, ExitCode } from './exitCodes.js';
import { parseSshSpec, sshTokenKey, type SshTarget } from './sshTarget.js';


export interface SshTunnel {
  baseUrl: string;
  /**
   * Calls `listener` once if ssh exits while the run still needs the tunnel (not after close()),
   * so the run can end on that instead of taking it for Beeper gone quiet. Returns the unsubscribe.
   */
  onClosed(listener: (closed: TunnelClosed) => void): () => void;
  close(): Promise<void>;
}

/** How a tunnel ended under a run: ssh exited on its own (network gone, server restarted, killed). */
export interface TunnelClosed {
  /** One sentence naming the tunnel, the host and how ssh ended. */
  message: string;
  host: string;
  tokenKey: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The environment ssh runs with: ours without any BEEPER_* variable. ssh needs none of them, and
 * whatever ssh holds, a ProxyCommand, a LocalCommand or SendEnv may pass on (the recovery key, the token).
 */
export function sshEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && !/^BEEPER_/i.test(name)));
}


/** Splits a command line like a POSIX shell would (quotes and backslashes; no expansion). */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word = (word ?? '') + char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word = (word ?? '') + text[++i];
      else word = (word ?? '') + char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      word ??= '';
      quote = char;
    } else if (char === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new CliError('BEEPER_SETUP_SSH_COMMAND has an unclosed quote.', ExitCode.Usage);
  if (word !== undefined) words.push(word);
  return words;
}

export function sshArguments(target: SshTarget, localPort: number, remotePort: number, batch: boolean): string[] {
  return [
    '-N',
    '-o', 'ExitOnForwardFailure=yes',
    ...(batch ? ['-o', 'BatchMode=yes'] : []),
    '-o', 'ConnectTimeout=15',
    '-o', 'ServerAliveInterval=30',
    '-L', `127.0.0.1:${localPort}:127.0.0.1:${remotePort}`,
    ...(target.port ? ['-p', String(target.port)] : []),
    '--',
    target.user ? `${target.user}@${target.host}` : target.host,
  ];
}

const HOST_KEY_CHANGED = /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i;
const HOST_KEY_UNKNOWN = /No \S+ host key is known for|Host key verification failed/i;
const AUTH = /Permission denied|Too many authentication failures|Authentication failed|No more authentication methods/i;
const NETWORK = /Could not resolve hostname|Connection refused|Connection timed out|timed out|No route to host|Network is unreachable|Connection closed by|Connection reset|kex_exchange_identification/i;
const BIND = /Address already in use|Could not request local forwarding|cannot listen to port/i;
const REMOTE_CLOSED = /open failed: connect failed|open failed: administratively prohibited/i;

/** [user@]host[:port] as a person would type it to ssh, for messages. */
function destination(target: SshTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.user ? `${target.user}@` : ''}${host}${target.port ? `:${target.port}` : ''}`;
}

/** What ssh said, without its notes about known hosts it added. */
function meaningfulLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^Warning: Permanently added/.test(line));
}

/**
 * Turns what ssh said before it exited into one clear error: a host key it does not know → 5
 * (with the two ways to make it known), a changed host key or a refused login → 1, network → 5.
 */
export function sshFailure(stderr: string, target: SshTarget, exitCode: number | null, batch = true): CliError {
  const lines = meaningfulLines(stderr);
  const find = (pattern: RegExp) => lines.find((line) => pattern.test(line));
  const host = target.host;
  if (find(HOST_KEY_CHANGED)) {
    return new CliError(
      `ssh refused ${host}: its host key is not the one in known_hosts, so someone may be intercepting the connection.`,
      ExitCode.Error,
      `If ${host} was reinstalled and you have checked its new key, remove the old one (ssh-keygen -R ${host}) and run again.`,
    );
  }
  if (find(HOST_KEY_UNKNOWN)) {
    const port = target.port ? ` -p ${target.port}` : '';
    return new CliError(
      `ssh does not know the host key of ${host} yet${batch ? ', and without a terminal nobody can confirm it' : ''}: the tunnel was not opened.`,
      ExitCode.Unreachable,
      `Add the key first (ssh-keyscan${port} ${host} >> ~/.ssh/known_hosts, after checking its fingerprint), or let ssh accept a host it has never seen: BEEPER_SETUP_SSH_COMMAND='ssh -o StrictHostKeyChecking=accept-new'.`,
    );
  }
  const auth = find(AUTH);
  if (auth) {
    return new CliError(`ssh could not log in to ${host}: ${auth}`, ExitCode.Error, 'Check that `ssh HOST` works on its own. Without a terminal ssh runs with BatchMode=yes: keys or an agent, no passwords.');
  }
  const network = find(NETWORK);
  if (network) return new CliError(`Could not reach ${host} over ssh: ${network}`, ExitCode.Unreachable);
  const last = lines.at(-1);
  return new CliError(`ssh to ${host} stopped (exit code ${exitCode ?? 'none'})${last ? `: ${last}` : '.'}`, ExitCode.Error);
}

/** The tunnel's ssh ended while the run used it: which tunnel, which host, how ssh ended, its last words. */
export function tunnelClosedMessage(target: SshTarget, tokenKey: string, exitCode: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `ssh was stopped by ${signal}` : `ssh exited with status ${exitCode ?? 'unknown'}`;
  const said = meaningfulLines(stderr).at(-1);
  return `The ssh tunnel to ${destination(target)} (${tokenKey}) closed: ${how}${said ? ` (${said.replace(/\.$/, '')})` : ''}.`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free local port');
  return address.port;
}

interface TunnelOptions {
  debug: boolean;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function openSshTunnel(spec: string, remotePort: number, opts: TunnelOptions): Promise<SshTunnel> {
  const env = opts.env ?? process.env;
  const target = parseSshSpec(spec);
  const command = splitCommand(env.BEEPER_SETUP_SSH_COMMAND?.trim() || 'ssh');
  if (command.length === 0) throw new CliError('BEEPER_SETUP_SSH_COMMAND is empty.', ExitCode.Usage);
  // Without a terminal nobody can answer ssh (a password, a host key): BatchMode makes it fail at once instead.
  const batch = !isatty(0) && !isatty(2);
  const plan: TunnelPlan = { command, target, remotePort, tokenKey: sshTokenKey(spec, remotePort), batch, env: sshEnvironment(env) };
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(plan, await freePort(), opts);
    } catch (error) {
      // Someone took the port between our check and ssh's bind: try another one.
      if (error instanceof PortTaken && attempt < 3) continue;
      throw error instanceof PortTaken ? new CliError(`ssh could not listen on a local port: ${error.message}`, ExitCode.Error) : error;
    }
  }
}

interface TunnelPlan {
  command: string[];
  target: SshTarget;
  remotePort: number;
  tokenKey: string;
  batch: boolean;
  env: NodeJS.ProcessEnv;
}

class PortTaken extends Error {}

async function connect(plan: TunnelPlan, localPort: number, opts: TunnelOptions): Promise<SshTunnel> {
  const { target, remotePort, tokenKey, batch } = plan;
  const host = target.host;
  const [program, ...leading] = plan.command as [string, ...string[]];
  const argv = [...leading, ...sshArguments(target, localPort, remotePort, batch)];
  if (opts.debug) opts.log(`[ssh] ${[program, ...argv].join(' ')}`);
  const child = spawn(program, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: plan.env });
  let stderr = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  let closing = false;
  let ready = false;
  // What ssh said once the tunnel was up (the end of it): its words about why the tunnel ended.
  let lastWords = '';
  const closedListeners = new Set<(closed: TunnelClosed) => void>();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 65_536) stderr += chunk;
    if (ready) lastWords = (lastWords + chunk).slice(-4096);
    if (opts.debug) for (const line of chunk.split('\n')) if (line.trim()) opts.log(`[ssh] ${line.trim()}`);
  });
  const exit = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      exited ??= { code: null, signal: null };
      resolve();
    });
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
      if (closing || !ready) return;
      // Its last words first (a ProxyCommand that outlives ssh may hold stderr open: not for long).
      const said = child.stderr.readableEnded ? Promise.resolve() : Promise.race([once(child.stderr, 'end').catch(() => {}), sleep(250)]);
      void said.then(() => {
        if (closing) return;
        const message = tunnelClosedMessage(target, tokenKey, code, signal, lastWords);
        if (opts.debug) opts.log(`[ssh] ${message}`);
        const closed: TunnelClosed = { message, host, tokenKey, exitCode: code, signal };
        for (const listener of [...closedListeners]) listener(closed);
        closedListeners.clear();
      });
    });
  });

  // Every way out of this process takes ssh with it; stop signals reach main (src/signals.ts), whose cleanup closes it.
  const killNow = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.on('exit', killNow);
  const close = async () => {
    closing = true;
    closedListeners.clear();
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(timer);
    }
    process.off('exit', killNow);
  };
  const onClosed = (listener: (closed: TunnelClosed) => void) => {
    closedListeners.add(listener);
    return () => void closedListeners.delete(listener);
  };

  const baseUrl = `http://127.0.0.1:${localPort}`;
  const client = new SetupClient({ baseUrl, timeoutMs: 5000, retry: { limit: 0 } });
  // Long enough to type a password or passphrase when there is a terminal.
  const deadline = Date.now() + (batch ? 30_000 : 180_000);
  let dropped = 0;
  const stopped = new Promise<void>((resolve) => opts.signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        throw new CliError(
          missing ? `${program} was not found: --ssh needs an OpenSSH client.` : `Could not start ${program}: ${spawnError.message}`,
          ExitCode.Error,
          missing ? 'Install openssh-client, or point BEEPER_SETUP_SSH_COMMAND at it.' : undefined,
        );
      }
      if (exited) {
        if (BIND.test(stderr)) throw new PortTaken(stderr.trim().split('\n').at(-1));
        throw sshFailure(stderr, target, exited.code, batch);
      }
      const outcome = await probe(client);
      if (outcome === 'answered') {
        if (opts.debug) opts.log(`[ssh] tunnel ready: ${baseUrl} → ${host}:127.0.0.1:${remotePort}`);
        ready = true;
        return { baseUrl, onClosed, close };
      }
      // ssh accepts on the local port only once logged in; accepted-then-dropped means the remote port is closed
      // (ssh says so on stderr too, unless its LogLevel hides it).
      dropped = outcome === 'dropped' ? dropped + 1 : 0;
      if (REMOTE_CLOSED.test(stderr) || dropped >= 3) {
        throw new CliError(
          `ssh reached ${host}, but nothing answers on 127.0.0.1:${remotePort} there.`,
          ExitCode.Unreachable,
          'Is Beeper Server running on that machine? If it listens on another port, pass --remote-port N.',
        );
      }
      if (Date.now() > deadline) {
        throw new CliError(`The ssh tunnel to ${host} did not come up within ${batch ? 30 : 180} seconds.`, ExitCode.Unreachable);
      }
      await Promise.race([sleep(150), exit, stopped]);
    }
  } catch (error) {
    await close();
    throw error;
  }
}

/** Any HTTP answer through the tunnel counts: the forward works and something listens. */
async function probe(client: SetupClient): Promise<'answered' | 'refused' | 'dropped'> {
  try {
    await client.info({ retries: 0 });
    return 'answered';
  } catch (error) {
    if (!(error instanceof UnreachableError)) return 'answered';
    return error.reason === 'refused' ? 'refused' : 'dropped';
  }
}
