import { defineConfig } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  // What scripts/build.mjs writes into the bundle (src/version.d.ts).
  define: { BEEPER_SETUP_VERSION: JSON.stringify(pkg.version) },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/globalSetup.ts'],
    // Two cores here and on CI, but the terminal tests mostly wait on screens and polls:
    // four files at once keep both cores busy (measured: 78 s against 116 s with two).
    fileParallelism: true,
    maxWorkers: 4,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
