/**
 * `beeper-setup` without a full-screen UI: no TTY, --plain, --non-interactive,
 * --json or CI. Drives the same machine as the Ink wizard (createSetupActor),
 * with answers from flags, files, the environment and stdin, progress on
 * stderr and NDJSON events on stdout with --json. Returns the exit code
 * (src/exitCodes.ts). Tests run it in-process with their own IO and clock.
 */
import { CliError } from '../exitCodes.js';
import type { RunContext } from '../runtime.js';
import { createSetupActor } from '../setupActor.js';
import { resolveLanguage } from '../shared/sasNames.js';
import { Driver, type DriverIO } from './driver.js';
import { createReporter, eventCodeOf } from './output.js';
import { preflight } from './preflight.js';

export async function runHeadless(ctx: RunContext): Promise<number> {
  const { options, io } = ctx;
  const env = io.env;
  const lines = io.lines();
  const full: DriverIO = {
    out: createReporter({ json: ctx.mode === 'json', debug: options.debug, stdout: io.stdout, stderr: io.stderr }),
    lines,
    // Plain mode in a terminal: someone reads stderr and types on stdin, so the wizard's questions can be asked.
    person: !!lines.terminal && io.tty.stderr,
    env,
    stdout: io.stdout,
    stderrIsTTY: io.tty.stderr,
    // A dumb terminal shows escape sequences as text: the QR code is drawn without colours there.
    color: !env.NO_COLOR && env.TERM !== 'dumb',
    heartbeatMs: io.heartbeatMs,
    clock: io.clock,
    language: resolveLanguage({ flag: options.lang, env }).code,
  };
  const stopDemoFeed = ctx.demo?.onEvent((event) => full.out.say(`[demo] ${event.text}`));
  let stopWatchingSignals: (() => void) | undefined;
  try {
    for (const note of ctx.storeNotes) full.out.say(note);
    // What flags, files and the environment reveal stops the run before the first request, not after a code is mailed.
    await preflight(ctx, { lines: full.lines, canShowNewKey: full.person });
    const language = resolveLanguage({ flag: options.lang, env });
    if (language.source === 'flag' && language.unknown) full.out.say(`No emoji names in "${language.unknown}"; showing them in English.`);
    // The demo's mailbox and phone speak on stderr, since nothing else shows them here.
    for (const line of ctx.demo?.banner ?? []) full.out.say(`[demo] ${line}`);

    const actor = createSetupActor(
      ctx,
      {
        // Emojis unless --qr: they need nothing but text, which every stderr can show.
        preferEmoji: !options.qr,
        // A short --timeout still gets a few polls in before it runs out.
        pollIntervalMs: Math.min(1000, Math.max(100, Math.floor(options.timeoutMs / 5))),
      },
      full.clock,
    );
    const driver = new Driver(ctx, actor, full);
    // Only stops watching: nothing is cancelled on the server, so a rerun resumes.
    stopWatchingSignals = ctx.stops.onStop(() => actor.send({ type: 'INTERRUPT' }));
    actor.start();
    try {
      return await driver.run();
    } finally {
      actor.stop();
    }
  } catch (error) {
    if (error instanceof CliError && !error.reported) {
      full.out.emit({ event: 'error', code: eventCodeOf(error), message: error.message, exitCode: error.exitCode });
      error.reported = true;
    }
    throw error;
  } finally {
    stopWatchingSignals?.();
    stopDemoFeed?.();
    full.lines.close();
  }
}
