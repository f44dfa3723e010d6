import { defineConfig } from 'vitest/config';
import pkg from './package.json' with { type: 'json' };

export default defineConfig({
  // What scripts/build.mjs writes into the bundle (src/version.d.ts).
  define: { BEEPER_SETUP_VERSION: JSON.stringify(pkg.version) },
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/globalSetup.ts'],
    setupFiles: ['tests/setup.ts'],
    // Two cores here and on CI, but the terminal tests mostly wait on screens and polls: eight
    // files at once keep both cores busy (measured on 2 cores: 92 s with eight, 123 s with six, 153 s with four).
    fileParallelism: true,
    maxWorkers: 8,
    // A worker keeps the modules it loaded for the next file: loading them afresh for each of ~90
    // files cost more CPU than the tests themselves. Tests that change a module's state put it back.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
