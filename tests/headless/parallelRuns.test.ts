/**
 * Several beeper-setup processes sharing one config folder, as real processes of the built CLI:
 * runs against different apps keep every token (the store's files are locked across processes),
 * and a second run against the same app stops, naming the first one's pid, instead of signing it
 * out. A run that was killed leaves a lock the next run takes over.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, recoveryKeyOf, savedTokens, scanOutputsAfterEach, simulator, spawnCli, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';

function keyFile(dir: string, sim: RunningSimulator, name: string): string {
  const path = join(dir, `${name}.txt`);
  writeFileSync(path, recoveryKeyOf(sim, EMAIL), { mode: 0o600 });
  return path;
}

/** One app, its account's key in a file, and a config folder of its own. */
async function oneApp() {
  const dir = tempDir();
  const sim = await simulator();
  return { dir, env: cliEnv(join(dir, 'config')), sim, key: keyFile(dir, sim, 'key') };
}

describe('runs sharing one config folder', () => {
  // 3 rounds in the suite; ROUNDS=10 (or more) for the longer measurement.
  const rounds = Number(process.env.ROUNDS ?? 3);
  it(`8 parallel runs against 8 apps keep 8 of 8 tokens, ${rounds} rounds in a row`, async () => {
    const dir = tempDir();
    const env = cliEnv(join(dir, 'config'));
    const sims = await Promise.all(Array.from({ length: 8 }, () => simulator()));
    const keys = sims.map((sim, i) => keyFile(dir, sim, `key-${i}`));
    let previous: Record<string, string> = {};
    for (let round = 1; round <= rounds; round++) {
      // Each app signed out again: every run signs in, forgets its refused token and saves a new one.
      for (const sim of sims) sim.control.resetApp();
      const runs = sims.map((sim, i) => {
        const run = spawnCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', keys[i]!, '--timeout', '60s', '--json'], env);
        feedCodes(sim, run, EMAIL);
        return run;
      });
      const results = await Promise.all(runs.map((run) => run.result));
      results.forEach((result, i) => expect(result.code, `round ${round}, run ${i}: ${result.stderr}`).toBe(0));
      const tokens = savedTokens(join(dir, 'config'));
      expect(Object.keys(tokens).sort(), `round ${round}`).toEqual(sims.map((sim) => sim.url).sort());
      // Each is this round's token, not one left from the round before.
      for (const sim of sims) expect(tokens[sim.url], `round ${round}`).not.toBe(previous[sim.url]);
      previous = tokens;
    }
  }, 240_000);

  it('a second run against the same app stops at once, naming the first one, which goes on undisturbed', async () => {
    const { dir, env, sim, key } = await oneApp();
    const first = spawnCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', key, '--json'], env);
    await first.waitFor('"for":"code"');

    const second = spawnCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', key, '--json'], env);
    const refused = await second.result;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Another beeper-setup (pid ${first.child.pid}) is working on ${sim.url}.`);
    expect(refused.stderr).toContain(`kill ${first.child.pid}`);
    expect(refused.events.at(-1)).toMatchObject({ event: 'error', exitCode: 1 });
    // The second run asked nothing of the app: one code mailed, the first run's.
    expect(sim.control.outbox()).toHaveLength(1);

    first.write(sim.control.latestCode(EMAIL)!);
    const done = await first.result;
    expect(done.code, done.stderr).toBe(0);
    expect(done.events.some((event) => event.event === 'notice' && event.code === 'signed-out')).toBe(false);
    expect(Object.keys(savedTokens(join(dir, 'config')))).toEqual([sim.url]);
  }, 60_000);

  it('a run that was killed leaves a lock the next run takes over', async () => {
    const { env, sim, key } = await oneApp();
    const killed = spawnCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', key], env);
    await killed.waitFor('sign-in code');
    killed.child.kill('SIGKILL');
    await killed.result;

    const next = spawnCli(['--base-url', sim.url, '--email', EMAIL, '--recovery-key-file', key, '--json'], env);
    feedCodes(sim, next, EMAIL);
    const result = await next.result;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`A beeper-setup (pid ${killed.child.pid}) that ended without finishing left its lock on ${sim.url}`);
  }, 60_000);
});
