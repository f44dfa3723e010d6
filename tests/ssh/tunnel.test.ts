/**
 * --ssh through a real, throwaway sshd on a loopback port: a full recovery-key
 * setup through the tunnel, and ssh's own failures. The client's options come
 * through BEEPER_SETUP_SSH_COMMAND (the documented way, like GIT_SSH_COMMAND).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, findSecrets, mailedCodes, recoveryKeyOf, spawnCli, savedTokens, simulator, tempDir } from '../headless/helpers.js';

const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((path) => existsSync(path));
const EMAIL = 'alice@example.com';
const USER = userInfo().username;

async function freePort(): Promise<number> {
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
function processesWith(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push(cmdline);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

if (!SSHD) console.warn('tests/ssh/tunnel.test.ts skipped: no sshd found (install openssh-server to run it).');

describe.skipIf(!SSHD)('--ssh through a throwaway sshd', () => {
  let dir: string;
  let sshdPort: number;
  let sshd: ChildProcess;
  let sshdLog = '';
  let sim: RunningSimulator | undefined;
  const sshCommand = (key: string) =>
    `ssh -F /dev/null -i ${key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR`;

  beforeAll(async () => {
    dir = tempDir('beeper-ssh-');
    keygen(join(dir, 'host_key'));
    keygen(join(dir, 'user_key'));
    keygen(join(dir, 'stranger_key'));
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
    // sshd started as root wants its privilege-separation folder.
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    sshdPort = await freePort();
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${sshdPort}`,
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
        '',
      ].join('\n'),
    );
    sshd = spawn(SSHD!, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr!.setEncoding('utf8').on('data', (chunk: string) => (sshdLog += chunk));
    // Ready once it accepts connections.
    for (let waited = 0; ; waited += 50) {
      if (sshd.exitCode !== null) throw new Error(`sshd exited: ${sshdLog}`);
      const up = await new Promise<boolean>((resolve) => {
        const socket = connect(sshdPort, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      if (up) break;
      if (waited > 10_000) throw new Error(`sshd did not start: ${sshdLog}`);
      await sleep(50);
    }
  }, 180_000);

  afterAll(() => {
    sshd?.kill('SIGTERM');
  });

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('sets up Beeper on the remote side through the tunnel, saving the token under ssh://user@host:port', async () => {
    sim = await simulator();
    const work = tempDir();
    const config = join(work, 'config');
    const keyFile = join(work, 'recovery-key');
    writeFileSync(keyFile, recoveryKeyOf(sim, EMAIL));
    const env = cliEnv(config, { BEEPER_SETUP_SSH_COMMAND: sshCommand(join(dir, 'user_key')) });
    const run = spawnCli(
      ['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port), '--email', EMAIL, '--recovery-key-file', keyFile, '--json', '--debug'],
      env,
    );
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code, `${result.stderr}\n${sshdLog}`).toBe(0);
    expect(result.events.every((event) => event.event !== '<not json>')).toBe(true);
    const connected = result.events.find((event) => event.event === 'connected');
    expect(connected?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(connected?.baseUrl).not.toBe(sim.url);
    expect(connected?.via).toBe(`ssh://${USER}@127.0.0.1:${sim.port}`);
    expect(result.events.at(-1)).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
    expect(result.stderr).toContain(`(ssh://${USER}@127.0.0.1:${sim.port}, through an ssh tunnel)`);
    const tokenKey = `ssh://${USER}@127.0.0.1:${sim.port}`;
    expect(Object.keys(savedTokens(config))).toEqual([tokenKey]);
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[tokenKey], recoveryKeyOf(sim, EMAIL), ...mailedCodes(sim)])).toEqual([]);

    // The tunnel is closed with the CLI: no ssh process still forwards the local port.
    const localPort = new URL(connected!.baseUrl).port;
    await sleep(200);
    expect(processesWith(`127.0.0.1:${localPort}:127.0.0.1:${sim.port}`)).toEqual([]);
  });

  it('closes the tunnel when stopped with SIGTERM (exit 130)', async () => {
    sim = await simulator();
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(join(dir, 'user_key')) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port), '--email', EMAIL, '--verify', 'device', '--json'], env);
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    const connected = JSON.parse(run.stdout().split('\n').find((line) => line.includes('"connected"'))!);
    const forward = `127.0.0.1:${new URL(connected.baseUrl).port}:127.0.0.1:${sim.port}`;
    expect(processesWith(forward)).toHaveLength(1);
    run.child.kill('SIGTERM');
    const result = await run.result;

    expect(result.code).toBe(130);
    await sleep(200);
    expect(processesWith(forward)).toEqual([]);
  });

  it('reports a refused login as ssh failing to log in (exit 1)', async () => {
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(join(dir, 'stranger_key')) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ssh could not log in to 127\.0\.0\.1: .*Permission denied/);
  });

  it('reports a host where nothing answers ssh as unreachable (exit 5)', async () => {
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(join(dir, 'user_key')) });
    const run = spawnCli(['--ssh', `127.0.0.1:${await freePort()}`, '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Could not reach 127\.0\.0\.1 over ssh: .*Connection refused/);
  });

  it('says so when ssh logs in but nothing answers on the remote API port (exit 5)', async () => {
    const remotePort = await freePort();
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(join(dir, 'user_key')) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(remotePort), '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`ssh reached 127.0.0.1, but nothing answers on 127.0.0.1:${remotePort} there.`);
    expect(result.stderr).toContain('--remote-port');
    expect(processesWith(`:127.0.0.1:${remotePort}`)).toEqual([]);
  });
});
