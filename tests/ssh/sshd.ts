/**
 * A throwaway sshd on a loopback port, for the tests that drive --ssh through a real tunnel
 * (tests/ssh/tunnel.test.ts, tests/ansible/playbook.test.ts): its own host key, a user key it
 * accepts and a stranger key it refuses, and the client options that go with them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((path) => existsSync(path));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function keygen(path: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'beeper-setup-test', '-f', path], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
}

/** Command lines of the running processes that hold `needle`. */
export function processesWith(needle: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push({ pid: Number(pid), cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** The processes whose parent is `parent` (from /proc/PID/stat). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) children.push(Number(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

export interface Sshd {
  port: number;
  dir: string;
  /** The key sshd accepts, and one it refuses. */
  userKey: string;
  strangerKey: string;
  /** A known_hosts file that holds this sshd's host key (as `ssh-keyscan` writes it). */
  knownHosts: string;
  /**
   * BEEPER_SETUP_SSH_COMMAND for `key`: no ~/.ssh/config, no agent; with `knownHosts` the host key is
   * checked strictly against that file, without it host keys are not checked at all. `extra` options
   * come first, so they win over these (ssh keeps the first value it is given).
   */
  sshCommand(key: string, options?: { knownHosts?: string; extra?: string[] }): string;
  /** Ends every session sshd is serving (the tunnels' far ends), as a server that went away would. */
  killSessions(): number;
  log(): string;
  stop(): void;
}

/** sshd -D on a free loopback port; `forceCommand` replaces any command a session asks to run. */
export async function startSshd(options: { forceCommand?: string } = {}): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'beeper-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  keygen(join(dir, 'stranger_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  // sshd started as root wants its privilege-separation folder.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowTcpForwarding yes',
      'LogLevel ERROR',
      ...(options.forceCommand ? [`ForceCommand ${options.forceCommand}`] : []),
      '',
    ].join('\n'),
  );
  // The host key as ssh-keyscan would report it for [127.0.0.1]:port.
  const knownHosts = join(dir, 'known_hosts');
  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);

  let log = '';
  const sshd: ChildProcess = spawn(SSHD!, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  // Ready once it accepts connections.
  for (let waited = 0; ; waited += 50) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited: ${log}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (waited > 10_000) throw new Error(`sshd did not start: ${log}`);
    await sleep(50);
  }

  return {
    port,
    dir,
    userKey: join(dir, 'user_key'),
    strangerKey: join(dir, 'stranger_key'),
    knownHosts,
    sshCommand: (key, { knownHosts: known, extra = [] } = {}) =>
      [
        // ssh takes the first value of each option: `extra` comes first to override the rest.
        'ssh',
        ...extra,
        `-F /dev/null -i ${key} -o IdentitiesOnly=yes -o IdentityAgent=none`,
        known ? `-o StrictHostKeyChecking=yes -o UserKnownHostsFile=${known}` : '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null',
        '-o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR',
      ].join(' '),
    killSessions: () => {
      const sessions = childrenOf(sshd.pid!);
      for (const pid of sessions) process.kill(pid, 'SIGKILL');
      return sessions.length;
    },
    log: () => log,
    stop: () => void sshd.kill('SIGTERM'),
  };
}
