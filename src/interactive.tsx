/**
 * The Ink wizard: starts the setup machine, renders it, and turns its end
 * into an exit code. Demo-only behaviour (the simulated phone scanning the
 * QR code, the demo panel's feed) lives here, not in the step components.
 */
import { useSelector } from '@xstate/react';
import { render, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toPromise, type Actor } from 'xstate';
import type { SetupMachine } from '../machines/setupMachine.js';
import type { SetupOutput } from '../machines/types.js';
import { stepOf, type StepName } from '../machines/steps.js';
import { createKeyStorage } from '../components/keyStorage.js';
import type { ScannedQrFile } from '../components/QrPayloadStep.js';
import { TerminalContext, detectTerminal } from '../components/theme.js';
import { Wizard } from '../components/Wizard.js';
import { ExitCode } from './exitCodes.js';
import { printable } from './shared/terminalText.js';
import { stoppedLine } from './wording/endOfRun.js';
import { describeToken } from './wording/format.js';
import type { DemoHandle, RunContext } from './runtime.js';
import { commandLine } from './invocation.js';
import { createSetupActor, printToken } from './setupActor.js';
import { resolveLanguage } from './shared/sasNames.js';
import { exitCodeForSignal } from './signals.js';
import { wrapWords } from './wording/wrap.js';
import { letYoungGenerationGrow } from './youngGeneration.js';

const DEMO_EVENT_LINES = 3;
const scanNote = (delayMs: number) => `The simulated phone scans this QR code in ${delayMs / 1000}s (or press e to compare emojis).`;
const NO_SCAN_NOTE = 'The simulated phone scans the QR code only once it is drawn whole: make the window bigger, or press e to compare emojis.';
const DEBUG_LINES = 3;

interface RootProps {
  actor: Actor<SetupMachine>;
  context: RunContext;
  language: string;
  onDebugLine?: ((listener: (line: string) => void) => () => void) | undefined;
  /** verify --qr-file PATH: watched once the other device shows its code. */
  qrFile?: ScannedQrFile | undefined;
}

function Root({ actor, context, language, onDebugLine, qrFile }: RootProps) {
  const demo = context.demo;
  // The clipboard sequence goes through Ink, which redraws around it, like everything else on screen.
  const { write } = useStdout();
  const env = context.io.env;
  const storage = useMemo(() => createKeyStorage(write, env), [write, env]);
  const [events, setEvents] = useState<{ kind: 'mail' | 'other-device'; text: string }[]>([]);
  const [debugLines, setDebugLines] = useState<string[]>([]);
  useEffect(() => demo?.onEvent((event) => setEvents((previous) => [...previous, event].slice(-DEMO_EVENT_LINES * 2))), [demo]);
  useEffect(() => onDebugLine?.((line) => setDebugLines((previous) => [...previous, line].slice(-DEBUG_LINES))), [onDebugLine]);

  const step = useSelector(actor, (snapshot) => stepOf(snapshot).step);
  const email = useSelector(actor, (snapshot) => snapshot.context.email);
  // Whether the screen's content that must be seen whole is drawn whole now, and on which step.
  const [whole, setWhole] = useState<{ step: StepName; whole: boolean } | undefined>();
  const onWhole = useCallback((shown: { step: StepName; whole: boolean }) => setWhole((previous) => (previous?.step === shown.step && previous.whole === shown.whole ? previous : shown)), []);
  // The demo's phone never scans by itself: play it a few seconds after the code is drawn whole, and only then.
  const showingQr = step === 'showing-qr';
  const qrDrawn = showingQr && whole?.step === 'showing-qr' && whole.whole;
  useDemoScan(demo, qrDrawn);

  return (
    <Wizard
      actor={actor}
      baseUrl={context.baseUrl}
      tokenKey={context.tokenKey}
      debug={context.options.debug}
      debugLines={debugLines}
      tokenSource={context.tokenSource}
      storage={storage}
      language={language}
      invocation={context.invocation}
      demo={demo ? demoPanel(demo, step, email, events, showingQr ? { drawn: qrDrawn } : undefined) : undefined}
      onWhole={onWhole}
      qrFile={qrFile}
    />
  );
}

