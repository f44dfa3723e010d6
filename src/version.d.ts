/**
 * package.json's version, written into the code where it is used: by esbuild when bundling
 * (scripts/build.mjs) and by Vite in tests (vitest.config.ts). A constant, not an import, so the
 * quick `--version` loads no shared chunk for it.
 */
declare const BEEPER_SETUP_VERSION: string;
