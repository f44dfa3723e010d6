/**
 * examples/ansible against two simulators, as two inventory hosts on `connection: local`:
 * the first run sets both up (each mails one code, fetched by a "mailbox" command on the controller),
 * the second run finds both ready with `status --json`: ok, changed=0, nothing mailed.
 * Needs ansible-playbook (Debian: apt-get install ansible-core); skipped with a message without it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, findAnsiblePlaybook, parseRecap, runPlaybook, type PlaybookRun, type SimulatorProcess, startSimulatorProcess } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLAYBOOK = join(ROOT, 'examples/ansible/playbook.yml');
const SIM_CODE = join(ROOT, 'tests/ansible/sim-code.py');
const EMAIL = 'alice@example.com';
const HOSTS = ['beeper-1', 'beeper-2'] as const;

const ansible = findAnsiblePlaybook();
if (!ansible) {
  console.warn('ansible-playbook not found: install ansible-core (apt-get install ansible-core) to run the Ansible example test');
}

describe.skipIf(!ansible)('examples/ansible: two Beeper Servers (simulators) on connection: local', () => {
  let dir = '';
  let tarball = '';
  let env: NodeJS.ProcessEnv = {};
  const sims: SimulatorProcess[] = [];
  const keys: string[] = [];
  let firstRun: PlaybookRun | undefined;

  const playbook = (...extra: string[]) =>
    runPlaybook(['-i', join(dir, 'inventory.yml'), '--vault-password-file', join(dir, 'vault-password'), ...extra, PLAYBOOK], {
      cwd: dir,
      env,
      timeoutMs: 110_000,
    });
  const outboxes = () => Promise.all(sims.map(async (sim) => (await sim.get<{ messages: { code: string }[] }>('/_sim/outbox')).messages));
  const show = (run: PlaybookRun) => `ansible-playbook exited ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beeper-ansible-'));
    for (const sub of ['bin', 'keys', 'host_vars', 'logs', 'host-tmp', 'ansible-tmp/local', 'ansible-tmp/remote']) mkdirSync(join(dir, sub), { recursive: true });
    // A snapshot of the CLI (its entry and chunks): others may rebuild dist/ while this runs.
    cpSync(join(ROOT, 'dist'), join(dir, 'bin'), { recursive: true });
    const cli = join(dir, 'bin/cli.js');
    // And the package as `npm pack` makes it, for the host that has the role install it (no build: dist/ is there).
    const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);

    const started = await Promise.allSettled(HOSTS.map(() => startSimulatorProcess(cli)));
    for (const result of started) if (result.status === 'fulfilled') sims.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    for (const sim of sims) {
      const { accounts } = await sim.get<{ accounts: { email: string; recoveryKey: string }[] }>('/_sim/accounts');
      keys.push(accounts.find((account) => account.email === EMAIL)!.recoveryKey);
    }

    // beeper-1: the recovery key from a file on the controller. beeper-2: from Ansible Vault.
    writeFileSync(join(dir, 'keys/beeper-1'), `${keys[0]}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'vault-password'), 'not-a-real-vault-password\n', { mode: 0o600 });
    const vaulted = spawnSync(
      'ansible-vault',
      ['encrypt_string', '--vault-password-file', join(dir, 'vault-password'), '--stdin-name', 'beeper_recovery_key'],
      { input: keys[1], encoding: 'utf8', env: cleanEnv({ ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp/local') }) },
    );
    expect(vaulted.status, vaulted.stderr).toBe(0);
    expect(vaulted.stdout).toContain('!vault');
    writeFileSync(join(dir, 'host_vars/beeper-2.yml'), `---\n${vaulted.stdout}`);

    const inventory = {
      beeper_servers: {
        vars: {
          ansible_connection: 'local',
          ansible_python_interpreter: '{{ ansible_playbook_python }}',
          beeper_setup_email: EMAIL,
          beeper_setup_node: process.execPath,
          // The "mailbox": prints the code the simulator mailed (BEEPER_SETUP_BASE_URL, BEEPER_SETUP_EMAIL).
          beeper_setup_code_command: `{{ ansible_playbook_python | quote }} ${SIM_CODE}`,
          beeper_setup_code_delay: 1,
          beeper_setup_log_dir: join(dir, 'logs'),
          beeper_setup_timeout: '60s',
        },
        hosts: Object.fromEntries(
          HOSTS.map((host, i) => [
            host,
            {
              beeper_base_url: sims[i]!.url,
              // The token (and a pending sign-in) are saved here, not in the user's ~/.config.
              beeper_setup_environment: { XDG_CONFIG_HOME: join(dir, 'config', host) },
              // beeper-1 runs the snapshot in place; beeper-2 gets the packed tarball unpacked by the role.
              ...(host === 'beeper-1'
                ? { beeper_recovery_key_file: join(dir, 'keys/beeper-1'), beeper_setup_command: [process.execPath, cli] }
                : { beeper_setup_install_src: tarball, beeper_setup_install_dest: join(dir, 'installed', host) }),
            },
          ]),
        ),
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
      // The "hosts'" temporary folder: where the recovery key is copied for the run.
      TMPDIR: join(dir, 'host-tmp'),
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.stop()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('syntax-checks the playbook and every task file of the role', () => {
    // include_role is dynamic, so --syntax-check of the playbook alone does not read the role's task files.
    const tasks = ['check', 'setup', 'code', 'report'].map((file) => `    - ansible.builtin.import_role: {name: beeper_setup, tasks_from: ${file}}`);
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

  it('first run: sets up both hosts (changed), one code mailed each, no secret in the output', async () => {
    const run = (firstRun = await playbook('-vvv'));
    expect(run.code, show(run)).toBe(0);

    const recap = parseRecap(run.stdout);
    for (const host of HOSTS) {
      expect(recap[host], show(run)).toMatchObject({ failed: 0, unreachable: 0 });
      expect(recap[host]!.changed, show(run)).toBeGreaterThan(0);
      expect(run.stdout).toMatch(new RegExp(`${host}: ready as @alice:beeper\\.com on device [A-Z]+ \\(set up now\\)`));
    }

    // beeper-2 ran the package the role unpacked, not the snapshot.
    expect(existsSync(join(dir, 'installed', 'beeper-2', 'package', 'dist', 'cli.js'))).toBe(true);
    expect(run.stdout).toContain(join(dir, 'installed', 'beeper-2', 'package', 'dist', 'cli.js'));

    // One code per host: the rerun continued the pending sign-in instead of mailing another.
    const mail = await outboxes();
    expect(mail.map((messages) => messages.length)).toEqual([1, 1]);

    // Both simulators are ready, with the token saved in each host's private config folder.
    for (const [i, host] of HOSTS.entries()) {
      const session = await sims[i]!.get<{ state: string }>('/_sim/session');
      expect(session.state).toBe('ready');
      const tokens = JSON.parse(readFileSync(join(dir, 'config', host, 'beeper-setup/tokens.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(tokens)).toEqual([sims[i]!.url]);

      // The NDJSON was captured: the first run stopped at the code, the rerun ended ready.
      const events = readFileSync(join(dir, 'logs', `${host}.ndjson`), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { event: string; code?: string });
      expect(events.find((event) => event.event === 'error')).toMatchObject({ code: 'input-needed' });
      const ready = events.findIndex((event) => event.event === 'ready');
      expect(events[ready]).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
      expect(events.slice(ready).filter((event) => event.event === 'error')).toEqual([]);
    }

    // The recovery keys were copied to the hosts for the run only.
    expect(readdirSync(join(dir, 'host-tmp')).filter((name) => name.startsWith('beeper-setup.'))).toEqual([]);

    // Neither the recovery keys nor the codes show up, even with -vvv (module arguments, remote commands).
    const output = run.stdout + run.stderr;
    for (const key of keys) {
      expect(output).not.toContain(key);
      expect(output).not.toContain(key.replace(/\s+/g, ''));
    }
    // (Not as part of a longer number, nor as the fraction of a timestamp or duration.)
    for (const { code } of mail.flat()) expect(output).not.toMatch(new RegExp(`(?<![\\d.:])${code}(?!\\d)`));
  }, 120_000);

  it('second run: both hosts ok with changed=0, and no code is mailed', async () => {
    expect(firstRun?.code, 'the first run must have passed').toBe(0);
    const before = await outboxes();

    const run = await playbook();
    expect(run.code, show(run)).toBe(0);
    const recap = parseRecap(run.stdout);
    for (const host of HOSTS) {
      expect(recap[host], show(run)).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
      expect(recap[host]!.ok).toBeGreaterThan(0);
      expect(run.stdout).toMatch(new RegExp(`${host}: ready as @alice:beeper\\.com on device [A-Z]+ \\(already set up\\)`));
    }
    expect(run.stdout).toMatch(/Set up Beeper on the hosts that are not ready[\s\S]*skipping: no hosts matched/);
    expect(await outboxes()).toEqual(before);
    console.info(`ansible example: first run ${firstRun!.ms} ms, second run ${run.ms} ms`);
  }, 120_000);
});
