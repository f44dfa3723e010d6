/**
 * The Ink wizard: starts the setup machine, renders it, and turns its end
 * into an exit code. Demo-only behaviour (the simulated phone scanning the
 * QR code, the demo panel's feed) lives here, not in the step components.
 */
import { useSelector } from '@xstate/react';
import { render, useStdout } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { toPromise, type Actor } from 'xstate';
import type { SetupContext, SetupMachine, SetupOutput } from '../machines/setupMachine.js';
import { createKeyStorage } from '../components/keyStorage.js';
import { TerminalContext, detectTerminal } from '../components/theme.js';
import { Wizard } from '../components/Wizard.js';
import { ExitCode } from './exitCodes.js';
import { startSetupActor, type RunContext } from './runtime.js';

/** How long the demo's phone "takes" to scan the QR code on screen. */
export const DEMO_SCAN_DELAY_MS = 5000;
const DEMO_EVENT_LINES = 3;
const SCAN_NOTE = `The simulated phone scans this QR code in ${DEMO_SCAN_DELAY_MS / 1000}s (or press e to compare emojis).`;
const DEBUG_LINES = 3;

interface RootProps {
  actor: Actor<SetupMachine>;
  context: RunContext;
  onDebugLine?: ((listener: (line: string) => void) => () => void) | undefined;
}

function Root({ actor, context, onDebugLine }: RootProps) {
  const demo = context.demo;
  // The clipboard sequence goes through Ink, which redraws around it, like everything else on screen.
  const { write } = useStdout();
  const storage = useMemo(() => createKeyStorage(write), [write]);
  const [events, setEvents] = useState<string[]>([]);
  const [debugLines, setDebugLines] = useState<string[]>([]);
  const push = (line: string) => setEvents((previous) => [...previous, line].slice(-DEMO_EVENT_LINES));
  useEffect(() => demo?.onEvent((event) => push(event.text)), [demo]);
  useEffect(() => onDebugLine?.((line) => setDebugLines((previous) => [...previous, line].slice(-DEBUG_LINES))), [onDebugLine]);

  // The demo's phone never scans by itself: play it a few seconds after the code appears.
  const showingQr = useSelector(actor, (snapshot) => snapshot.matches({ deviceVerification: { tracking: { step: 'showingQr' } } }));
  const step = useSelector(actor, (snapshot) =>
    snapshot.matches({ signIn: 'enterEmail' }) ? 'email' : snapshot.matches('enterRecoveryKey') || snapshot.matches({ newRecoveryKey: 'warning' }) ? 'key' : 'other',
  );
  useEffect(() => {
    if (!demo || !showingQr) return;
    const timer = setTimeout(() => void demo.scanQr().catch(() => {}), DEMO_SCAN_DELAY_MS);
    return () => clearTimeout(timer);
  }, [demo, showingQr]);

  return (
    <Wizard
      actor={actor}
      baseUrl={context.baseUrl}
      tokenKey={context.tokenKey}
      debug={context.options.debug}
      debugLines={debugLines}
      tokenSource={context.tokenSource}
      storage={storage}
      demo={demo ? { notes: demoNotes(demo.banner, step), events: showingQr ? [...events, SCAN_NOTE] : events } : undefined}
    />
  );
}

/** The one line printed after Ctrl-C: how to carry on from here. */
function stopLine(ctx: RunContext, context: SetupContext): string {
  if (ctx.demo) return 'Demo stopped; the simulated Beeper stops with it. Run beeper-setup --demo to start over.';
  if (context.newRecoveryKey) {
    // A key shown but never confirmed is not the account's key: a copy saved from that screen unlocks nothing.
    return 'Stopped before the new recovery key was activated: it is not your key, and your old key (if any) still works. Run beeper-setup again to make a new one.';
  }
  if (context.problem?.kind === 'unreachable') {
    return `Stopped. Run beeper-setup again once Beeper answers at ${ctx.baseUrl}, or point it elsewhere with --base-url.`;
  }
  if (!context.accessToken) return 'Stopped. Run beeper-setup again to sign in.';
  return 'Stopped. Run beeper-setup again to continue where Beeper stands (nothing was cancelled).';
}

/** The banner lines that help on this step: all of them at sign-in, the recovery keys where one is asked for. */
function demoNotes(banner: string[], step: 'email' | 'key' | 'other'): string[] {
  if (step === 'email') return banner;
  const first = banner.slice(0, 1);
  return step === 'key' ? [...first, ...banner.slice(1).filter((line) => /recovery key/i.test(line))] : first;
}

export async function runInteractive(ctx: RunContext): Promise<number> {
  const caps = detectTerminal(process.env);
  // --debug lines (requests, the ssh tunnel) would tear Ink's frame on stderr: show them inside the UI.
  const debugListeners = new Set<(line: string) => void>();
  const restoreDebugLog = ctx.debugLog.redirect((line) => debugListeners.forEach((listener) => listener(line)));
  const onDebugLine = ctx.options.debug
    ? (listener: (line: string) => void) => {
        debugListeners.add(listener);
        return () => void debugListeners.delete(listener);
      }
    : undefined;
  // Without UTF-8 the QR code cannot be drawn: go straight to comparing (by name).
  const actor = startSetupActor(ctx, { waitTimeoutMs: ctx.options.timeoutMs, preferEmoji: !caps.unicode });

  const instance = render(
    <TerminalContext.Provider value={caps}>
      <Root actor={actor} context={ctx} onDebugLine={onDebugLine} />
    </TerminalContext.Provider>,
    { exitOnCtrlC: false },
  );
  // Ctrl-C normally arrives as a key (raw mode); a signal (kill -INT, no raw mode) means the same.
  const interrupt = () => actor.send({ type: 'INTERRUPT' });
  process.on('SIGINT', interrupt);
  let output: SetupOutput | undefined;
  try {
    const done = toPromise(actor);
    // A crash in a component ends Ink, not the machine: stop waiting then, and let main report it.
    let settled = false;
    const crashed = instance.waitUntilExit().then(
      () => {
        if (!settled) throw new Error('The wizard closed before the setup finished.');
      },
      (error: unknown) => {
        if (!settled) throw error;
      },
    );
    actor.start();
    output = (await Promise.race([done, crashed])) as SetupOutput;
    settled = true;
    // Let the last frame (ready, timed out) reach the screen before Ink lets go.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('SIGINT', interrupt);
    restoreDebugLog();
    instance.unmount();
    await instance.waitUntilExit().catch(() => {});
    actor.stop();
  }
  switch (output.outcome) {
    case 'ready':
      return ExitCode.Ready;
    case 'timed-out':
      return ExitCode.NotReady;
    default:
      process.stderr.write(`${stopLine(ctx, actor.getSnapshot().context)}\n`);
      return ExitCode.Interrupted;
  }
}
