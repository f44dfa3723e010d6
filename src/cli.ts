#!/usr/bin/env node
/** The executable: runs main() and exits with its code once output has drained. */
import { main } from './main.js';

const exitCode = await main(process.argv.slice(2));
const drain = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([drain(process.stdout), drain(process.stderr)]);
// Exit explicitly: a stray timer or socket must not keep a finished CLI alive.
process.exit(exitCode);
