/**
 * --ssh through a real, throwaway sshd on a loopback port: a full recovery-key
 * setup through the tunnel, a tunnel that dies mid set-up, ssh's own failures
 * (an unknown host key among them), and what ssh's environment holds. The
 * client's options come through BEEPER_SETUP_SSH_COMMAND (the documented way,
 * like GIT_SSH_COMMAND). The CLI runs as a child with pipes: no terminal.
 * The CLI closes (and reaps) ssh before it exits, so "no ssh left" is checked
 * right after the exit.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, findSecrets, mailedCodes, recoveryKeyOf, spawnCli, savedTokens, simulator, tempDir } from '../headless/helpers.js';
import { Terminal } from '../e2e/terminal.js';
import { freePort, processesWith, SSHD, startSshd, type Sshd } from './sshd.js';

const EMAIL = 'alice@example.com';
const USER = userInfo().username;

if (!SSHD) console.warn('tests/ssh/tunnel.test.ts skipped: no sshd found (install openssh-server to run it).');

describe.skipIf(!SSHD)('--ssh through a throwaway sshd', () => {
  let sshd: Sshd;
  let sshdPort: number;
  let sim: RunningSimulator | undefined;
  const sshCommand = (key: string, options?: Parameters<Sshd['sshCommand']>[1]) => sshd.sshCommand(key, options);

  beforeAll(async () => {
    sshd = await startSshd();
    sshdPort = sshd.port;
  }, 180_000);

  afterAll(() => {
    sshd?.stop();
  });

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** A simulator for this test, and a config folder and the account's recovery key in a file beside it. */
  async function simulatorAndKeyFile(): Promise<{ sim: RunningSimulator; config: string; keyFile: string }> {
    const started = await simulator();
    sim = started;
    const work = tempDir();
    const keyFile = join(work, 'recovery-key');
    writeFileSync(keyFile, recoveryKeyOf(started, EMAIL));
    return { sim: started, config: join(work, 'config'), keyFile };
  }

  it('sets up Beeper on the remote side through the tunnel, saving the token under ssh://user@host:port', async () => {
    const { sim, config, keyFile } = await simulatorAndKeyFile();
    const env = cliEnv(config, { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) });
    const run = spawnCli(
      ['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port), '--email', EMAIL, '--recovery-key-file', keyFile, '--json', '--debug'],
      env,
    );
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code, `${result.stderr}\n${sshd.log()}`).toBe(0);
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
    expect(processesWith(`127.0.0.1:${localPort}:127.0.0.1:${sim.port}`)).toEqual([]);
  });

  it('closes the tunnel when stopped with SIGTERM (exit 130)', async () => {
    sim = await simulator();
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port), '--email', EMAIL, '--verify', 'device', '--json'], env);
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    const connected = JSON.parse(run.stdout().split('\n').find((line) => line.includes('"connected"'))!);
    const forward = `127.0.0.1:${new URL(connected.baseUrl).port}:127.0.0.1:${sim.port}`;
    expect(processesWith(forward)).toHaveLength(1);
    run.child.kill('SIGTERM');
    const result = await run.result;

    expect(result.code).toBe(130);
    expect(processesWith(forward)).toEqual([]);
  });

  it('reports a refused login as ssh failing to log in (exit 1)', async () => {
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.strangerKey) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ssh could not log in to 127\.0\.0\.1: .*Permission denied/);
  });

  it('reports a host where nothing answers ssh as unreachable (exit 5)', async () => {
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) });
    const run = spawnCli(['--ssh', `127.0.0.1:${await freePort()}`, '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Could not reach 127\.0\.0\.1 over ssh: .*Connection refused/);
  });

  it('says so when ssh logs in but nothing answers on the remote API port (exit 5)', async () => {
    const remotePort = await freePort();
    const env = cliEnv(join(tempDir(), 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) });
    const run = spawnCli(['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(remotePort), '--email', EMAIL], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`ssh reached 127.0.0.1, but nothing answers on 127.0.0.1:${remotePort} there.`);
    expect(result.stderr).toContain('--remote-port');
    expect(processesWith(`:127.0.0.1:${remotePort}`)).toEqual([]);
  });

  it('ends on the tunnel, its host and ssh\'s exit status when the tunnel dies mid set-up (exit 5); a rerun resumes', async () => {
    const { sim, config, keyFile } = await simulatorAndKeyFile();
    const env = cliEnv(config, { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) });
    const args = ['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port), '--email', EMAIL, '--recovery-key-file', keyFile, '--json'];
    const run = spawnCli(args, env);
    // The code is mailed and the sign-in waits for it: now the server's end of the tunnel goes away.
    await run.waitFor('"for":"code"');
    expect(sshd.killSessions()).toBeGreaterThan(0);
    const killed = Date.now();
    const result = await run.result;

    // At once, not after --timeout (10 minutes) of "reconnecting".
    expect(Date.now() - killed).toBeLessThan(10_000);
    expect(result.code, result.stderr).toBe(5);
    const tunnel = `ssh://${USER}@127.0.0.1:${sim.port}`;
    const said = `The ssh tunnel to ${USER}@127.0.0.1:${sshdPort} (${tunnel}) closed: ssh exited with status 255`;
    expect(result.stderr).toContain(said);
    expect(result.stderr).toContain('run the same command again to resume');
    // Not taken for Beeper being unreachable.
    expect(result.stderr).not.toMatch(/Nothing (is listening|answered)|Start Beeper/);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'unreachable', exitCode: 5 });
    expect(result.events.at(-1)!.message).toContain(said);
    expect(mailedCodes(sim)).toHaveLength(1);

    // The rerun opens a new tunnel and continues the pending sign-in with the code: no second mail.
    const rerun = spawnCli(args, env);
    rerun.write(mailedCodes(sim)[0]!);
    const resumed = await rerun.result;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.events.at(-1)).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
    expect(mailedCodes(sim)).toHaveLength(1);

    // status and logout through --ssh use the same token (the key names the API port, not the ssh port).
    const status = await spawnCli(['status', '--json', '--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port)], env).result;
    expect(status.code, status.stderr).toBe(0);
    expect(status.events.at(-1)).toMatchObject({ event: 'status', state: 'ready', tokenSource: 'saved' });
    const logout = await spawnCli(['logout', '--json', '--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port)], env).result;
    expect(logout.events.at(-1)).toEqual({ event: 'logout', key: tunnel, forgotten: true });
    expect(savedTokens(config)).toEqual({});
  });

  it('in the wizard, a tunnel that dies shows the tunnel and its host, and quitting says so again (not "once Beeper answers")', async () => {
    sim = await simulator();
    const work = tempDir();
    const terminal = Terminal.start({
      args: ['--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port)],
      env: { XDG_CONFIG_HOME: join(work, 'config'), BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey) },
    });
    try {
      await terminal.waitFor('Email');
      terminal.type(EMAIL);
      terminal.press('Enter');
      await terminal.waitFor('Check your email');
      expect(sshd.killSessions()).toBeGreaterThan(0);
      const tunnel = `The ssh tunnel to ${USER}@127.0.0.1:${sshdPort} (ssh://${USER}@127.0.0.1:${sim.port}) closed: ssh exited with status 255`;
      await terminal.waitFor('The ssh tunnel closed');
      expect(terminal.text()).toContain(tunnel);
      expect(terminal.text()).toContain('run the same command again to resume');
      expect(terminal.text()).not.toMatch(/try again/);
      terminal.press('C-c');
      expect(await terminal.exitCode()).toBe(130);
      const last = terminal.text();
      expect(last).toContain(`${tunnel} (Connection to 127.0.0.1 closed by remote host).`);
      // The command as it was typed, with the same --ssh, so it works where it is run again.
      expect(last).toMatch(/Run node dist\/cli\.js --ssh \S+ --remote-port \d+ again to resume/);
      expect(last).not.toContain('once Beeper answers');
    } finally {
      terminal.kill();
    }
  });

  it('without a terminal, a host key ssh does not know ends the run at once (exit 5), naming ssh-keyscan and accept-new', async () => {
    const work = tempDir();
    const emptyKnownHosts = join(work, 'known_hosts');
    writeFileSync(emptyKnownHosts, '');
    // ssh's own default: ask about a new host key. Nobody can answer here, so beeper-setup runs it in BatchMode.
    const env = cliEnv(join(work, 'config'), {
      BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey, { knownHosts: emptyKnownHosts, extra: ['-o StrictHostKeyChecking=ask'] }),
    });
    const remotePort = String(await freePort());
    for (const command of [['--email', EMAIL], ['status']]) {
      const started = Date.now();
      // stdin stays open: nothing may wait on it.
      const result = await spawnCli([...command, '--json', '--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', remotePort], env).result;

      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.code, result.stderr).toBe(5);
      expect(result.stderr).toContain('ssh does not know the host key of 127.0.0.1 yet, and without a terminal nobody can confirm it');
      expect(result.stderr).toContain(`ssh-keyscan -p ${sshdPort} 127.0.0.1 >> ~/.ssh/known_hosts`);
      expect(result.stderr).toContain('StrictHostKeyChecking=accept-new');
      expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'unreachable', exitCode: 5 });
      expect(processesWith(`:127.0.0.1:${remotePort}`)).toEqual([]);
    }
    expect(readFileSync(emptyKnownHosts, 'utf8')).toBe('');
  });

  it('opens the tunnel once the host key is known, by ssh-keyscan or by accept-new', async () => {
    sim = await simulator();
    const work = tempDir();
    const scanned = join(work, 'scanned_known_hosts');
    const keyscan = spawnSync('ssh-keyscan', ['-p', String(sshdPort), '-t', 'ed25519', '127.0.0.1'], { encoding: 'utf8' });
    expect(keyscan.status, keyscan.stderr).toBe(0);
    writeFileSync(scanned, keyscan.stdout);
    const accepted = join(work, 'accepted_known_hosts');
    writeFileSync(accepted, '');
    for (const [knownHosts, extra] of [
      [scanned, ['-o StrictHostKeyChecking=ask']],
      [accepted, ['-o StrictHostKeyChecking=accept-new']],
    ] as const) {
      const env = cliEnv(join(work, 'config'), { BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey, { knownHosts, extra: [...extra] }) });
      const result = await spawnCli(['status', '--json', '--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port)], env).result;
      // Not signed in yet: status says so (4), through the tunnel.
      expect(result.code, result.stderr).toBe(4);
      expect(result.events.at(-1)).toMatchObject({ event: 'status', state: 'needs-login' });
    }
    expect(readFileSync(accepted, 'utf8')).toContain(`[127.0.0.1]:${sshdPort} ssh-ed25519 `);
  });

  it('gives ssh no BEEPER_* variable, so a ProxyCommand or SendEnv cannot pass on the recovery key or the token', async () => {
    sim = await simulator();
    const work = tempDir();
    // A ProxyCommand that writes down the environment it got from ssh, then relays the connection to sshd.
    const dump = join(work, 'proxy-env');
    const relay = join(work, 'relay.mjs');
    writeFileSync(
      relay,
      "import { connect } from 'node:net';\n" +
        'const socket = connect(Number(process.argv[3]), process.argv[2]);\n' +
        "process.stdin.pipe(socket).on('error', () => {});\nsocket.pipe(process.stdout);\nsocket.on('error', () => process.exit(1));\n",
    );
    const proxy = join(work, 'proxy.sh');
    writeFileSync(proxy, `#!/bin/sh\nenv > '${dump}'\nexec '${process.execPath}' '${relay}' "$1" "$2"\n`, { mode: 0o755 });
    const secrets = { BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL), BEEPER_ACCESS_TOKEN: 'a-token-that-must-stay-here-1234' };
    const env = cliEnv(join(work, 'config'), {
      ...secrets,
      BEEPER_SETUP_SSH_COMMAND: sshCommand(sshd.userKey, { extra: [`-o ProxyCommand="${proxy} %h %p"`, '-o SendEnv=BEEPER_*'] }),
    });
    const result = await spawnCli(['status', '--json', '--ssh', `${USER}@127.0.0.1:${sshdPort}`, '--remote-port', String(sim.port)], env).result;

    // The tunnel went through the ProxyCommand: Beeper answered (signed out, so "not ready", 4).
    expect(result.code, result.stderr).toBe(4);
    expect(result.events.at(-1)).toMatchObject({ event: 'status', state: 'needs-login', tokenSource: 'env' });
    const seen = readFileSync(dump, 'utf8');
    expect(seen).toMatch(/^PATH=/m);
    expect(seen).not.toMatch(/BEEPER_/);
    for (const value of Object.values(secrets)) expect(seen).not.toContain(value);
  });
});
