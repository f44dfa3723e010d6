/**
 * Parses argv, picks the front end, and is the one place that decides the
 * exit code: every runner returns one, expected failures arrive as CliError
 * and print as one clear message, anything else is a bug and shows its stack
 * only with --debug. It also owns the stop signals and the cleanup that
 * follows them (tunnel closed, token flushed).
 */
import { hasUserInfo, isClearTextBeyondLoopback, resolveBaseUrl, withoutUserInfo } from './api/transport.js';
import { HELP, parseCli, refuseScriptAnswers, type CliOptions } from './args.js';
import { CliError, errorEventCode, ExitCode } from './exitCodes.js';
import { printable } from './headless/output.js';
import { processIO, type ProgramIO } from './io.js';
import { DebugLog } from './debugLog.js';
import type { RunContext } from './runtime.js';
import { safeJson } from './shared/terminalText.js';
import { exitCodeForSignal, StopSignals, StoppedBySignal } from './signals.js';
import { stoppedBy } from './wording/endOfRun.js';

/** Ink only with a person at both ends of a terminal, and not when plain lines were asked for. */
export function wantsInteractive(options: CliOptions, io: Pick<ProgramIO, 'env' | 'tty'>): boolean {
  const { env } = io;
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  // TERM=dumb cannot take the wizard's redraws: the plain line mode serves it.
  const dumb = env.TERM === 'dumb';
  return io.tty.stdin && io.tty.stdout && !options.nonInteractive && !options.json && !options.plain && !ci && !dumb;
}

/**
 * One line while the wizard loads, on a line of its own that nothing extends: keys typed from
 * here on are not echoed (Ink reads them later), and what the terminal echoed before is wiped.
 * The wizard's first frame wipes this line in turn (src/interactive.tsx).
 */
function showEarlyLine(text: string, io: ProgramIO): void {
  if (io.stdout !== process.stdout || !process.stdin.isTTY) return;
  process.stdin.setRawMode(true);
  const columns = process.stdout.columns || 80;
  io.stdout.write(`\r\u001b[2K${[...text].slice(0, columns - 1).join('')}`);
}

/** "localhost:23373" from a URL, or the text as given. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * A user name or password in the address would be printed in every message that names it, and
 * Beeper's API takes none: refused before anything is sent or shown, naming only the rest of it.
 */
export function refuseUserInfo(url: string, options: Pick<CliOptions, 'baseUrl'>): void {
  if (!hasUserInfo(url)) return;
  const from = options.baseUrl ? '--base-url' : 'BEEPER_BASE_URL';
  const bare = withoutUserInfo(url);
  throw new CliError(
    `The address in ${from} holds a user name or password before the host. Beeper's API takes none, and beeper-setup never sends or prints them.`,
    ExitCode.Usage,
    `Give the address without them: ${from === '--base-url' ? `--base-url ${bare}` : `BEEPER_BASE_URL=${bare}`}.`,
  );
}

/**
 * A base URL that cannot work is a usage error, not an unreachable app; one that
 * would carry the token in clear text across a network needs the user's word for it.
 */
export function checkBaseUrl(url: string, options: Pick<CliOptions, 'allowInsecureHttp' | 'baseUrl'>, say: (line: string) => void): string {
  refuseUserInfo(url, options);
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
  if (isClearTextBeyondLoopback(url)) {
    if (!options.allowInsecureHttp) {
      throw new CliError(
        `${url} is plain HTTP to another machine: the sign-in code, your recovery key and the access token would cross the network unencrypted.`,
        ExitCode.Usage,
        `Use --ssh [user@]${parsed.hostname} to reach a remote Beeper Server through an encrypted tunnel, an https:// address, or --allow-insecure-http if you accept the risk.`,
      );
    }
    say(`Warning: ${url} is plain HTTP to another machine. The sign-in code, your recovery key and the access token travel unencrypted (--allow-insecure-http).`);
  }
  return url;
}

