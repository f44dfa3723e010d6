#!/usr/bin/env node
/** The executable: runs main() and exits with its code once output has drained. */
import { ExitCode } from './exitCodes.js';
import { main } from './main.js';

// A reader that went away (`… --json | head -1`) is no reason for a stack trace: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.Error);
    throw error;
  });
}

const exitCode = await main(process.argv.slice(2));
const drain = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([drain(process.stdout), drain(process.stderr)]);
// Exit explicitly: a stray timer or socket must not keep a finished CLI alive.
process.exit(exitCode);
