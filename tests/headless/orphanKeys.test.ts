/**
 * A key file left by an earlier run is recognised on the rerun, which says what it holds and what
 * to do — never overwriting or deleting it: a key never sent to be activated (its confirm refused),
 * one sent whose answer never came (the run stopped while waiting), and one that is the account's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, relay, RESET_CONFIRM, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
/** Relays to the simulator, except the confirm: `hold` never answers it, `refuse` answers 400 without passing it on. */
async function confirmRelay(target: string, mode: 'hold' | 'refuse'): Promise<{ url: string; held: Promise<void> }> {
  let sawConfirm: () => void = () => {};
  const held = new Promise<void>((resolve) => (sawConfirm = resolve));
  const url = await relay(target, ({ req, res }) => {
    if (req.url !== RESET_CONFIRM) return false;
    sawConfirm();
    if (mode === 'refuse') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'INVALID_RECOVERY_KEY', message: 'That is not the new recovery key.' }));
    }
    return true;
  });
  return { url, held };
}

function reset(url: string, keyFile: string, config: string) {
  return runCli(['--base-url', url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile], cliEnv(config));
}

/** A rerun asked for a new key at the same path: it stops (exit 1) and leaves the file as it was; its output. */
async function rerunAt(sim: RunningSimulator, keyFile: string, config: string) {
  const kept = readFileSync(keyFile, 'utf8');
  const rerun = reset(sim.url, keyFile, config);
  feedCodes(sim, rerun, EMAIL);
  const result = await rerun.result;
  expect(result.code).toBe(1);
  expect(readFileSync(keyFile, 'utf8')).toBe(kept);
  return result;
}

describe('a key file from an earlier run', () => {
  it('whose confirm was refused: the rerun says it was never activated and unlocks nothing, and leaves it', async () => {
    const sim = await simulator();
    const { url } = await confirmRelay(sim.url, 'refuse');
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const first = reset(url, keyFile, join(dir, 'config'));
    feedCodes(sim, first, EMAIL);
    expect((await first.result).code).toBe(1);

    const result = await rerunAt(sim, keyFile, join(dir, 'config'));
    expect(result.stderr).toContain(`${keyFile} holds a new recovery key that beeper-setup wrote on `);
    expect(result.stderr).toContain("in a run that stopped before activating it: it is not your account's key and unlocks nothing.");
    expect(result.stderr).toContain(`Delete it (rm ${keyFile}) and run again`);
  });

  it('whose confirm never got an answer (the run was stopped): the rerun says it may be the account key, and to keep it', async () => {
    const sim = await simulator();
    const { url, held } = await confirmRelay(sim.url, 'hold');
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const first = reset(url, keyFile, join(dir, 'config'));
    feedCodes(sim, first, EMAIL);
    await held;
    first.signal('SIGTERM');
    expect((await first.result).code).toBe(130);

    const result = await rerunAt(sim, keyFile, join(dir, 'config'));
    expect(result.stderr).toContain(`${keyFile} holds a new recovery key that beeper-setup asked ${url} to activate on `);
    expect(result.stderr).toContain("and no answer came: it may be your account's key now.");
    expect(result.stderr).toContain(`Keep it, and choose another path with --new-recovery-key-file for a new key`);
  });

  it("that is the account's key: the rerun says so and never overwrites it", async () => {
    const sim = await simulator();
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const first = reset(sim.url, keyFile, join(dir, 'config'));
    feedCodes(sim, first, EMAIL);
    expect((await first.result).code).toBe(0);
    sim.control.resetApp();

    const result = await rerunAt(sim, keyFile, join(dir, 'config'));
    expect(result.stderr).toContain(`${keyFile} holds your account's recovery key, activated by beeper-setup on `);
  });
});
