/** What the executable does once loaded: runs main() and exits with its code once output has drained. */
import { ExitCode } from './exitCodes.js';
import { main } from './main.js';
import { StopSignals } from './signals.js';

export async function runExecutable(): Promise<never> {
  const stops = new StopSignals();
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
      // The terminal hung up: nobody reads any more, but the cleanup (tunnel, token) still runs.
      if (stops.received) return;
      // A reader that went away (`… --json | head -1`) is no reason for a stack trace: stop quietly.
      process.exit(ExitCode.Error);
    });
  }

  const exitCode = await main(process.argv.slice(2), { stops });
  const drain = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (stream.destroyed || !stream.writable) return resolve();
      stream.write('', () => resolve());
    });
  await Promise.race([Promise.all([drain(process.stdout), drain(process.stderr)]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  // Exit explicitly: a stray timer or socket must not keep a finished CLI alive.
  process.exit(exitCode);
}
