import { defineConfig } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  // What scripts/build.mjs writes into the bundle (src/version.d.ts).
  define: { BEEPER_SETUP_VERSION: JSON.stringify(pkg.version) },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/globalSetup.ts'],
    // Two cores here and on CI: e2e runs spawn real processes and terminals.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
