/**
 * A confirm of the new recovery key whose answer is lost: the connection drops after Beeper took
 * the key, or before it got the request, or Beeper is gone for good. The run reads the session again
 * and says whether the new key is the account's, naming its file; it never leaves that unsaid.
 * Faults come from a relay between the run and the simulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, recoveryKeyOf, relay, RESET_CONFIRM, runCli, scanOutputsAfterEach, simulator, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
type Drop = 'after-applied' | 'before-sent';

/** Relays to the simulator; the first confirm loses its connection (after or before reaching it); `deadAfter`: all after it too. */
function faultyRelay(target: string, drop: Drop, deadAfter = false): Promise<string> {
  let dropped = false;
  return relay(target, ({ req, forward }) => {
    const isConfirm = req.url === RESET_CONFIRM && !dropped;
    if ((dropped && deadAfter) || (isConfirm && drop === 'before-sent')) {
      dropped = true;
      req.socket.destroy();
      return true;
    }
    if (!isConfirm) return false;
    forward((answer) => {
      // Beeper took it; its answer never arrives.
      dropped = true;
      answer.resume();
      answer.on('end', () => req.socket.destroy());
    });
    return true;
  });
}

const confirms = (s: RunningSimulator) => s.control.requests().filter((r) => r.path === RESET_CONFIRM).length;

async function resetThrough(drop: Drop, deadAfter = false, extra: string[] = []) {
  const sim = await simulator();
  const url = await faultyRelay(sim.url, drop, deadAfter);
  const dir = tempDir();
  const keyFile = join(dir, 'new-key.txt');
  const run = runCli(['--base-url', url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json', ...extra], cliEnv(join(dir, 'config')));
  feedCodes(sim, run, EMAIL);
  return { result: await run.result, keyFile, sim, recorded: () => JSON.parse(readFileSync(join(dir, 'config', 'beeper-setup', 'recovery-key-files.json'), 'utf8'))[keyFile] };
}

describe('a confirm whose answer is lost', () => {
  it('after Beeper took the key: the session read again shows it is active, and the run says so, naming the file', async () => {
    const { result, keyFile, sim, recorded } = await resetThrough('after-applied');
    expect(result.code, result.stderr).toBe(0);
    // A rerun that finds the file will call it the account's key.
    expect(recorded()).toMatchObject({ state: 'active', app: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) });
    const notice = result.events.find((event) => event.event === 'notice' && event.code === 'new-key-active');
    expect(notice?.message).toContain("it is now your account's recovery key");
    expect(notice?.message).toContain(keyFile);
    expect(confirms(sim)).toBe(1);
    expect(sameRecoveryKey(readFileSync(keyFile, 'utf8'), recoveryKeyOf(sim, EMAIL))).toBe(true);
    expect(result.stderr).not.toContain('Nothing answered');
  });

  it('before Beeper got it: the run says the key is not active yet and confirms it again', async () => {
    const { result, keyFile, sim } = await resetThrough('before-sent');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Beeper reports that it did not take it: the new key is not active yet, and your old key (if any) still works. It is in ${keyFile}. Confirming it again.`);
    expect(confirms(sim)).toBe(1);
    expect(sameRecoveryKey(readFileSync(keyFile, 'utf8'), recoveryKeyOf(sim, EMAIL))).toBe(true);
  });

  it('when Beeper does not answer again: exit 5, saying honestly that it is not known, and to keep the file', async () => {
    const { result, keyFile, sim, recorded } = await resetThrough('after-applied', true, ['--timeout', '60s']);
    expect(result.code).toBe(5);
    expect(recorded()).toMatchObject({ state: 'activating' });
    const error = result.events.at(-1);
    expect(error).toMatchObject({ event: 'error', code: 'key-outcome-unknown', exitCode: 5 });
    expect(error?.message).toContain("whether the new key is now your account's key is not known");
    expect(error?.message).toContain(`It is in ${keyFile}: keep that file`);
    // It was taken, and the file holds it.
    expect(sameRecoveryKey(readFileSync(keyFile, 'utf8'), recoveryKeyOf(sim, EMAIL))).toBe(true);
  });
});
