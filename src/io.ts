/**
 * The program's world: its streams, environment, standard input as lines, and
 * clock. main() takes one, so tests run the whole CLI in-process with captured
 * output, scripted answers and a fast clock; the executable passes the real one.
 */
import { realClock, type RunClock } from './clock.js';
import { createStdinLines, type LineSource } from './lines.js';

export interface ProgramIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Which standard streams are terminals. */
  tty: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Standard input, one answer per line (opened on first use). */
  lines(): LineSource;
  clock: RunClock;
  /** How often a long wait reports its elapsed time. */
  heartbeatMs: number;
}

export function processIO(): ProgramIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    tty: { stdin: !!process.stdin.isTTY, stdout: !!process.stdout.isTTY, stderr: !!process.stderr.isTTY },
    lines: () => createStdinLines(),
    clock: realClock,
    heartbeatMs: 15_000,
  };
}
