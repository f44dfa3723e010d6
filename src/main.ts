/**
 * Parses argv into the run's context once (src/runtime.ts: planRun, openRun),
 * hands it to its front end, and is the one place that decides the exit code:
 * every runner returns one, expected failures arrive as CliError and print as
 * one clear message, anything else is a bug and shows its stack only with
 * --debug. It also owns the stop signals; the run context closes what it
 * opened on every path (token flushed, tunnel closed).
 */
import { parseCli, type CliOptions } from './args.js';
import { CliError, errorEventCode, ExitCode } from './exitCodes.js';
import { HELP } from './help.js';
import { processIO, type ProgramIO } from './io.js';
import { openRun, planRun, type RunContext, type RunPlan } from './runtime.js';
import { printable, safeJson } from './shared/terminalText.js';
import { exitCodeForSignal, StopSignals, StoppedBySignal } from './signals.js';
import { stoppedBy } from './wording/endOfRun.js';

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

/** "localhost:9000" from a URL, or the text as given. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The front end (or report) the run's mode names, loaded only now. */
async function frontEnd(run: RunContext): Promise<number> {
  switch (run.mode) {
    case 'status':
      return (await import('./headless/status.js')).runStatus(run);
    case 'wizard':
      return (await import('./interactive.js')).runInteractive(run);
    case 'plain':
    case 'json':
      return (await import('./headless/run.js')).runHeadless(run);
    case 'logout':
      throw new Error('logout forgets a token; it opens no run');
  }
}

/** Opens the plan's run and hands it to its front end (or to `status`); everything opened closes on every path. */
async function runCommand(plan: RunPlan): Promise<number> {
  const { options, io } = plan;
  let run: RunContext | undefined;
  // The wizard takes a tenth of a second to load: say at once what is happening. Its first frame
  // wipes this line. Not before --ssh, whose password prompt would share the line.
  const early = plan.mode === 'wizard' && !options.ssh;
  try {
    if (early) {
      showEarlyLine(options.demo ? 'Beeper setup: starting the demo…' : `Beeper setup: connecting to ${hostOf(plan.baseUrl)}…`, io);
      (await import('./youngGeneration.js')).holdYoungGenerationSmall();
    }
    run = await openRun(plan);
    return await frontEnd(run);
  } catch (error) {
    // Failed before the wizard drew (a broken token store): the message gets a clean line, the keyboard its echo.
    if (early) {
      io.stdout.write('\r\u001b[2K');
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    }
    throw error;
  } finally {
    await run?.close();
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
    if (options.command === 'simulate') {
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
    // The command line, read once: every front end, `status` and `logout` work from this plan.
    const plan = planRun(options, io, stops, print);
    if (plan.mode === 'logout') return await (await import('./headless/status.js')).runLogout(plan);
    const code = await runCommand(plan);
    // A hang-up ends the run like Ctrl-C, with its own code: nobody is there to read the screen.
    return stops.received === 'SIGHUP' ? exitCodeForSignal('SIGHUP') : code;
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
