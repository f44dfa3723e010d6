/**
 * Parses argv, picks the front end, and is the one place that
 * decides the exit code: every runner returns one, expected failures arrive
 * as CliError and print as one clear message, anything else is a bug and
 * shows its stack only with --debug.
 */
import pkg from '../package.json' with { type: 'json' };
import { resolveBaseUrl } from './api/client.js';
import { HELP, parseCli, type CliOptions } from './args.js';
import { CliError, errorEventCode, ExitCode } from './exitCodes.js';
import { createRunContext, DebugLog, flushTokenWrites, type RunContext } from './runtime.js';

const print = (line: string) => process.stderr.write(`${line}\n`);
const emitError = (code: string, message: string, exitCode: number) =>
  process.stdout.write(`${JSON.stringify({ event: 'error', code, message, exitCode })}\n`);

/** Ink only with a person at both ends of a terminal; otherwise plain, scriptable output. */
export function wantsInteractive(options: CliOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  return !!process.stdin.isTTY && !!process.stdout.isTTY && !options.nonInteractive && !options.json && !ci;
}

/** A base URL that cannot work is a usage error, not an unreachable app. */
function checkBaseUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new CliError(
      `"${url}" is not a Beeper API address.`,
      ExitCode.Usage,
      'Give it as http://HOST:PORT, e.g. --base-url http://localhost:23373 (or set BEEPER_BASE_URL).',
    );
  }
  return url;
}

async function runSetup(options: CliOptions): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  const debugLog = new DebugLog(options.debug, print);
  try {
    let baseUrl = checkBaseUrl(resolveBaseUrl(options.baseUrl));
    let tokenKey = baseUrl;
    let demo: RunContext['demo'];
    if (options.demo) {
      // The demo's simulator lives as long as this run: a token for it is worth nothing later.
      options = { ...options, saveToken: false };
      const { startDemo } = await import('./demo.js');
      const running = await startDemo();
      cleanups.push(running.close);
      baseUrl = running.baseUrl;
      tokenKey = running.baseUrl;
      demo = running.handle;
    } else if (options.ssh) {
      const { openSshTunnel } = await import('./ssh.js');
      const tunnel = await openSshTunnel(options.ssh, options.remotePort, { debug: options.debug, log: debugLog.write });
      cleanups.push(tunnel.close);
      baseUrl = tunnel.baseUrl;
      tokenKey = tunnel.tokenKey;
    }
    const context = await createRunContext(options, baseUrl, tokenKey, process.env, debugLog);
    context.demo = demo;
    if (options.command === 'status') {
      const { runStatus } = await import('./headless/status.js');
      return await runStatus(context);
    }
    if (wantsInteractive(options)) {
      const { runInteractive } = await import('./interactive.js');
      return await runInteractive(context);
    }
    const { runHeadless } = await import('./headless/run.js');
    return await runHeadless(context);
  } finally {
    // A token saved just before the end must reach the disk before the process exits.
    await flushTokenWrites();
    // Tunnels and the demo simulator close on every path, including errors.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCli(argv);
    if (options.help) {
      process.stdout.write(HELP);
      return ExitCode.Ready;
    }
    if (options.version) {
      process.stdout.write(`${pkg.version}\n`);
      return ExitCode.Ready;
    }
    switch (options.command) {
      case 'simulate': {
        const { runSimulateCommand } = await import('./simulator/index.js');
        await runSimulateCommand({ ...(options.port !== undefined ? { port: options.port } : {}), autoOtherDevice: true });
        return ExitCode.Ready;
      }
      case 'logout': {
        const { runLogout } = await import('./headless/status.js');
        return await runLogout(options);
      }
      default:
        return await runSetup(options);
    }
  } catch (error) {
    // Scripts reading --json see every failure as an event, even one before any flow started (a usage error, ssh).
    const json = options?.json ?? argv.includes('--json');
    if (error instanceof CliError) {
      if (json && !error.reported) emitError(errorEventCode(error.exitCode), error.message, error.exitCode);
      print(`beeper-setup: ${error.message}`);
      if (error.hint) print(error.hint);
      return error.exitCode;
    }
    if (json) emitError('bug', error instanceof Error ? error.message : String(error), ExitCode.Error);
    print(`beeper-setup: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    if (options?.debug && error instanceof Error && error.stack) print(error.stack);
    else print('This is a bug in beeper-setup. Run again with --debug for details.');
    return ExitCode.Error;
  }
}

