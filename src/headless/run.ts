/**
 * `beeper-setup` without a full-screen UI: no TTY, --non-interactive, --json
 * or CI. Drives the same machine as the Ink wizard (startSetupActor), with
 * answers from flags, files, the environment and stdin, progress on stderr and
 * NDJSON events on stdout with --json. Returns the exit code (src/exitCodes.ts).
 */
import { CliError, ExitCode } from '../exitCodes.js';
import { startSetupActor, type RunContext } from '../runtime.js';
import { Driver, type DriverIO } from './driver.js';
import { createStdinLines } from './lines.js';
import { checkRecoveryKey, describeRecoveryKeyProblem } from '../shared/recoveryKey.js';
import { describeKeySource, readKey, recoveryKeySource } from './keys.js';
import { createReporter, eventCodeOf, HeadlessError } from './output.js';

export async function runHeadless(ctx: RunContext, io: Partial<DriverIO> = {}): Promise<number> {
  const { options } = ctx;
  const full: DriverIO = {
    out: io.out ?? createReporter({ json: options.json, debug: options.debug }),
    lines: io.lines ?? createStdinLines(),
    env: io.env ?? process.env,
    stdout: io.stdout ?? process.stdout,
    stderrIsTTY: io.stderrIsTTY ?? !!process.stderr.isTTY,
    heartbeatMs: io.heartbeatMs ?? 15_000,
  };

  // A key file that cannot be used should stop the run before a code is mailed, not after.
  const keySource = recoveryKeySource(options, full.env);
  if (keySource && keySource.kind !== 'stdin') {
    const check = checkRecoveryKey((await readKey(keySource, full.env)).reveal());
    if (!check.ok) {
      throw new HeadlessError('invalid-recovery-key', `The recovery key in ${describeKeySource(keySource)} is not valid: ${describeRecoveryKeyProblem(check.reason)}`, ExitCode.Error);
    }
  }
  // The demo's mailbox and phone speak on stderr, since nothing else shows them here.
  const stopDemoFeed = ctx.demo?.onEvent((event) => full.out.say(`[demo] ${event.text}`));
  for (const line of ctx.demo?.banner ?? []) full.out.say(`[demo] ${line}`);

  const actor = startSetupActor(ctx, {
    // Emojis unless --qr: they need nothing but text, which every stderr can show.
    preferEmoji: !options.qr,
    waitTimeoutMs: options.timeoutMs,
    // A short --timeout still gets a few polls in before it runs out.
    pollIntervalMs: Math.min(1000, Math.max(100, Math.floor(options.timeoutMs / 5))),
  });
  const driver = new Driver(ctx, actor, full);

  let signals = 0;
  const onSignal = () => {
    // A second Ctrl-C while stopping: leave at once.
    if (++signals > 1) process.exit(ExitCode.Interrupted);
    driver.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    actor.start();
    return await driver.run();
  } catch (error) {
    if (error instanceof CliError) {
      full.out.emit({ event: 'error', code: eventCodeOf(error), message: error.message, exitCode: error.exitCode });
      error.reported = true;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    actor.stop();
    stopDemoFeed?.();
    full.lines.close();
  }
}

