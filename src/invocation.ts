/**
 * The command that started this run, as a person can type it again here: what
 * the ready screen, "run it again" lines and the simulator's banner suggest.
 * A bare `beeper-setup` is only right where it is on PATH; from a clone it is
 * `node dist/cli.js`, from a tarball `npx ./beeper-setup-<version>.tgz`.
 */
import { readFileSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BEEPER_PORT, DEFAULT_BASE_URL } from './api/types.js';
import type { CliOptions } from './args.js';

export interface Invocation {
  /** "beeper-setup", "npx ./beeper-setup-0.1.0.tgz", "node dist/cli.js". */
  command: string;
  /** The flags that name this run's Beeper when it is not the default one: "--base-url http://…", "--ssh admin@host". */
  address: string;
}

export interface InvokedFrom {
  /** process.argv[1]: the script as started (a bin link keeps its own path). */
  script: string | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const processInvocation = (): InvokedFrom => ({ script: process.argv[1], env: process.env, cwd: process.cwd() });

/** How this process was started, as a command that works in the same folder and shell. */
export function commandAsInvoked({ script, env, cwd }: InvokedFrom = processInvocation()): string {
  if (!script) return 'beeper-setup';
  // npx runs a bin from its cache; the cache's package.json says what was asked for.
  const npx = /^(.*[\\/]_npx[\\/][^\\/]+)[\\/]node_modules[\\/]\.bin[\\/]/.exec(script);
  if (npx) return `npx ${npxSpec(npx[1]!, cwd)}`;
  // A bin link on PATH (npm link, a global install) answers to its name.
  const name = basename(script);
  const onPath = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && resolve(dir) === dirname(resolve(script)));
  if (onPath) return name;
  // Anything else was started with node and a path: the same path, from here.
  const path = relative(cwd, resolve(script));
  const shown = path === '' || path.startsWith('..') || isAbsolute(path) ? resolve(script) : path;
  return `node ${/\s/.test(shown) ? `'${shown}'` : shown}`;
}

/** "beeper-setup" for a registry package; "./beeper-setup-0.1.0.tgz" (from `cwd`) for a tarball. */
function npxSpec(cacheDir: string, cwd: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(cacheDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const spec = manifest.dependencies?.['beeper-setup'];
    if (spec?.startsWith('file:')) {
      // npx takes a relative path to a tarball, not an absolute one.
      const path = relative(cwd, resolve(cacheDir, spec.slice('file:'.length)));
      return path.startsWith('.') ? path : `.${sep}${path}`;
    }
  } catch {
    // No manifest to read: the registry's name is the best guess.
  }
  return 'beeper-setup';
}

/** The address flags a rerun needs: the ones given, unless they name the default address. */
export function addressFlags(options: Pick<CliOptions, 'ssh' | 'remotePort' | 'baseUrl'>): string {
  if (options.ssh) return `--ssh ${options.ssh}${options.remotePort !== BEEPER_PORT ? ` --remote-port ${options.remotePort}` : ''}`;
  if (options.baseUrl && options.baseUrl.replace(/\/+$/, '') !== DEFAULT_BASE_URL) return `--base-url ${options.baseUrl}`;
  return '';
}

export function invocationOf(options: Pick<CliOptions, 'ssh' | 'remotePort' | 'baseUrl'>, from?: InvokedFrom): Invocation {
  return { command: commandAsInvoked(from), address: addressFlags(options) };
}

/** "node dist/cli.js status --base-url http://127.0.0.1:9000". */
export function commandLine(invocation: Invocation, ...words: string[]): string {
  return [invocation.command, ...words, invocation.address].filter((word) => word !== '').join(' ');
}
