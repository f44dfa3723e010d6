/**
 * Pre-flight: every problem that flags, files and the environment reveal ends
 * the run before the first request reaches the server (the simulator's request
 * log stays empty), with exit 2 for usage, 1 for files, 3 for an answer nobody
 * will be able to give; and the wizard refuses answer flags it would ignore.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, feedCodes, recoveryKeyOf, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';

/** Runs with stdin at its end (a pipe closed, /dev/null) unless told otherwise, and returns what came back. */
async function refused(args: (url: string, dir: string) => string[], options: { stdinOpen?: boolean; env?: Record<string, string> } = {}) {
  const sim = await simulator();
  const dir = tempDir();
  const run = runCli(['--base-url', sim.url, ...args(sim.url, dir), '--json'], cliEnv(join(dir, 'config'), options.env));
  if (!options.stdinOpen) run.end();
  const result = await run.result;
  return { result, requests: sim.control.requests(), outbox: sim.control.outbox() };
}

describe('pre-flight: refused before the first request', () => {
  it.each([
    ['--reset-recovery-key with a new-key file that exists', 1, 'exists already', (_: string, dir: string) => {
      writeFileSync(join(dir, 'old.txt'), 'kept\n');
      return ['--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', join(dir, 'old.txt')];
    }],
    ['--verify reset without a file, where no terminal can show the key', 3, '--new-recovery-key-file PATH', () => ['--email', EMAIL, '--verify', 'reset']],
    ['a new-key file in a folder that does not exist', 1, 'its folder does not exist', (_: string, dir: string) => ['--email', EMAIL, '--new-recovery-key-file', join(dir, 'nodir', 'k.txt')]],
    ['an email that is not one', 2, '--email: An email address needs an @', () => ['--email', 'alice.example.com']],
    ['a username Beeper would refuse', 2, '--username: Use only lowercase letters', () => ['--email', EMAIL, '--username', 'Carol Smith!']],
    ['a code that cannot be a code', 2, '--code: A sign-in code has only letters and digits', () => ['--email', EMAIL, '--code', '12#456']],
    ['--code with no sign-in waiting for it', 2, 'none is waiting for', () => ['--email', EMAIL, '--code', '123456']],
    ['--code with --no-save-token', 2, '--no-save-token neither saves nor reads one', () => ['--email', EMAIL, '--code', '123456', '--no-save-token']],
    ['--verify device with nothing on stdin to say yes or no', 3, 'needs a yes or no on stdin', () => ['--email', EMAIL, '--verify', 'device']],
    ['--qr with nothing on stdin to confirm the scan', 3, 'needs a yes or no on stdin', () => ['--email', EMAIL, '--qr']],
    ['--verify recovery-key with no key anywhere', 3, '--verify recovery-key needs the key', () => ['--email', EMAIL, '--verify', 'recovery-key']],
  ] as const)('%s: exit %i', async (_name, exitCode, message, args) => {
    const { result, requests, outbox } = await refused(args);
    expect(result.code, result.stderr).toBe(exitCode);
    expect(result.stderr).toContain(message);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', exitCode });
    expect(requests).toEqual([]);
    expect(outbox).toEqual([]);
  });

  it('a recovery key in BEEPER_RECOVERY_KEY that is not one: exit 1, nothing sent', async () => {
    const { result, requests } = await refused(() => ['--email', EMAIL], { env: { BEEPER_RECOVERY_KEY: 'EsTx not a key' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The recovery key in BEEPER_RECOVERY_KEY is not valid');
    expect(requests).toEqual([]);
  });

  it('--remote-port without --ssh, and --demo with an address, are usage errors instead of being ignored', async () => {
    for (const [args, message] of [
      [['--remote-port', '23374'], '--remote-port is the API port on the --ssh host, and there is no --ssh.'],
      [['--demo', '--base-url', 'http://localhost:23373'], '--demo runs its own simulated Beeper, so --base-url would be ignored.'],
    ] as const) {
      const run = runCli([...args], cliEnv(join(tempDir(), 'config')));
      run.end();
      const result = await run.result;
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('a valid run with the same kinds of flags gets past pre-flight and reaches the server', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const key = join(dir, 'key.txt');
    writeFileSync(key, recoveryKeyOf(sim, EMAIL));
    mkdirSync(join(dir, 'out'));
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', key, '--new-recovery-key-file', join(dir, 'out', 'new.txt')], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(sim.control.requests().length).toBeGreaterThan(0);
  });
});

describe('pre-flight: the wizard refuses answer flags it would ignore', () => {
  it('exit 2 naming the flags and --plain, before any request', async () => {
    const sim = await simulator();
    // A person at a terminal: the wizard would run.
    const run = runCli(['--base-url', sim.url, '--code', '123456', '--recovery-key-file', 'k.txt'], cliEnv(join(tempDir(), 'config')), {
      tty: { stdin: true, stdout: true, stderr: true },
    });
    const { code, stderr } = await run.result;
    expect(code).toBe(2);
    expect(stderr).toContain('--code, --recovery-key-file answer questions for runs without the wizard; the wizard asks them itself.');
    expect(stderr).toContain('Add --plain');
    expect(sim.control.requests()).toEqual([]);
  });
});