/**
 * --demo: the simulated phone scans the QR code its scan delay after it is drawn whole, and
 * never while it is not (a window too small, or one that shrank before the scan).
 */
export function useDemoScan(demo: Pick<DemoHandle, 'scanQr' | 'scanDelayMs'> | undefined, qrDrawn: boolean): void {
  useEffect(() => {
    if (!demo || !qrDrawn) return;
    const timer = setTimeout(() => void demo.scanQr().catch(() => {}), demo.scanDelayMs);
    return () => clearTimeout(timer);
  }, [demo, qrDrawn]);
}

/**
 * The demo panel's lines, what the current step needs first: the code at the code step,
 * the account's recovery key where a key is asked for, everything at the start. `whole`
 * names the lines the step cannot do without (the code, the key): the shell keeps room
 * for them and never cuts them. `qr`: on the QR step, whether the code is drawn whole.
 */
export function demoPanel(
  demo: Pick<DemoHandle, 'banner' | 'accounts' | 'scanDelayMs'>,
  step: StepName,
  email: string,
  events: { kind: 'mail' | 'other-device'; text: string }[],
  qr?: { drawn: boolean },
): { notes: string[]; events: string[]; whole?: string[] } {
  const keyLine = (account: { email: string; recoveryKey: string | undefined }) => `${account.email.split('@')[0]}'s recovery key: ${account.recoveryKey}`;
  const lastMail = events.filter((event) => event.kind === 'mail').at(-1)?.text;
  const recent = events.map((event) => event.text).slice(-DEMO_EVENT_LINES);
  const withScan = qr ? [...recent, qr.drawn ? scanNote(demo.scanDelayMs) : NO_SCAN_NOTE] : recent;
  switch (step) {
    case 'email':
      return { notes: demo.banner, events: withScan };
    case 'code':
      // The code last, and kept whole: the panel may shrink to it.
      return lastMail
        ? { notes: [demo.banner[0]!], events: [...recent.filter((line) => line !== lastMail), lastMail], whole: [lastMail] }
        : { notes: [demo.banner[0]!], events: recent };
    case 'recovery-key':
    case 'reset-warning': {
      const mine = demo.accounts.find((account) => account.email === email.toLowerCase() && account.recoveryKey);
      const keys = mine ? [keyLine(mine)] : demo.accounts.filter((account) => account.recoveryKey).map(keyLine);
      return { notes: [demo.banner[0]!], events: [...recent.slice(-1), ...keys], whole: keys };
    }
    default:
      return { notes: [demo.banner[0]!], events: withScan };
  }
}

/**
 * verify --qr-file in the wizard. The other device shows its code only once the verification is
 * accepted, so the payload is asked for then: "-" is the screen's paste field (stdin is the
 * keyboard); a path is checked now (a FIFO is refused at once) and watched from then on.
 */
