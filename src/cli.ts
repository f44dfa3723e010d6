#!/usr/bin/env node
/**
 * The executable: turns on Node's compile cache where it has one (Node 22+), answers a bare
 * `--version` or `--help` straight away from the texts the build wrote in (scripts/build.mjs),
 * and otherwise loads main() (src/executable.ts).
 * Nothing else is imported statically, so the cache is on before the rest is compiled.
 */
import module from 'node:module';


// Node 22.1+; the Node 20 types do not know it yet.
const withCache = module as typeof module & { enableCompileCache?: () => unknown };
try {
  withCache.enableCompileCache?.();
} catch {
  // A read-only or missing cache folder only costs speed.
}

// The same answers main() gives (it parses these flags in any company); alone, they need nothing loaded.
const [only, ...more] = process.argv.slice(2);
if (more.length === 0 && (only === '--version' || only === '-v')) {
  process.stdout.write(`${BEEPER_SETUP_VERSION}\n`);
} else if (more.length === 0 && (only === '--help' || only === '-h')) {
  process.stdout.write(BEEPER_SETUP_HELP);
} else {
  const { runExecutable } = await import('./executable.js');
  await runExecutable();
}
