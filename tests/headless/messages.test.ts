/**
 * What a person reads after each mistake or mishap, headless: one true sentence
 * per situation. "A new code was emailed" only when one was mailed just then;
 * the server's reason without its advice when beeper-setup already acted on it;
 * advice that names only what would change the outcome.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, feedCodes, readyApp, recoveryKeyOf, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
const NEW_CODE_MAILED = /a new code was emailed/gi;

function configEnv(extra: Record<string, string> = {}) {
  return cliEnv(join(tempDir(), 'config'), extra);
}

/** A code that is not `code` (six digits). */
const wrongCodeFor = (code: string) => (code === '111111' ? '222222' : '111111');

describe('messages after a mistake or mishap (headless)', () => {
  it('a wrong code: the server words it with the attempts left, and no code is said to be mailed', async () => {
    const sim = await simulator();
    const env = configEnv({ BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL) });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], env);
    const off = sim.control.on('mail', (message) => {
      off();
      run.write(wrongCodeFor(message.code));
      run.write(message.code);
    });
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('That code is not right. 4 attempts left.');
    expect(result.stderr.match(NEW_CODE_MAILED)).toBeNull();
    expect(result.events).toContainEqual(expect.objectContaining({ event: 'problem', code: 'INVALID_CODE', attemptsLeft: 4 }));
  });

  it('an expired sign-in: its reason, and that beeper-setup started over and mailed a new code; then an old code is only wrong', async () => {
    const sim = await simulator();
    const env = configEnv({ BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL) });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], env);
    const codes: string[] = [];
    const off = sim.control.on('mail', (message) => {
      codes.push(message.code);
      if (codes.length === 1) {
        // The sign-in expires while the person reads the email.
        sim.control.expireSignIns();
        run.write(message.code);
      } else {
        off();
        // The old code first (from the first email), then the new one.
        run.write(codes[0] === message.code ? wrongCodeFor(message.code) : codes[0]!);
        run.write(message.code);
      }
    });
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`This sign-in has expired, so beeper-setup started over: a new code was emailed to ${EMAIL}.`);
    expect(result.stderr).not.toContain('Start over to get a new code');
    // One new code was mailed, and it is said once: the old code's refusal does not say it again.
    expect(sim.control.outbox()).toHaveLength(2);
    expect(result.stderr.match(NEW_CODE_MAILED)).toHaveLength(1);
    expect(result.stderr).toMatch(/That code is not right\. 4 attempts left\.\n/);
    const notices = result.events.filter((event) => event.event === 'notice' && event.code === 'sign-in-restarted');
    expect(notices).toHaveLength(1);
  });

  it('a wrong --code: which flag, and that a rerun with the right --code continues the same sign-in (and it does)', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const env = cliEnv(join(dir, 'config'), { BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL) });
    // A run without a terminal mails the code, finds no stdin to read it from, and leaves the sign-in pending.
    const first = runCli(['--base-url', sim.url, '--email', EMAIL], env);
    first.end();
    expect((await first.result).code).toBe(3);
    const code = sim.control.outbox()[0]!.code;

    const wrong = await runCli(['--base-url', sim.url, '--email', EMAIL, '--code', wrongCodeFor(code), '--json'], env).result;
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('That code is not right. 4 attempts left. (from --code)');
    expect(wrong.stderr).toContain('Run the same command again with the right --code: it continues this sign-in.');
    expect(wrong.stderr).not.toContain('Sign in again with your email');

    const right = await runCli(['--base-url', sim.url, '--email', EMAIL, '--code', code], env).result;
    expect(right.code, right.stderr).toBe(0);
    expect(sim.control.outbox()).toHaveLength(1);
  });

  it('verify --wait running out: no request came, and no advice about recovery keys', async () => {
    const sim = await simulator();
    const { env } = await readyApp(sim);

    const result = await runCli(['verify', '--base-url', sim.url, '--wait', '--timeout', '1s', '--json'], env, { scale: 1 }).result;
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('Nothing verified after 1s: No verification request came from your other device.');
    expect(result.stderr).not.toContain('is still');
    expect(result.stderr).not.toContain('--recovery-key-file');
  });

  it('an all-lowercase recovery key: says the key is case-sensitive and what is wrong with this one', async () => {
    const sim = await simulator();
    const env = configEnv({ BEEPER_RECOVERY_KEY: recoveryKeyOf(sim, EMAIL).toLowerCase() });
    const result = await runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], env).result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Recovery keys are case-sensitive, and this one is all lowercase');
    expect(result.stderr).not.toContain('only has letters and digits');
    // Refused before anything was mailed.
    expect(sim.control.outbox()).toHaveLength(0);
  });

  it('an app signed in by someone else: says so, where to sign out, and what beeper-setup can do meanwhile', async () => {
    const sim = await simulator();
    const { dir } = await readyApp(sim);

    // Another config folder: this run holds no token for the signed-in app.
    const other = runCli(['--base-url', sim.url, '--email', 'bob@example.com', '--json'], cliEnv(join(dir, 'other')));
    feedCodes(sim, other, 'bob@example.com');
    const result = await other.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is signed in already (it says: "This app is already signed in as @alice:beeper.com")');
    expect(result.stderr).toContain("sign out in Beeper's own settings");
    expect(result.stderr).toContain('BEEPER_ACCESS_TOKEN');
    expect(result.stderr).not.toContain('Sign out first');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'already-signed-in', exitCode: 1 });
    // One code for the owner, one for this run: no second code for a sign-in that cannot work.
    expect(sim.control.outbox()).toHaveLength(2);
  });
});
