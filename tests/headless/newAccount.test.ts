/** New accounts without a terminal: terms, the new-key file, and what is refused before anything is created. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRecoveryKey, sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { scanOutputsAfterEach, SIGNED_IN_BY_CODE, cliEnv, feedCodes, findSecrets, mailedCodes, runCli, savedTokens, simulator, stepsOf, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'carol@example.com';
let sim: RunningSimulator;

afterEach(async () => {
  await sim?.close();
});

const account = (email = EMAIL) => sim.control.accounts().find((candidate) => candidate.email === email);

describe('headless: new account', () => {
  it('creates the account with --accept-terms and writes the new key to a 0600 file', async () => {
    sim = await simulator();
    const dir = tempDir();
    const config = join(dir, 'config');
    const keyFile = join(dir, 'new-key.txt');
    const run = runCli(
      ['--base-url', sim.url, '--email', EMAIL, '--username', 'carol', '--accept-terms', '--new-recovery-key-file', keyFile, '--json'],
      cliEnv(config),
    );
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    // The waits for the server come and go with timing (the simulator starts encryption in 30 ms, which a
    // loaded machine may take to answer the registration): the steps a person sees are in this order.
    expect(stepsOf(result.events).filter((step) => step !== 'waiting-server')).toEqual([
      ...SIGNED_IN_BY_CODE,
      'username',
      'terms',
      'registering',
      'create-recovery-key',
      'creating-recovery-key',
      'save-recovery-key',
      'confirming-recovery-key',
    ]);
    expect(result.events).toContainEqual({
      event: 'terms',
      text: 'By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy.',
      termsUrl: 'https://www.beeper.com/terms-onboarding',
      privacyUrl: 'https://www.beeper.com/privacy',
      accepted: true,
    });
    expect(result.events).toContainEqual({ event: 'recovery-key-saved', path: keyFile });
    expect(result.events.at(-1)).toMatchObject({ event: 'ready', userID: '@carol:beeper.com' });

    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const saved = readFileSync(keyFile, 'utf8');
    expect(checkRecoveryKey(saved).ok).toBe(true);
    expect(sameRecoveryKey(saved, account()!.recoveryKey!)).toBe(true);
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], saved.trim(), ...mailedCodes(sim)])).toEqual([]);
  });

  it('refuses to overwrite an existing key file, before creating the account', async () => {
    sim = await simulator();
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    writeFileSync(keyFile, 'precious\n');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--accept-terms', '--new-recovery-key-file', keyFile], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${keyFile} exists already; beeper-setup never overwrites a recovery key file.`);
    expect(readFileSync(keyFile, 'utf8')).toBe('precious\n');
    expect(account()).toBeUndefined();
  });

  it('exits 3 quoting the terms and their links without --accept-terms', async () => {
    sim = await simulator();
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--new-recovery-key-file', join(dir, 'k'), '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('"By continuing, you agree to the Terms of Use and acknowledge the Privacy Policy."');
    expect(result.stderr).toContain('Terms of Use: https://www.beeper.com/terms-onboarding');
    expect(result.stderr).toContain('Privacy Policy: https://www.beeper.com/privacy');
    expect(result.stderr).toContain('Pass --accept-terms if you agree.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'terms-not-accepted', exitCode: 3 });
    expect(account()).toBeUndefined();
  });

  it('exits 3 without --new-recovery-key-file, before creating the account', async () => {
    sim = await simulator();
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--accept-terms', '--username', 'carol'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Pass --new-recovery-key-file PATH');
    expect(account()).toBeUndefined();
  });

  it('resuming an account that needs its first key: exit 3 without asking the server for one', async () => {
    sim = await simulator();
    const token = await registerDirectly(sim, EMAIL, 'carol');
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--json'], cliEnv(join(dir, 'config'), { BEEPER_ACCESS_TOKEN: token }));
    run.end();
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Pass --new-recovery-key-file PATH');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'input-needed', exitCode: 3 });
    expect(sim.control.requests().some((request) => request.path.endsWith('/recovery-key/reset'))).toBe(false);
    expect(sim.control.session().state).toBe('needs-cross-signing-setup');
  });

  it('--reset-recovery-key replaces the key of an existing account and saves the new one', async () => {
    sim = await simulator();
    const before = account('alice@example.com')!.recoveryKey!;
    const dir = tempDir();
    const config = join(dir, 'config');
    const keyFile = join(dir, 'replacement.txt');
    const run = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json'], cliEnv(config));
    feedCodes(sim, run, 'alice@example.com', [], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(stepsOf(result.events)).toEqual(expect.arrayContaining(['choose-method', 'reset-warning', 'creating-recovery-key', 'save-recovery-key', 'confirming-recovery-key']));
    const saved = readFileSync(keyFile, 'utf8');
    expect(sameRecoveryKey(saved, account('alice@example.com')!.recoveryKey!)).toBe(true);
    expect(sameRecoveryKey(saved, before)).toBe(false);
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], saved.trim(), before, ...mailedCodes(sim)])).toEqual([]);
  });

  it('--reset-recovery-key without --new-recovery-key-file exits 3 before asking the server', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url, '--email', 'alice@example.com', '--reset-recovery-key'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, 'alice@example.com', [], true);
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Pass --new-recovery-key-file PATH');
    expect(sim.control.requests().some((request) => request.path.includes('/recovery-key/reset'))).toBe(false);
  });

  it('asks for a username on stdin, taking the suggestion on an empty line', async () => {
    sim = await simulator();
    const dir = tempDir();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--accept-terms', '--new-recovery-key-file', join(dir, 'k')], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL, [''], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Choose a username for the new account (Enter for "carol"):');
    expect(account()?.username).toBe('carol');
  });

  it('exits 1 with the server message when --username is taken', async () => {
    sim = await simulator();
    const dir = tempDir();
    const run = runCli(
      ['--base-url', sim.url, '--email', EMAIL, '--username', 'alice', '--accept-terms', '--new-recovery-key-file', join(dir, 'k')],
      cliEnv(join(dir, 'config')),
    );
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('That username is taken.');
    expect(account()).toBeUndefined();
  });
});

async function registerDirectly(sim: RunningSimulator, email: string, username: string): Promise<string> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${sim.url}/v1/app/setup${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.status === 204 ? undefined : ((await response.json()) as any);
  };
  const { setupRequestID } = await post('/start', {});
  await post('/email', { setupRequestID, email });
  const required = await post('/response', { setupRequestID, response: sim.control.latestCode(email) });
  const done = await post('/register', { setupRequestID, leadToken: required.leadToken, username, acceptTerms: true });
  return done.matrix.accessToken as string;
}
