/**
 * Headless against a hostile or broken world: plain HTTP beyond loopback, a
 * server that answers with terminal escapes, a connection dropped mid-call, a
 * session replaced under the run, a proxy's HTML 502, something that is not
 * Beeper, stop signals, and a token file others could read.
 */
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, feedCodes, recoveryKeyOf, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();


const EMAIL = 'alice@example.com';
/** ESC, BEL or an 8-bit control: anything a terminal would act on rather than print. */
const TERMINAL_CONTROL = /[\u0007\u001b\u0080-\u009f]/;

function keyFileFor(dir: string, key: string): string {
  const path = join(dir, 'key.txt');
  writeFileSync(path, key, { mode: 0o600 });
  return path;
}

describe('plain HTTP beyond this machine', () => {
  it('is a usage error before any request, naming --ssh, https:// and --allow-insecure-http', async () => {
    const run = runCli(['--base-url', 'http://192.0.2.2:9', '--email', 'a@b.c', '--json'], cliEnv(join(tempDir(), 'config')));
    const result = await run.result;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ssh');
    expect(result.stderr).toContain('https://');
    expect(result.stderr).toContain('--allow-insecure-http');
    expect(result.stderr).not.toContain('Connecting');
    expect(result.events).toEqual([expect.objectContaining({ event: 'error', code: 'usage', exitCode: 2 })]);
  });

  it('--allow-insecure-http goes on with a warning that names what travels in clear', async () => {
    const run = runCli(['--base-url', 'http://192.0.2.2:9', '--allow-insecure-http', '--timeout', '1s', '--email', 'a@b.c'], cliEnv(join(tempDir(), 'config')), { scale: 1 });
    run.end();
    const result = await run.result;
    expect(result.stderr).toContain('Warning: http://192.0.2.2:9 is plain HTTP to another machine. The sign-in code, your recovery key and the access token travel unencrypted');
    expect([4, 5]).toContain(result.code);
  });
});

describe('a user name and password in the address', () => {
  const withPassword = (url: string) => url.replace('http://', 'http://alice:s3cretpass@');

  it.each([
    ['--base-url', []],
    ['BEEPER_BASE_URL', ['status']],
    ['BEEPER_BASE_URL', ['logout']],
    ['--base-url', ['status', '--json']],
  ] as const)('from %s (%s) is a usage error that never prints them, before any request', async (from, command) => {
    const sim = await simulator();
    const url = withPassword(sim.url);
    const args = [...command, ...(from === '--base-url' ? ['--base-url', url] : []), ...(command.length ? [] : ['--email', 'a@b.c'])];
    const env = cliEnv(join(tempDir(), 'config'), from === 'BEEPER_BASE_URL' ? { BEEPER_BASE_URL: url } : {});
    const run = runCli(args, env);
    run.end();
    const result = await run.result;
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout + result.stderr).not.toMatch(/s3cretpass|alice/);
    expect(result.stderr).toContain(`holds a user name or password`);
    expect(result.stderr).toContain(`${from === '--base-url' ? '--base-url ' : 'BEEPER_BASE_URL='}${sim.url}`);
    expect(sim.control.requests()).toEqual([]);
  });

  it('is refused even when the address is not a URL at all', async () => {
    const run = runCli(['--base-url', 'ftp://alice:s3cretpass@[bad', '--email', 'a@b.c'], cliEnv(join(tempDir(), 'config')));
    const result = await run.result;
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/s3cretpass|alice/);
  });
});

describe('a server that answers with terminal escapes', () => {
  it('reaches neither stderr nor the --json events: names, messages and emojis come out plain', async () => {
    const sim = await simulator({ hostileText: true, autoOtherDevice: true });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"for":"emoji-match"');
    run.write('no');
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Pixel 8 ?x/);
    expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
    // JSON.stringify leaves C1 raw; the events escape it, so the raw stream never holds one.
    expect(result.stdout).not.toMatch(TERMINAL_CONTROL);
    expect(result.events.find((event) => event.event === 'connected')).toMatchObject({ app: expect.stringMatching(/^Beeper Server ?x/) });
  });
});

