/** Where nobody can answer: exit 3 naming what supplies the answer; unreachable: exit 5; usage: exit 2. */
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { scanOutputsAfterEach, CLI, cliEnv, feedCodes, recoveryKeyOf, runCli, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('headless: input that cannot be asked for', () => {
  it('exits 3 naming --email when there is no email and stdin is empty', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url, '--json'], cliEnv(join(tempDir(), 'config')));
    run.end();
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('An email address is needed to sign in.');
    expect(result.stderr).toContain('Pass --email EMAIL.');
    expect(result.events.at(-1)).toEqual({ event: 'error', code: 'input-needed', message: 'An email address is needed to sign in.', exitCode: 3 });
    // Asked for nothing it could not get: no code was mailed.
    expect(sim.control.outbox()).toEqual([]);
  });

  it.each([
    ['/dev/null', '</dev/null'],
    ['closed', '<&-'],
  ])('exits 3 at once when stdin is %s, without prompting', async (_name, redirect) => {
    sim = await simulator();
    const command = `exec "${process.execPath}" "${CLI}" --base-url ${sim.url} --email alice@example.com ${redirect}`;
    // Not spawnSync: the simulator answers from this process's event loop.
    const child = spawn('sh', ['-c', command], { env: cliEnv(join(tempDir(), 'config')), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const result = { status, stderr };

    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain('The sign-in code emailed to alice@example.com is needed, and stdin has nothing to read.');
    expect(result.stderr).not.toContain('Enter the sign-in code');
  });

  it('reads the email from stdin when stdin has it', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url], cliEnv(join(tempDir(), 'config')));
    run.write('alice@example.com');
    run.end();
    const result = await run.result;

    // The code cannot come any more: exit 3, after the email was used.
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Email address of your Beeper account');
    expect(sim.control.outbox().map((message) => message.email)).toEqual(['alice@example.com']);
    expect(result.stderr).toContain('The sign-in code emailed to alice@example.com is needed, and stdin has nothing to read.');
    expect(result.stderr).toContain('or run the same command again with --code CODE: it continues this sign-in.');
  });

  it('a rerun with --code finishes the sign-in the first run mailed a code for', async () => {
    sim = await simulator();
    const config = join(tempDir(), 'config');
    const keyFile = join(tempDir(), 'key.txt');
    writeFileSync(keyFile, `${recoveryKeyOf(sim, 'alice@example.com')}\n`);
    const firstRun = runCli(['--base-url', sim.url, '--email', 'alice@example.com'], cliEnv(config));
    firstRun.end();
    const first = await firstRun.result;
    expect(first.code).toBe(3);
    const code = sim.control.latestCode('alice@example.com')!;

    const second = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--code', code, '--recovery-key-file', keyFile], cliEnv(config));
    second.end();
    const result = await second.result;

    expect(result.code, result.stderr).toBe(0);
    // No second email: the code from the first run was the one used.
    expect(sim.control.outbox()).toHaveLength(1);
    expect(sim.control.requests().filter((request) => request.path === '/v1/app/setup/start')).toHaveLength(1);
    expect(existsSync(join(config, 'beeper-setup', 'pending-sign-ins.json'))).toBe(true);
    expect(readFileSync(join(config, 'beeper-setup', 'pending-sign-ins.json'), 'utf8')).not.toContain('alice@example.com');
  });

  it('exits 3 naming the recovery key sources when the device cannot be verified any way', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, 'alice@example.com', [], true);
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('This device needs to be verified, and there is no way to ask how.');
    expect(result.stderr).toContain('--recovery-key-file PATH, --recovery-key-stdin or BEEPER_RECOVERY_KEY');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'input-needed', exitCode: 3 });
    expect(sim.control.session().state).toBe('needs-verification');
  });

  it('exits 3 when --recovery-key-stdin finds stdin at its end', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--recovery-key-stdin'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, 'alice@example.com', [], true);
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Pass --recovery-key-file PATH, --recovery-key-stdin, or set BEEPER_RECOVERY_KEY.');
  });

  it('exits 5 when nothing answers at the base URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = runCli(['--base-url', url, '--email', 'alice@example.com', '--json'], cliEnv(join(tempDir(), 'config')));
    run.end();
    const result = await run.result;

    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`Nothing answered at ${url}.`);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'unreachable', exitCode: 5 });
  });

  it('refuses --print-token together with --json (exit 2)', async () => {
    const run = runCli(['--base-url', 'http://127.0.0.1:9', '--json', '--print-token'], cliEnv(join(tempDir(), 'config')));
    run.end();
    const result = await run.result;

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--print-token cannot be combined with --json');
  });
});

describe('headless: problems caught before anything is sent', () => {
  it('a base URL that cannot work is a usage error (exit 2), reported as a --json event too', async () => {
    const run = runCli(['status', '--base-url', '127.0.0.1:23373', '--json'], cliEnv(join(tempDir(), 'config')));
    run.end();
    const result = await run.result;
    expect(result.code).toBe(2);
    expect(result.events).toEqual([{ event: 'error', code: 'usage', message: '"127.0.0.1:23373" is not a Beeper API address.', exitCode: 2 }]);
    expect(result.stderr).toContain('http://HOST:PORT');
  });

  it('an unusable recovery key file stops the run before a code is mailed', async () => {
    sim = await simulator();
    const dir = tempDir();
    const typo = join(dir, 'typo.txt');
    writeFileSync(typo, 'EsSZ ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1\n');
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, 'x'.repeat(10_000));
    for (const [file, message] of [
      [typo, 'its check digit does not match'],
      [huge, 'too large to be a recovery key file'],
      [join(dir, 'missing.txt'), 'there is no such file'],
    ] as const) {
      const run = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--recovery-key-file', file], cliEnv(join(dir, 'config')));
      run.end();
      const result = await run.result;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(message);
    }
    expect(sim.control.outbox()).toEqual([]);
  });

  it('a new-key file in a folder that does not exist is refused before the server makes a key', async () => {
    sim = await simulator();
    const dir = tempDir();
    const config = join(dir, 'config');
    const run = runCli(
      ['--base-url', sim.url, '--email', 'alice@example.com', '--reset-recovery-key', '--new-recovery-key-file', join(dir, 'nodir', 'new.txt')],
      cliEnv(config),
    );
    feedCodes(sim, run, 'alice@example.com', [], true);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('its folder does not exist');
    expect(sim.control.requests().filter((request) => request.path.includes('recovery-key/reset'))).toEqual([]);
  });

  it('a web server that is not Beeper is named as such (exit 5), not as an old Beeper', async () => {
    const server = createHttpServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      for (const args of [['--email', 'alice@example.com'], ['status']]) {
        const run = runCli([...args, '--base-url', url, '--json'], cliEnv(join(tempDir(), 'config')));
        run.end();
        const result = await run.result;
        expect(result.code, result.stderr).toBe(5);
        expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'not-beeper' });
        expect(result.stderr).not.toContain('Update Beeper');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
