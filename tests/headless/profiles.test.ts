/**
 * Every headless path to ready, against both simulator profiles: the lenient
 * one and the strict one, which disagrees wherever the documents are silent
 * (purpose inferred from the state, unknown body fields refused, methods empty
 * until accepted, timestamps in milliseconds, extra fields everywhere, no
 * /v1/info). Nothing here may depend on either reading.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, recoveryKeyOf, runCli, scanOutputsAfterEach, simulator, stepsOf, tempDir, requestAndMatch, scanAndConfirm } from './helpers.js';

scanOutputsAfterEach();

let sim: RunningSimulator;
afterEach(async () => {
  await sim?.close();
});

const EMAIL = 'alice@example.com';
const created = () => sim.control.requests().filter((request) => request.method === 'POST' && request.path === '/v1/app/setup/verifications');

describe.each(['lenient', 'strict'] as const)('headless against the %s simulator', (profile) => {
  it('recovery key from a file', async () => {
    sim = await simulator({ profile });
    const dir = tempDir();
    const keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, recoveryKeyOf(sim, EMAIL), { mode: 0o600 });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile, '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.events.at(-1)).toMatchObject({ event: 'ready' });
    // The strict server has no /v1/info: connected once the setup API answered as documented.
    expect(result.events.find((event) => event.event === 'connected')).toMatchObject(profile === 'strict' ? { baseUrl: sim.url } : { app: 'Beeper Server' });
  });

  it('reset: a new key written to a file', async () => {
    sim = await simulator({ profile });
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(sameRecoveryKey(readFileSync(keyFile, 'utf8'), recoveryKeyOf(sim, EMAIL))).toBe(true);
  });

  it('new account: username, terms, the first key', async () => {
    sim = await simulator({ profile });
    const dir = tempDir();
    const run = runCli(
      ['--base-url', sim.url, '--email', 'carol@example.com', '--username', 'carol', '--accept-terms', '--new-recovery-key-file', join(dir, 'k.txt'), '--json'],
      cliEnv(join(dir, 'config')),
    );
    feedCodes(sim, run, 'carol@example.com');
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.events.at(-1)).toMatchObject({ event: 'ready', userID: '@carol:beeper.com' });
  });

  it('emoji comparison with the other device; the request carries no purpose', async () => {
    sim = await simulator({ profile, autoOtherDevice: true });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"for":"emoji-match"');
    run.write('yes');
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(created().map((request) => request.fields ?? [])).toEqual([[]]);
    expect(stepsOf(result.events)).toContain('compare-emojis');
  });

  it('QR code scanned by the other device', async () => {
    sim = await simulator({ profile });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--qr', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    await scanAndConfirm(sim, run);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    // The payload exactly as the server sent it: base64 of the Matrix layout.
    const data = result.events.find((event) => event.event === 'qr')?.data as string;
    expect(Buffer.from(data, 'base64').subarray(0, 6).toString('latin1')).toBe('MATRIX');
  });

  it('an incoming request from the other device, accepted', async () => {
    sim = await simulator({ profile });
    // Real time: the other device asks the moment the app needs verification, before the first poll.
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')), { scale: 1 });
    feedCodes(sim, run, EMAIL);
    await waitForState('needs-verification');
    await requestAndMatch(sim, run);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(sim.control.requests().some((request) => request.path.endsWith('/accept'))).toBe(true);
    expect(created()).toEqual([]);
  });
});

const waitForState = (state: string) => vi.waitFor(() => expect(sim.control.session().state).toBe(state), { timeout: 10_000, interval: 5 });