describe('connections and sessions that change under the run', () => {
  it('a dropped POST is not "unreachable": the state is re-read and the run goes on', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFileFor(dir, recoveryKeyOf(sim, EMAIL)), '--json'], cliEnv(join(dir, 'config')));
    await run.waitFor('"for":"code"');
    // The code's POST loses its connection before Beeper answers.
    sim.control.setFaults({ dropConnections: 1 });
    run.write(sim.control.latestCode(EMAIL)!);
    await run.waitFor('"code":"connection-lost"');
    await run.waitFor(/"for":"code".*\n.*\n?[\s\S]*"for":"code"/);
    run.write(sim.control.latestCode(EMAIL)!);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('The connection to Beeper dropped before it answered');
    expect(result.stderr).not.toContain('Start Beeper Desktop or Beeper Server');
  });

  it('a session replaced under the run says so, and answers from flags are used again', async () => {
    const sim = await simulator({ timings: { firstSyncMs: 1500 } });
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFileFor(dir, recoveryKeyOf(sim, EMAIL)), '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"state":"needs-first-sync"');
    sim.control.revokeToken();
    await run.waitFor('"code":"signed-out"');
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('another sign-in replaced this one');
    expect(result.events.filter((event) => event.event === 'prompt' && event.for === 'email')).toEqual([]);
    expect(sim.control.outbox()).toHaveLength(2);
  });

  it('a persistent HTML 502 says which call failed and what to do, not only "Bad Gateway"', async () => {
    const sim = await simulator();
    sim.control.setFaults({ htmlError: 1000 });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], cliEnv(join(tempDir(), 'config')));
    const result = await run.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('or a proxy in front of it, failed to answer GET /v1/app/setup (502 Bad Gateway)');
    expect(result.stderr).toContain('Wait a moment and try again');
  });

  it('something that is not Beeper is never called connected', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Not found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = runCli(['--base-url', url, '--email', EMAIL, '--json'], cliEnv(join(tempDir(), 'config')));
      const result = await run.result;
      expect(result.code).toBe(5);
      expect(result.events.map((event) => event.event)).not.toContain('connected');
      expect(result.stderr).not.toContain('Connected');
      expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'not-beeper', exitCode: 5 });
    } finally {
      server.close();
    }
  });
});

describe('stop signals', () => {
  it.each([
    ['SIGTERM', 130],
    ['SIGHUP', 129],
  ] as const)('%s while waiting for the other device: exit %i, nothing cancelled, the token kept', async (signal, code) => {
    const sim = await simulator();
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    run.signal(signal);
    const result = await run.result;
    expect(result.code).toBe(code);
    // The last event tells scripts the same code the process exits with.
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'interrupted', exitCode: code });
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(sim.control.requests().some((request) => request.path.endsWith('/cancel'))).toBe(false);
  });
});

describe('the token file', () => {
  it('a world-readable token file is made private, and the run says so', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const config = join(dir, 'config');
    mkdirSync(join(config, 'beeper-setup'), { recursive: true });
    writeFileSync(join(config, 'beeper-setup', 'tokens.json'), '{}\n');
    chmodSync(join(config, 'beeper-setup', 'tokens.json'), 0o644);
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFileFor(dir, recoveryKeyOf(sim, EMAIL))], cliEnv(config));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/made .*tokens\.json private \(was 0644\)/);
    expect(statSync(join(config, 'beeper-setup', 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(result.stderr).toContain('(mode 0600: only you can read it)');
  });

  it('the token-saved event lists the repair made while loading, and a damaged file is moved aside and said plainly', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const config = join(dir, 'config');
    const store = join(config, 'beeper-setup');
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, 'tokens.json'), '{}\n');
    chmodSync(join(store, 'tokens.json'), 0o644);
    writeFileSync(join(store, 'pending-sign-ins.json'), 'not json', { mode: 0o600 });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFileFor(dir, recoveryKeyOf(sim, EMAIL)), '--json'], cliEnv(config));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    const saved = result.events.find((event) => event.event === 'token-saved');
    expect(saved?.repaired).toEqual([`made ${join(store, 'tokens.json')} private (was 0644)`]);
    expect(result.stderr).toMatch(/pending-sign-ins\.json was damaged \(not the JSON beeper-setup writes\), so it was moved aside to .*pending-sign-ins\.json\.corrupt-\S+ and a new one started; nothing in it is used\./);
    expect(result.stderr).not.toContain('is not a JSON object');
    expect(readdirSync(store).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
  });
});