async function scannedQrFileFor(ctx: RunContext): Promise<ScannedQrFile | undefined> {
  const path = ctx.options.command === 'verify' ? ctx.options.qrFile : undefined;
  if (!path || path === '-') return undefined;
  const { checkScannedQrFile, QR_FILE_POLL_MS, readScannedQrFile } = await import('./headless/scannedQr.js');
  await checkScannedQrFile(path);
  // A payload given once (and refused) is not given again: a new scan written over it is.
  let given: string | undefined;
  return {
    path,
    watch(found, failed) {
      let timer: NodeJS.Timeout | undefined;
      let stopped = false;
      const look = (): Promise<void> =>
        readScannedQrFile(path).then(
          (payload) => {
            if (stopped) return;
            if (payload === undefined || payload === given) {
              timer = setTimeout(look, QR_FILE_POLL_MS);
              return;
            }
            given = payload;
            found(payload);
          },
          (error: unknown) => {
            if (!stopped) failed(error instanceof Error ? error.message : String(error));
          },
        );
      void look();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
  };
}

export async function runInteractive(ctx: RunContext): Promise<number> {
  const caps = detectTerminal(ctx.io.env);
  const language = resolveLanguage({ flag: ctx.options.lang, env: ctx.io.env }).code;
  // --debug lines (requests, the ssh tunnel) would tear Ink's frame on stderr: show them inside the UI.
  const debugListeners = new Set<(line: string) => void>();
  const restoreDebugLog = ctx.debugLog.redirect((line) => debugListeners.forEach((listener) => listener(line)));
  const onDebugLine = ctx.options.debug
    ? (listener: (line: string) => void) => {
        debugListeners.add(listener);
        return () => void debugListeners.delete(listener);
      }
    : undefined;
  const qrFile = await scannedQrFileFor(ctx);
  // Without UTF-8 the QR code cannot be drawn: go straight to comparing (by name).
  const actor = createSetupActor(ctx, { preferEmoji: !caps.unicode });

  // Keys typed from now on are read, not echoed: Ink reads them once its first frame is up (type-ahead,
  // components/keys.tsx). Anything the terminal echoed before this point is wiped from the line.
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdout.write('\r\u001b[2K');
  }
  // Said once, above the wizard: what the token store put right while loading.
  for (const note of ctx.storeNotes) process.stdout.write(`${wrapWords(printable(note), process.stdout.columns || 80).join('\n')}\n`);
  const instance = render(
    <TerminalContext.Provider value={caps}>
      <Root actor={actor} context={ctx} language={language} onDebugLine={onDebugLine} qrFile={qrFile} />
    </TerminalContext.Provider>,
    // Not Ink's incrementalRendering: in Ink 6.8 it leaves lines of an earlier, shorter frame on screen
    // (tests/e2e/terminalCare.test.ts watches for that). Long waits redraw once a second instead.
    { exitOnCtrlC: false },
  );
  // Loading and the first frames are done (src/youngGeneration.ts says why this matters).
  setTimeout(letYoungGenerationGrow, 1000).unref();
  // Ctrl-C arrives as a key in raw mode; SIGINT, SIGTERM and SIGHUP (main's) mean the same: stop watching.
  const stopWatching = ctx.stops.onStop(() => actor.send({ type: 'INTERRUPT' }));
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
    stopWatching();
    restoreDebugLog();
    instance.unmount();
    await instance.waitUntilExit().catch(() => {});
    actor.stop();
  }
  const columns = process.stderr.columns || process.stdout.columns || 80;
  // A blank line first: what follows is ours, not part of the wizard's last frame.
  let spaced = false;
  const say = (line: string) => {
    process.stderr.write(`${spaced ? '' : '\n'}${wrapWords(printable(line), columns).join('\n')}\n`);
    spaced = true;
  };
  switch (output.outcome) {
    case 'ready': {
      // Under the last frame, as headless says it: where the token is, or why it is not (the demo keeps none).
      if (!ctx.demo) for (const line of describeToken(await ctx.keeper.flush(), { tokenSource: ctx.tokenSource, saveToken: ctx.options.saveToken }).lines) say(line);
      printToken(ctx.options, actor.getSnapshot().context, process.stdout);
      return ExitCode.Ready;
    }
    case 'vouched':
      return ExitCode.Ready;
    case 'timed-out':
      return ExitCode.NotReady;
    default: {
      // A hang-up has nobody to read the line.
      const again = commandLine(ctx.invocation);
      const demoAgain = ctx.demo ? commandLine(ctx.invocation, '--demo') : undefined;
      if (ctx.stops.received !== 'SIGHUP') say(stoppedLine(actor.getSnapshot().context, { again, demoAgain, baseUrl: ctx.baseUrl }));
      return ctx.stops.received ? exitCodeForSignal(ctx.stops.received) : ExitCode.Interrupted;
    }
  }
}
