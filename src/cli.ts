#!/usr/bin/env node
/**
 * The executable: turns on Node's compile cache where it has one (Node 22+), answers a bare
 * `--version` or `--help` straight away, and otherwise loads main() (src/executable.ts).
 * Nothing else is imported statically, so the cache is on before the rest is compiled.
 */
import module from 'node:module';
import v8 from 'node:v8';
import pkg from '../package.json' with { type: 'json' };

// V8 doubles the young generation whenever it fills up, to 32 MB by default: for a program whose live
// data is a few megabytes that is only resident memory (about 30 MB on Node 20). Kept at its first size,
// scavenges stay frequent and cheap. (0 would crash V8; 1 means "do not grow".)
v8.setFlagsFromString('--semi-space-growth-factor=1');

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
  process.stdout.write(`${pkg.version}\n`);
} else if (more.length === 0 && (only === '--help' || only === '-h')) {
  const { HELP } = await import('./help.js');
  process.stdout.write(HELP);
} else {
  const { runExecutable } = await import('./executable.js');
  await runExecutable();
}
