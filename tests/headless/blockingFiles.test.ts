/**
 * Files named on the command line that could block a read for ever (a FIFO nobody writes to, a
 * terminal or another device) are refused at once with a clear message: the built CLI, as real
 * processes, ends promptly by itself instead of hanging past --timeout, Ctrl-C and SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, scanOutputsAfterEach, simulator, spawnCli, tempDir, type CliResult } from './helpers.js';

scanOutputsAfterEach();


function fifo(): string {
  const path = join(tempDir(), 'nobody-writes-here');
  execFileSync('mkfifo', [path]);
  return path;
}

/** The run's result, or undefined if it had not ended after `ms` (it is then killed, so no test hangs). */
async function endsWithin(run: ReturnType<typeof spawnCli>, ms: number): Promise<CliResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  const result = await Promise.race([run.result, late]);
  clearTimeout(timer);
  if (!result) {
    run.child.kill('SIGKILL');
    await run.result;
  }
  return result;
}

describe('files that would block', () => {
  it.each([
    ['a FIFO nobody writes to', () => fifo(), 'is a named pipe (FIFO), not a regular file'],
    ['a character device', () => '/dev/zero', 'is a device (a terminal, say), not a regular file'],
  ])('--recovery-key-file naming %s is refused at once, with the way to pipe a key', async (_, path, words) => {
    const sim = await simulator();
    const file = path();
    const run = spawnCli(['--base-url', sim.url, '--email', 'alice@example.com', '--recovery-key-file', file, '--timeout', '5s'], cliEnv(join(tempDir(), 'config')));
    const result = await endsWithin(run, 8_000);
    expect(result, 'the run hung on the file').toBeDefined();
    expect(result!.code).toBe(1);
    expect(result!.stderr).toContain(`Could not read the recovery key file ${file}: it ${words}.`);
    expect(result!.stderr).toContain('use --recovery-key-stdin');
    // Refused before anything was asked of the server: no code was mailed.
    expect(sim.control.outbox()).toEqual([]);
  }, 20_000);

  it('verify --qr-file naming a FIFO is refused at once, naming --qr-file -', async () => {
    const sim = await simulator();
    const file = fifo();
    const run = spawnCli(['verify', '--base-url', sim.url, '--qr-file', file, '--timeout', '5s'], cliEnv(join(tempDir(), 'config')));
    const result = await endsWithin(run, 8_000);
    expect(result, 'the run hung on the file').toBeDefined();
    expect(result!.code).toBe(1);
    expect(result!.stderr).toContain(`Could not read the QR payload file ${file}: it is a named pipe (FIFO), not a regular file.`);
    expect(result!.stderr).toContain('--qr-file -');
  }, 20_000);
});
