/**
 * package.json's version, written into the code where it is used: by esbuild when bundling
 * (scripts/build.mjs) and by Vite in tests (vitest.config.ts). A constant, not an import, so the
 * quick `--version` loads no shared chunk for it.
 */
declare const BEEPER_SETUP_VERSION: string;

/**
 * The --help text (src/help.ts, made from src/args.ts's table), written into the entry by esbuild
 * (scripts/build.mjs) for the quick `--help` of src/cli.ts. Bundled code only: tests import HELP.
 */
declare const BEEPER_SETUP_HELP: string;
