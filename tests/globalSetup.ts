/**
 * Builds dist/cli.js once per test run, before any test file starts: the
 * end-to-end and headless tests run the built CLI, and several files building
 * it at once would race on the same output file.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildCliOnce(): void {
  // Files that never run the CLI (unit, contract, component) can skip it while iterating.
  if (process.env.SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
