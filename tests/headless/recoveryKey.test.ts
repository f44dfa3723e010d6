/** Existing account, verified with the recovery key: from a file, stdin and the environment; wrong keys. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { scanOutputsAfterEach,
  SIGNED_IN_BY_CODE,
  cliEnv,
  eventKinds,
  feedCodes,
  findSecrets,
  mailedCodes,
  recoveryKeyOf,
  runCli,
  savedTokens,
  simulator,
  stepsOf,
  tempDir,
} from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
let sim: RunningSimulator;

afterEach(async () => {
  await sim?.close();
});

function setup() {
  const dir = tempDir();
  const config = join(dir, 'config');
  return { dir, config, env: cliEnv(config) };
}

describe('headless: recovery key', () => {
  it('reaches ready from no TTY with --json, the code on stdin and the key in a file (acceptance)', async () => {
    sim = await simulator();
    const { dir, config, env } = setup();
    const keyFile = join(dir, 'key.txt');
    // Line breaks and spaces inside the file are ignored.
    writeFileSync(keyFile, recoveryKeyOf(sim, EMAIL).replace(/ /g, ' \n '));
    const run = runCli(['--non-interactive', '--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile, '--json'], env);
    feedCodes(sim, run, EMAIL);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.events.every((event) => event.event !== '<not json>')).toBe(true);
    expect(stepsOf(result.events)).toEqual([
      ...SIGNED_IN_BY_CODE,
      'waiting-server',
      'choose-method',
      'recovery-key',
      'verifying-recovery-key',
      'waiting-server',
    ]);
    const kinds = eventKinds(result.events);
    expect(kinds.indexOf('connected')).toBeGreaterThan(kinds.indexOf('step:connecting'));
    expect(kinds.indexOf('prompt')).toBe(kinds.indexOf('step:code') + 1);
    expect(result.events.find((event) => event.event === 'prompt')).toMatchObject({ for: 'code' });
    expect(result.events.some((event) => event.event === 'waiting' && event.for === 'server' && typeof event.elapsedMs === 'number')).toBe(true);
    expect(result.events.at(-1)).toEqual({ event: 'ready', userID: '@alice:beeper.com', deviceID: sim.control.session().matrix?.deviceID, homeserver: 'https://matrix.beeper.com' });
    expect(sim.control.session().state).toBe('ready');

    const token = savedTokens(config)[sim.url];
    expect(token).toMatch(/^syt_/);
    expect(statSync(join(config, 'beeper-setup/tokens.json')).mode & 0o777).toBe(0o600);
    expect(findSecrets(result.stdout + result.stderr, [token, recoveryKeyOf(sim, EMAIL), ...mailedCodes(sim)])).toEqual([]);

    // A rerun resumes with the saved token; asking for a reset on a ready device says why nothing was made.
    const newKey = join(dir, 'new-key.txt');
    const rerun = runCli(['--base-url', sim.url, '--reset-recovery-key', '--new-recovery-key-file', newKey], env);
    rerun.end();
    const again = await rerun.result;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('no new recovery key was made');
    expect(existsSync(newKey)).toBe(false);
    expect(sim.control.outbox()).toHaveLength(1);
  });

  it('reads the code and then the key from one stdin pipe with --recovery-key-stdin (plain output)', async () => {
    sim = await simulator();
    const { config, env } = setup();
    const key = recoveryKeyOf(sim, EMAIL);
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-stdin'], env);
    feedCodes(sim, run, EMAIL, [key], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Enter the sign-in code emailed to alice@example.com:');
    expect(result.stderr).toContain('Enter your recovery key');
    expect(result.stderr).toMatch(/Ready: @alice:beeper\.com is signed in on device \w+/);
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], key, ...mailedCodes(sim)])).toEqual([]);
  });

  it('takes the key from BEEPER_RECOVERY_KEY', async () => {
    sim = await simulator();
    const { config } = setup();
    const key = recoveryKeyOf(sim, EMAIL);
    const run = runCli(['--base-url', sim.url, '--email', EMAIL], cliEnv(config, { BEEPER_RECOVERY_KEY: key }));
    feedCodes(sim, run, EMAIL, [], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Using the recovery key from BEEPER_RECOVERY_KEY.');
    expect(sim.control.session().state).toBe('ready');
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], key, ...mailedCodes(sim)])).toEqual([]);
  });

  it('exits 1 with the server message when the key from a file is wrong, without retrying', async () => {
    sim = await simulator();
    const { dir, env } = setup();
    const keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, recoveryKeyOf(sim, 'bob@example.com'));
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile, '--json'], env);
    feedCodes(sim, run, EMAIL);
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('That recovery key does not belong to this account.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'WRONG_RECOVERY_KEY', exitCode: 1 });
    const attempts = sim.control.requests().filter((request) => request.path === '/v1/app/setup/verification/recovery-key');
    expect(attempts).toHaveLength(1);
    expect(sim.control.session().state).toBe('needs-verification');
  });

  it('refuses a file that holds no recovery key before sending it', async () => {
    sim = await simulator();
    const { dir, env } = setup();
    const keyFile = join(dir, 'key.txt');
    writeFileSync(keyFile, 'not a key at all');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keyFile], env);
    feedCodes(sim, run, EMAIL);
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The recovery key in the file ${keyFile} is not valid`);
    expect(sim.control.requests().some((request) => request.path.endsWith('/recovery-key'))).toBe(false);
  });

  it('asks again after a wrong key typed on stdin, then accepts the right one', async () => {
    sim = await simulator();
    const { env } = setup();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'recovery-key', '--json'], env);
    feedCodes(sim, run, EMAIL, [recoveryKeyOf(sim, 'bob@example.com'), recoveryKeyOf(sim, EMAIL)], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    const prompts = result.events.filter((event) => event.event === 'prompt' && event.for === 'recovery-key');
    expect(prompts).toHaveLength(2);
    expect(result.events).toContainEqual({
      event: 'problem',
      code: 'WRONG_RECOVERY_KEY',
      message: 'That recovery key does not belong to this account. 2 attempts left.',
      attemptsLeft: 2,
    });
  });

  it('stops after three wrong keys on stdin; one that is not even a key is told apart and not counted', async () => {
    sim = await simulator();
    const { env } = setup();
    const wrong = recoveryKeyOf(sim, 'bob@example.com');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-stdin', '--json'], env);
    feedCodes(sim, run, EMAIL, [wrong, 'EsTx not even close', wrong, wrong, recoveryKeyOf(sim, EMAIL)], true);
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 recovery keys were not accepted. Recovery keys are case-sensitive');
    expect(result.stderr).toContain('A recovery key only has letters and digits');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'wrong-recovery-key', exitCode: 1 });
    expect(sim.control.requests().filter((request) => request.path.endsWith('/verification/recovery-key'))).toHaveLength(3);
    expect(sim.control.session().state).toBe('needs-verification');
  });

  it('asks again for a wrong code typed on stdin; after the fifth, asks once for the new code Beeper mails', async () => {
    sim = await simulator();
    const { dir } = setup();
    const env = cliEnv(join(dir, 'config'), { BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL) });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], env);
    let mails = 0;
    const off = sim.control.on('mail', (message) => {
      mails += 1;
      if (mails === 1) {
        // Five wrong codes (never the real one): the server allows five attempts.
        const wrong = ['1', '2', '3', '4', '5', '6'].map((digit) => digit.repeat(6)).filter((code) => code !== message.code);
        for (const code of wrong.slice(0, 5)) run.write(code);
      } else {
        off();
        run.write(message.code);
      }
    });
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(sim.control.outbox()).toHaveLength(2);
    expect(result.events.filter((event) => event.event === 'prompt' && event.for === 'code')).toHaveLength(6);
    expect(result.events.filter((event) => event.event === 'problem').map((event) => event.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(result.stderr).toContain(`Too many wrong codes, so beeper-setup started over: a new code was emailed to ${EMAIL}.`);
    expect(result.stderr).not.toContain('Start over to get a new code');
    expect(result.events.at(-1)).toMatchObject({ event: 'ready' });
  });

  it('stops when the server ends the sign-in a second time', async () => {
    sim = await simulator();
    const { env } = setup();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], env);
    const off = sim.control.on('mail', (message) => {
      const wrong = ['1', '2', '3', '4', '5', '6'].map((digit) => digit.repeat(6)).filter((code) => code !== message.code);
      for (const code of wrong.slice(0, 5)) run.write(code);
      if (sim!.control.outbox().length === 2) off();
    });
    const result = await run.result;

    // The flow starts a sign-in over by itself once; the second time a person decides.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('beeper-setup: Too many wrong codes.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'SETUP_REQUEST_EXPIRED', exitCode: 1 });
    expect(sim.control.outbox()).toHaveLength(2);
  });

  it('exits 1 with the server message for a wrong --code', async () => {
    sim = await simulator();
    const { env } = setup();
    // A first run mails the code and leaves the sign-in waiting for it (no stdin to read it from).
    const first = runCli(['--base-url', sim.url, '--email', EMAIL], env);
    first.end();
    expect((await first.result).code).toBe(3);
    const wrong = sim.control.outbox()[0]!.code === '000000' ? '111111' : '000000';
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--code', wrong, '--json'], env);
    run.end();
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/That code is not right\. 4 attempts left\./);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'INVALID_CODE', exitCode: 1 });
  });
});
