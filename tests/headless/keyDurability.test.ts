/**
 * The new recovery key is on disk for good — the file synced, linked to its name, the folder
 * synced — before `reset/confirm` makes it the account's key; when that cannot be done, the key is
 * not activated and nothing is left at the path. In-process with injected faults (any machine), and
 * the built CLI under strace where strace exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileCalls } from '../../src/shared/privateFile.js';
import { sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { cliEnv, feedCodes, recoveryKeyOf, RESET_CONFIRM, runCli, scanOutputsAfterEach, simulator, spawnCli, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
afterEach(() => vi.restoreAllMocks());

const confirmed = (s: RunningSimulator) => s.control.requests().some((request) => request.path === RESET_CONFIRM);

/** Calls `onSync` whenever the key's folder is synced; it may throw to inject a fault there. */
function onFolderSync(folder: string, onSync: () => void): void {
  const open = fileCalls.open;
  vi.spyOn(fileCalls, 'open').mockImplementation((async (target: string, ...rest: unknown[]) => {
    const handle = await (open as (...a: unknown[]) => Promise<FileHandle>)(target, ...rest);
    if (target !== folder) return handle;
    return new Proxy(handle, {
      get(real, prop) {
        const value = Reflect.get(real, prop) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'sync') {
          return async () => {
            onSync();
            return real.sync();
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(real);
      },
    });
  }) as typeof fileCalls.open);
}

describe('the new key file before reset/confirm', () => {
  it('syncs the key file folder before the confirm request is sent', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const confirmedAtSync: boolean[] = [];
    onFolderSync(dir, () => void confirmedAtSync.push(confirmed(sim)));
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);
    expect(confirmedAtSync).toEqual([false]);
    expect(confirmed(sim)).toBe(true);
    expect(sameRecoveryKey(readFileSync(keyFile, 'utf8'), recoveryKeyOf(sim, EMAIL))).toBe(true);
  });

  it('when the folder cannot be synced: exit 1, the key not activated, nothing left at the path', async () => {
    const sim = await simulator();
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const before = recoveryKeyOf(sim, EMAIL);
    onFolderSync(dir, () => {
      throw Object.assign(new Error('injected EIO'), { code: 'EIO' });
    });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json'], cliEnv(join(dir, 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not write the new recovery key to ${keyFile}: could not sync its folder: an input/output error. It was not activated`);
    expect(existsSync(keyFile)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('new-key'))).toEqual([]);
    expect(confirmed(sim)).toBe(false);
    expect(recoveryKeyOf(sim, EMAIL)).toBe(before);
  });
});

/** strace's lines as completed calls, in the order they returned ("<unfinished …>" joined to its "resumed"). */
function completedCalls(trace: string): { pid: string; call: string; args: string; result: string }[] {
  const pending = new Map<string, string>();
  const calls: { pid: string; call: string; args: string; result: string }[] = [];
  for (const line of trace.split('\n')) {
    const match = /^(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, pid, rest] = match as unknown as [string, string, string];
    if (rest.endsWith('<unfinished ...>')) {
      pending.set(pid, rest.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    const text = resumed ? `${pending.get(pid) ?? ''}${resumed[1]}` : rest;
    pending.delete(pid);
    const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$/s.exec(text);
    if (call) calls.push({ pid, call: call[1]!, args: call[2]!, result: call[3]! });
  }
  return calls;
}

const hasStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('under strace (the built CLI)', () => {
  it('fsyncs the key file and then its folder before the confirm request leaves', async (test) => {
    if (!hasStrace) return test.skip('skipped: strace is not installed (apt-get install strace; .ci/run installs it)');
    const sim = await simulator();
    const dir = tempDir();
    const keyFile = join(dir, 'new-key.txt');
    const traceFile = join(dir, 'trace.txt');
    const run = spawnCli(
      ['--base-url', sim.url, '--email', EMAIL, '--reset-recovery-key', '--new-recovery-key-file', keyFile, '--json'],
      cliEnv(join(dir, 'config')),
      { wrap: ['strace', '-f', '-qq', '-s', '120', '-o', traceFile, '-e', 'trace=openat,fsync,fdatasync,link,linkat,write,writev,sendto,sendmsg'] },
    );
    feedCodes(sim, run, EMAIL);
    const result = await run.result;
    expect(result.code, result.stderr).toBe(0);

    const calls = completedCalls(readFileSync(traceFile, 'utf8'));
    const quoted = (path: string) => `"${path}"`;
    const tempOpen = calls.findIndex((c) => c.call === 'openat' && c.args.includes(`${keyFile}.`) && c.args.includes('O_EXCL'));
    const linked = calls.findIndex((c) => (c.call === 'link' || c.call === 'linkat') && c.args.includes(`, ${quoted(keyFile)}`) && c.result === '0');
    const folderOpen = calls.findLastIndex((c, i) => i < linked && c.call === 'openat' && c.args.includes(quoted(dirname(keyFile))) && c.args.includes('O_DIRECTORY'));
    for (const [name, at] of Object.entries({ tempOpen, folderOpen, linked })) expect(at, `${name} in the trace`).toBeGreaterThanOrEqual(0);
    const fileSync = calls.findIndex((c, i) => i > tempOpen && c.call === 'fsync' && c.args === calls[tempOpen]!.result);
    const folderSync = calls.findIndex((c, i) => i > linked && c.call === 'fsync' && c.args === calls[folderOpen]!.result);
    const confirm = calls.findIndex((c) => /^(write|writev|sendto|sendmsg)$/.test(c.call) && c.args.includes(`POST ${RESET_CONFIRM}`));
    expect(confirm, 'the confirm request in the trace').toBeGreaterThanOrEqual(0);
    expect(fileSync).toBeGreaterThan(tempOpen);
    expect(linked).toBeGreaterThan(fileSync);
    expect(folderSync).toBeGreaterThan(linked);
    expect(confirm).toBeGreaterThan(folderSync);
  }, 60_000);
});
