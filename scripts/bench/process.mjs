// Process timing: spawn to exit of one program (no terminal), optionally with its peak RSS
// and a driver that answers what it prints on stdout.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePeakRss } from './sampling.mjs';
import { now, since } from './stats.mjs';

export const TIME_COMMAND = '/usr/bin/time';
export const hasTimeCommand = existsSync(TIME_COMMAND);

/**
 * Runs `file args` to its exit and resolves with { ms, exitCode, signal, stdout, stderr, peakRssMb? }.
 * - rss: also measure the peak RSS. With /usr/bin/time the child runs under `time -f %M`
 *   (the kernel's own maximum for the exec'd program, exact); without it VmHWM is sampled
 *   from /proc every 5 ms (may miss a rise in the last milliseconds). Time rows run
 *   without rss so no wrapper is ever on their clock.
 * - onStdout(text, child): called with each stdout chunk (e.g. to write an answer to stdin).
 */
export async function runProcess({ file, args, env, cwd, rss = false, onStdout, timeoutMs = 60_000 }) {
  let command = file;
  let argv = args;
  let rssDir;
  if (rss && hasTimeCommand) {
    rssDir = mkdtempSync(join(tmpdir(), 'bench-rss-'));
    command = TIME_COMMAND;
    argv = ['-f', '%M', '-o', join(rssDir, 'rss'), file, ...args];
  }
  const started = now();
  const child = spawn(command, argv, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const sampler = rss && !hasTimeCommand ? samplePeakRss(child.pid) : undefined;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    onStdout?.(chunk, child);
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.on('error', () => {}); // EPIPE when the program exits without reading.
  if (!onStdout) child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { exitCode, signal, ms } = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => resolve({ exitCode: code, signal: sig, ms: since(started) }));
  });
  clearTimeout(timer);
  // 'exit' can come before the pipes drain: wait for them so stdout is complete.
  await Promise.all([child.stdout, child.stderr].map((stream) => (stream.readableEnded ? undefined : new Promise((resolve) => stream.once('close', resolve)))));
  let peakRssMb = sampler?.stop();
  if (rssDir) {
    const kb = Number(readFileSync(join(rssDir, 'rss'), 'utf8').trim().split('\n').pop());
    peakRssMb = Number.isFinite(kb) ? kb / 1024 : undefined;
    rmSync(rssDir, { recursive: true, force: true });
  }
  return { ms, exitCode, signal, stdout, stderr, peakRssMb, timedOut: signal === 'SIGKILL' };
}