async function runSetup(options: CliOptions, stops: StopSignals, io: ProgramIO, print: (line: string) => void): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  const debugLog = new DebugLog(options.debug, print);
  let context: RunContext | undefined;
  // The wizard takes a tenth of a second to load: say at once what is happening. Its first frame
  // wipes this line. Not before --ssh, whose password prompt would share the line.
  const early = options.command !== 'status' && !options.ssh && wantsInteractive(options, io);
  try {
    if (options.command !== 'status' && wantsInteractive(options, io)) refuseScriptAnswers(options);
    const given = resolveBaseUrl(options.baseUrl, io.env);
    let baseUrl = options.demo || options.ssh ? given : checkBaseUrl(given, options, print);
    if (early) {
      showEarlyLine(options.demo ? 'Beeper setup: starting the demo…' : `Beeper setup: connecting to ${hostOf(baseUrl)}…`, io);
      (await import('./youngGeneration.js')).holdYoungGenerationSmall();
    }
    let tokenKey = baseUrl;
    let demo: RunContext['demo'];
    let tunnel: RunContext['tunnel'];
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
      const opened = await openSshTunnel(options.ssh, options.remotePort, { debug: options.debug, log: debugLog.write, signal: stops.signal, env: io.env });
      cleanups.push(opened.close);
      baseUrl = opened.baseUrl;
      tokenKey = opened.tokenKey;
      tunnel = opened;
    }
    // One run per app: a second would sign this one out. `status` only reads; the demo's app is its own.
    if (options.command !== 'status' && !options.demo) {
      const { claimApp } = await import('./runLock.js');
      cleanups.push(await claimApp(tokenKey, io.env, { say: print }));
    }
    const { createRunContext } = await import('./runtime.js');
    context = await createRunContext(options, baseUrl, tokenKey, io, debugLog, stops);
    context.demo = demo;
    context.tunnel = tunnel;
    if (options.command === 'status') {
      const { runStatus } = await import('./headless/status.js');
      return await runStatus(context);
    }
    if (wantsInteractive(options, io)) {
      const { runInteractive } = await import('./interactive.js');
      return await runInteractive(context);
    }
    const { runHeadless } = await import('./headless/run.js');
    return await runHeadless(context);
  } catch (error) {
    // Failed before the wizard drew (a broken token store): the message gets a clean line, the keyboard its echo.
    if (early) {
      io.stdout.write('\r\u001b[2K');
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    }
    throw error;
  } finally {
    // A token saved just before the end must reach the disk before the process exits.
    await context?.keeper.flush();
    // Tunnels and the demo simulator close on every path, signals and errors included.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

export interface MainOptions {
  stops?: StopSignals;
  io?: ProgramIO;
  /** False in tests that run main in-process: the test runner owns the process's signals. */
  installSignals?: boolean;
}

export async function main(argv: string[], { stops = new StopSignals(), io = processIO(), installSignals = true }: MainOptions = {}): Promise<number> {
  const print = (line: string) => void io.stderr.write(`${printable(line)}\n`);
  const emitError = (code: string, message: string, exitCode: number) =>
    void io.stdout.write(`${safeJson({ event: 'error', code, message, exitCode })}\n`);
  let options: CliOptions | undefined;
  const uninstall = installSignals ? stops.install() : () => {};
  try {
    options = parseCli(argv);
    if (options.help) {
      io.stdout.write(HELP);
      return ExitCode.Ready;
    }
    if (options.version) {
      io.stdout.write(`${BEEPER_SETUP_VERSION}\n`);
      return ExitCode.Ready;
    }
    switch (options.command) {
      case 'simulate': {
        const { runSimulateCommand } = await import('./simulator/index.js');
        const { commandAsInvoked } = await import('./invocation.js');
        await runSimulateCommand({
          ...(options.port !== undefined ? { port: options.port } : {}),
          autoOtherDevice: true,
          strict: options.strict,
          signal: stops.signal,
          command: commandAsInvoked(),
        });
        return ExitCode.Ready;
      }
      case 'logout': {
        // The address names the saved token and is printed: one with a password in it is refused here too.
        if (!options.ssh) refuseUserInfo(resolveBaseUrl(options.baseUrl, io.env), options);
        const { runLogout } = await import('./headless/status.js');
        return await runLogout(options, io);
      }
      default: {
        const code = await runSetup(options, stops, io, print);
        // A hang-up ends the run like Ctrl-C, with its own code: nobody is there to read the screen.
        return stops.received === 'SIGHUP' ? exitCodeForSignal('SIGHUP') : code;
      }
    }
  } catch (error) {
    if (error instanceof StoppedBySignal || stops.received) {
      // Stopped before a front end took over (opening the tunnel): nothing was sent that needs undoing.
      if (!(error instanceof CliError)) {
        const signal = error instanceof StoppedBySignal ? error.signal : stops.received!;
        if (signal !== 'SIGHUP') print('Stopped. Nothing was changed on the server.');
        if (options?.json ?? argv.includes('--json')) emitError('interrupted', stoppedBy(signal), exitCodeForSignal(signal));
        return exitCodeForSignal(signal);
      }
    }
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
  } finally {
    uninstall();
  }
}
