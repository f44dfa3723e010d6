/**
 * examples/ansible against three simulators as three inventory hosts:
 * - beeper-1 and beeper-2 in the default controller mode: reachable only as the real, throwaway sshd of
 *   tests/ssh/sshd.ts (ansible_host/ansible_port/ansible_user), each simulator on its own remote port.
 *   That sshd runs /bin/false for any command, so if anything (an Ansible module, a remote beeper-setup)
 *   ran on these "hosts", it would fail: the controller's node is the only Node involved.
 * - beeper-3 in on_host mode (connection: local), with the package `npm pack` makes, unpacked by the role.
 * A --check run on fresh servers changes nothing; the first run sets all three up (one code mailed each,
 * fetched by a "mailbox" command on the controller); the second finds them ready: ok, changed=0, no mail.
 * Needs ansible-playbook (Debian: apt-get install ansible-core) and sshd; skipped with a message without them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSHD, startSshd, type Sshd } from '../ssh/sshd.js';
import { cleanEnv, findAnsiblePlaybook, parseRecap, runPlaybook, type PlaybookRun, type SimulatorProcess, startSimulatorProcess } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLAYBOOK = join(ROOT, 'examples/ansible/playbook.yml');
const SIM_CODE = join(ROOT, 'tests/ansible/sim-code.py');
const EMAIL = 'alice@example.com';
const USER = userInfo().username;
const HOSTS = ['beeper-1', 'beeper-2', 'beeper-3'] as const;
const THROUGH_SSH = ['beeper-1', 'beeper-2'] as const;

const ansible = findAnsiblePlaybook();
if (!ansible) console.warn('ansible-playbook not found: install ansible-core (apt-get install ansible-core) to run the Ansible example test');
if (!SSHD) console.warn('tests/ansible/playbook.test.ts skipped: no sshd found (install openssh-server to run it).');

describe.skipIf(!ansible || !SSHD)('examples/ansible: two Beeper Servers through ssh from the controller, one on_host', () => {
  let dir = '';
  let tarball = '';
  let env: NodeJS.ProcessEnv = {};
  let sshd: Sshd | undefined;
  const sims: SimulatorProcess[] = [];
  const keys: string[] = [];
  let firstRun: PlaybookRun | undefined;
  const timings: string[] = [];

  const playbook = (...extra: string[]) =>
    runPlaybook(['-i', join(dir, 'inventory.yml'), '--vault-password-file', join(dir, 'vault-password'), ...extra, PLAYBOOK], {
      cwd: dir,
      env,
      timeoutMs: 110_000,
    });
  const outboxes = () => Promise.all(sims.map(async (sim) => (await sim.get<{ messages: { code: string; at: number }[] }>('/_sim/outbox')).messages));
  const states = () => Promise.all(sims.map(async (sim) => (await sim.get<{ state: string }>('/_sim/session')).state));
  const show = (run: PlaybookRun) => `ansible-playbook exited ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  const remotePort = (i: number) => new URL(sims[i]!.url).port;
  const eventsOf = (host: string) =>
    readFileSync(join(dir, 'logs', `${host}.ndjson`), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, any>);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beeper-ansible-'));
    for (const sub of ['bin', 'keys', 'host_vars', 'logs', 'tmp', 'ansible-tmp/local', 'ansible-tmp/remote']) mkdirSync(join(dir, sub), { recursive: true });
    // A snapshot of the CLI (its entry and chunks): others may rebuild dist/ while this runs.
    cpSync(join(ROOT, 'dist'), join(dir, 'bin'), { recursive: true });
    const cli = join(dir, 'bin/cli.js');
    // And the package as `npm pack` makes it, for the on_host host that has the role install it (dist/ is there).
    const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

    const [startedSshd, ...started] = await Promise.allSettled([startSshd({ forceCommand: '/bin/false' }), ...HOSTS.map(() => startSimulatorProcess(cli))]);
    if (startedSshd!.status === 'fulfilled') sshd = startedSshd!.value;
    for (const result of started) if (result.status === 'fulfilled') sims.push(result.value);
    for (const result of [startedSshd!, ...started]) if (result.status === 'rejected') throw result.reason;
    for (const sim of sims) {
      const { accounts } = await sim.get<{ accounts: { email: string; recoveryKey: string }[] }>('/_sim/accounts');
      keys.push(accounts.find((account) => account.email === EMAIL)!.recoveryKey);
    }

    // beeper-1 and beeper-3: the recovery key from a file on the controller. beeper-2: from Ansible Vault.
    writeFileSync(join(dir, 'keys/beeper-1'), `${keys[0]}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'keys/beeper-3'), `${keys[2]}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'vault-password'), 'not-a-real-vault-password\n', { mode: 0o600 });
    const vaulted = spawnSync(
      'ansible-vault',
      ['encrypt_string', '--vault-password-file', join(dir, 'vault-password'), '--stdin-name', 'beeper_recovery_key'],
      { input: keys[1], encoding: 'utf8', env: cleanEnv({ ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp/local') }) },
    );
    expect(vaulted.status, vaulted.stderr).toBe(0);
    expect(vaulted.stdout).toContain('!vault');
    writeFileSync(join(dir, 'host_vars/beeper-2.yml'), `---\n${vaulted.stdout}`);

    const throughSsh = (i: number) => ({
      ansible_host: '127.0.0.1',
      ansible_port: sshd!.port,
      ansible_user: USER,
      // Used by the role's tunnel (as ssh -i), and by Ansible's own connection if anything ever ran on the host.
      ansible_ssh_private_key_file: sshd!.userKey,
      beeper_setup_remote_port: Number(remotePort(i)),
      beeper_setup_command: [process.execPath, cli],
    });
    const inventory = {
      beeper_servers: {
        vars: {
          beeper_setup_email: EMAIL,
          beeper_setup_node: process.execPath,
          // The host key checked strictly against what ssh-keyscan would have written (the README's quick start).
          beeper_setup_ssh_command: `ssh -F /dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${sshd!.knownHosts} -o GlobalKnownHostsFile=/dev/null -o LogLevel=ERROR`,
          // The "mailbox": prints the code the simulator mailed (see sim-code.py).
          beeper_setup_code_command: `{{ ansible_playbook_python | quote }} ${SIM_CODE}`,
          beeper_setup_code_delay: 1,
          beeper_setup_log_dir: join(dir, 'logs'),
          beeper_setup_timeout: '60s',
        },
        hosts: {
          // The token (and a pending sign-in) are saved here on the controller, not in the user's ~/.config.
          'beeper-1': { ...throughSsh(0), beeper_recovery_key_file: join(dir, 'keys/beeper-1'), beeper_setup_environment: { XDG_CONFIG_HOME: join(dir, 'config/beeper-1') } },
          'beeper-2': { ...throughSsh(1), beeper_setup_environment: { XDG_CONFIG_HOME: join(dir, 'config/beeper-2') } },
          'beeper-3': {
            beeper_setup_mode: 'on_host',
            ansible_connection: 'local',
            ansible_python_interpreter: '{{ ansible_playbook_python }}',
            beeper_base_url: sims[2]!.url,
            beeper_recovery_key_file: join(dir, 'keys/beeper-3'),
            beeper_setup_install_src: tarball,
            beeper_setup_install_dest: join(dir, 'installed/beeper-3'),
            beeper_setup_environment: { XDG_CONFIG_HOME: join(dir, 'config/beeper-3') },
          },
        },
      },
    };
    writeFileSync(join(dir, 'inventory.yml'), `${JSON.stringify(inventory, null, 2)}\n`);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n');

    env = cleanEnv({
      ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      ANSIBLE_STDOUT_CALLBACK: 'default',
      ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp/local'),
      ANSIBLE_REMOTE_TEMP: join(dir, 'ansible-tmp/remote'),
      // Where the role's private key folders go (the controller's for beeper-2, the "host's" for beeper-3).
      TMPDIR: join(dir, 'tmp'),
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.stop()));
    sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (timings.length) console.info(`ansible example: ${timings.join(', ')}`);
  });

  it('syntax-checks the playbook and every task file of the role', () => {
    // include_role is dynamic, so --syntax-check of the playbook alone does not read the role's task files.
    const tasks = ['target', 'check', 'setup', 'code', 'report'].map((file) => `    - ansible.builtin.import_role: {name: beeper_setup, tasks_from: ${file}}`);
    writeFileSync(join(dir, 'role-tasks.yml'), ['- hosts: all', '  gather_facts: false', '  tasks:', ...tasks, ''].join('\n'));
    const checkEnv = { ...env, ANSIBLE_ROLES_PATH: join(ROOT, 'examples/ansible/roles') };
    for (const target of [PLAYBOOK, join(dir, 'role-tasks.yml')]) {
      const check = spawnSync('ansible-playbook', ['--syntax-check', '-i', join(dir, 'inventory.yml'), '--vault-password-file', join(dir, 'vault-password'), target], {
        cwd: dir,
        env: checkEnv,
        encoding: 'utf8',
      });
      expect(check.status, `${target}\n${check.stdout}\n${check.stderr}`).toBe(0);
    }
  });

  it('--check on servers that are not set up changes nothing and mails nothing', async () => {
    // beeper-3 is left out: on_host with beeper_setup_install_src has no beeper-setup to ask until a real run unpacks it.
    const run = await playbook('--check', '--limit', THROUGH_SSH.join(','));
    timings.push(`--check ${run.ms} ms`);
    expect(run.code, show(run)).toBe(0);
    const recap = parseRecap(run.stdout);
    for (const host of THROUGH_SSH) {
      expect(recap[host], show(run)).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
      expect(run.stdout).toContain(`${host}: Beeper is needs-login; a real run would set it up.`);
    }
    expect((await outboxes()).map((messages) => messages.length)).toEqual([0, 0, 0]);
    expect(await states()).toEqual(['needs-login', 'needs-login', 'needs-login']);
    expect(existsSync(join(dir, 'config'))).toBe(false);
  }, 120_000);

  it('first run: sets up all three (changed), through one ssh tunnel each for beeper-1 and -2, one code mailed each, no secret in the output', async () => {
    const run = (firstRun = await playbook('-vvv'));
    timings.push(`first run ${run.ms} ms`);
    expect(run.code, show(run)).toBe(0);

    const recap = parseRecap(run.stdout);
    for (const host of HOSTS) {
      expect(recap[host], show(run)).toMatchObject({ failed: 0, unreachable: 0 });
      expect(recap[host]!.changed, show(run)).toBeGreaterThan(0);
      expect(run.stdout).toMatch(new RegExp(`${host}: ready as @alice:beeper\\.com on device [A-Z]+ \\(set up now\\)`));
    }

    // One code per host: the rerun continued the pending sign-in instead of mailing another.
    const mail = await outboxes();
    expect(mail.map((messages) => messages.length)).toEqual([1, 1, 1]);
    expect(await states()).toEqual(['ready', 'ready', 'ready']);
    // Side by side (the codes come from a script): every host's code was mailed before any host's code was
    // entered. One host at a time, a host would be mailed only once the one before it was ready.
    const entered = await Promise.all(
      sims.map(async (sim) => (await sim.get<{ requests: { method: string; path: string; startedAt: number }[] }>('/_sim/requests')).requests),
    );
    const firstEntered = Math.min(...entered.flat().filter((request) => request.method === 'POST' && request.path.endsWith('/response')).map((request) => request.startedAt));
    expect(Math.max(...mail.flat().map((message) => message.at))).toBeLessThan(firstEntered);

    for (const [i, host] of THROUGH_SSH.entries()) {
      // beeper-setup ran on the controller and reached the simulator through the tunnel, not at its own address.
      const events = eventsOf(host);
      const connected = events.filter((event) => event.event === 'connected');
      expect(connected.length).toBeGreaterThan(0);
      for (const event of connected) {
        expect(event.via).toBe(`ssh://${USER}@127.0.0.1:${remotePort(i)}`);
        expect(event.baseUrl).not.toBe(sims[i]!.url);
      }
      expect(events.find((event) => event.event === 'error')).toMatchObject({ code: 'input-needed' });
      expect(events.at(-1)).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
      // The token is kept on the controller, under the tunnel's key.
      const tokens = JSON.parse(readFileSync(join(dir, 'config', host, 'beeper-setup/tokens.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(tokens)).toEqual([`ssh://${USER}@127.0.0.1:${remotePort(i)}`]);
    }

    // beeper-3 ran on the "host", from the package the role unpacked there.
    expect(existsSync(join(dir, 'installed/beeper-3/package/dist/cli.js'))).toBe(true);
    expect(run.stdout).toContain(join(dir, 'installed/beeper-3/package/dist/cli.js'));
    expect(eventsOf('beeper-3').at(-1)).toMatchObject({ event: 'ready' });
    const tokens3 = JSON.parse(readFileSync(join(dir, 'config/beeper-3/beeper-setup/tokens.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(tokens3)).toEqual([sims[2]!.url]);

    // The private key folders (beeper-2's vaulted key on the controller, beeper-3's copy) are gone; beeper-1's
    // key file was read where it is.
    expect(readdirSync(join(dir, 'tmp')).filter((name) => name.startsWith('beeper-setup.'))).toEqual([]);
    expect(readFileSync(join(dir, 'keys/beeper-1'), 'utf8')).toBe(`${keys[0]}\n`);

    // Neither the recovery keys nor the codes show up, even with -vvv (module arguments, commands).
    const output = run.stdout + run.stderr;
    for (const key of keys) {
      expect(output).not.toContain(key);
      expect(output).not.toContain(key.replace(/\s+/g, ''));
    }
    // (Not as part of a longer number, nor as the fraction of a timestamp or duration.)
    for (const { code } of mail.flat()) expect(output).not.toMatch(new RegExp(`(?<![\\d.:])${code}(?!\\d)`));
  }, 120_000);

  it('second run: all three ok with changed=0, and no code is mailed', async () => {
    expect(firstRun?.code, 'the first run must have passed').toBe(0);
    const before = await outboxes();

    const run = await playbook();
    timings.push(`second run ${run.ms} ms`);
    expect(run.code, show(run)).toBe(0);
    const recap = parseRecap(run.stdout);
    for (const host of HOSTS) {
      expect(recap[host], show(run)).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
      expect(recap[host]!.ok).toBeGreaterThan(0);
      expect(run.stdout).toMatch(new RegExp(`${host}: ready as @alice:beeper\\.com on device [A-Z]+ \\(already set up\\)`));
    }
    expect(run.stdout).toMatch(/Set up Beeper on the hosts that are not ready \(codes from a script\)[\s\S]*skipping: no hosts matched/);
    expect(await outboxes()).toEqual(before);
  }, 120_000);
});
