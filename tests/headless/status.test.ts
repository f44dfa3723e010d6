/** `status [--json]` exit codes, --print-token, and `logout`. */
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { explainProblem } from '../../src/wording/problems.js';
import { scanOutputsAfterEach, cliEnv, feedCodes, recoveryKeyOf, runCli, savedTokens, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
let sim: RunningSimulator | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function finished(args: string[], env: NodeJS.ProcessEnv) {
  const run = runCli(args, env);
  run.end();
  return run.result;
}

/** Runs setup to ready with the recovery key; returns the config folder and the printed token. */
async function setUp(sim: RunningSimulator) {
  const dir = tempDir();
  const config = join(dir, 'config');
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, recoveryKeyOf(sim, EMAIL));
  const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile, '--print-token'], cliEnv(config));
  feedCodes(sim, run, EMAIL, [], true);
  const result = await run.result;
  expect(result.code, result.stderr).toBe(0);
  return { config, result };
}

describe('status, --print-token and logout', () => {
  it('prints BEEPER_ACCESS_TOKEN=… on stdout at the end, the same token that was saved', async () => {
    sim = await simulator();
    const { config, result } = await setUp(sim);
    const token = savedTokens(config)[sim.url];
    expect(token).toMatch(/^syt_/);
    expect(result.stdout).toBe(`BEEPER_ACCESS_TOKEN=${token}\n`);
    expect(result.stderr).not.toContain(token!);
  });

  it('status --json: 0 when ready, with who and which device', async () => {
    sim = await simulator();
    const { config } = await setUp(sim);
    const result = await finished(['status', '--json', '--base-url', sim.url], cliEnv(config));

    expect(result.code).toBe(0);
    expect(result.events).toEqual([
      {
        event: 'status',
        state: 'ready',
        ready: true,
        baseUrl: sim.url,
        app: 'Beeper Server',
        version: expect.any(String),
        userID: '@alice:beeper.com',
        deviceID: sim.control.session().matrix!.deviceID,
        homeserver: 'https://matrix.beeper.com',
        verification: null,
        tokenSource: 'saved',
      },
    ]);
  });

  it('status says on stderr which permissions it put right, and keeps stdout for the report', async () => {
    sim = await simulator();
    const { config } = await setUp(sim);
    chmodSync(join(config, 'beeper-setup', 'tokens.json'), 0o644);
    const result = await finished(['status', '--base-url', sim.url], cliEnv(config));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Fixed permissions: .*tokens\.json.*\./);
    expect(result.stdout).not.toContain('Fixed permissions');
    expect(statSync(join(config, 'beeper-setup', 'tokens.json')).mode & 0o777).toBe(0o600);
  });

  it('status: 4 when not signed in, and shows a verification in progress', async () => {
    sim = await simulator();
    const config = join(tempDir(), 'config');
    const signedOut = await finished(['status', '--json', '--base-url', sim.url], cliEnv(config));
    expect(signedOut.code).toBe(4);
    expect(signedOut.events[0]).toMatchObject({ event: 'status', state: 'needs-login', ready: false, userID: null });

    // Signed in elsewhere with a verification running; the env token lets status see it.
    const token = await signInDirectly(sim);
    sim.control.otherDevice('request');
    const plain = await finished(['status', '--base-url', sim.url], cliEnv(config, { BEEPER_ACCESS_TOKEN: token }));
    expect(plain.code).toBe(4);
    // The report is the command's output: stdout.
    expect(plain.stdout).toContain('signed in; this device is not verified yet (needs-verification)');
    expect(plain.stdout).toContain('verification in progress: requested, incoming, with Pixel 8');
    expect(plain.stdout + plain.stderr).not.toContain(token);
  });

  it('status: 5 when nothing answers', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await finished(['status', '--json', '--base-url', `http://127.0.0.1:${port}`], cliEnv(join(tempDir(), 'config')));

    expect(result.code).toBe(5);
    expect(result.events).toEqual([{ event: 'error', code: 'unreachable', message: `Nothing answered at http://127.0.0.1:${port}.`, exitCode: 5 }]);
    expect(result.stderr).toContain('--base-url');
  });

  it('status: a Beeper build without terminal setup says so in the words setup uses (exit 1)', async () => {
    sim = await simulator({ legacyBuild: true });
    const result = await finished(['status', '--json', '--base-url', sim.url], cliEnv(join(tempDir(), 'config')));
    const words = explainProblem({ kind: 'unsupported-build', message: '', status: 404 }, { baseUrl: sim.url });
    expect(result.code).toBe(1);
    expect(result.events).toEqual([{ event: 'error', code: 'unsupported-build', message: words.message, exitCode: 1 }]);
    expect(result.stderr).toContain(words.fix);
  });

  it('logout forgets the saved token and says whether one was stored', async () => {
    sim = await simulator();
    const { config } = await setUp(sim);
    expect(savedTokens(config)[sim.url]).toBeDefined();

    const first = await finished(['logout', '--base-url', sim.url], cliEnv(config));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Forgot the access token saved for ${sim.url}.`);
    expect(savedTokens(config)[sim.url]).toBeUndefined();

    const second = await finished(['logout', '--json', '--base-url', sim.url], cliEnv(config));
    expect(second.code).toBe(0);
    expect(second.events).toEqual([{ event: 'logout', key: sim.url, forgotten: false }]);

    // Without the token, status cannot see the signed-in app's state.
    const status = await finished(['status', '--json', '--base-url', sim.url], cliEnv(config));
    expect(status.code).toBe(4);
    expect(status.events[0]).toMatchObject({ event: 'status', state: null, token: 'missing' });
  });
});

async function signInDirectly(sim: RunningSimulator): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sim.url}/v1/app/setup${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.status === 204 ? undefined : ((await response.json()) as any);
  };
  const { setupRequestID } = await post('/start', {});
  await post('/email', { setupRequestID, email: EMAIL });
  const answer = await post('/response', { setupRequestID, response: sim.control.latestCode(EMAIL) });
  // Past initializing (30 ms here) before the other device may ask.
  await vi.waitFor(() => expect(sim.control.session().state).not.toBe('initializing'), { interval: 10 });
  return answer.matrix.accessToken as string;
}
