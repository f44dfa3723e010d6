/**
 * The app shell: the frame every step is drawn in (header, the step, --debug
 * lines, the demo panel; Page.tsx draws it), with the current step picked by
 * StepView from the machine's snapshot. Reads the actor with useSelector and
 * sends it the user's answers; Ctrl-C sends INTERRUPT from anywhere. The one
 * keyboard reader (keys.tsx) lives here.
 */
import { useSelector } from '@xstate/react';
import { Text } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Actor } from 'xstate';
import type { SetupMachine } from '../machines/setupMachine.js';
import type { SetupEvent } from '../machines/types.js';
import { stepOf, type StepName } from '../machines/steps.js';
import type { TokenSource } from '../src/tokenStore.js';
import { deviceNameOf } from '../src/wording/states.js';
import { DemoPanel, demoPanelMinRows } from './DemoPanel.js';
import { Header, describeTarget, headerRows, phaseOf, type HeaderProps } from './Header.js';
import { useFrameSize } from './hooks.js';
import { KeyRouterProvider } from './keys.js';
import type { ScannedQrFile } from './QrPayloadStep.js';
import { largestQr } from './QrStep.js';
import type { KeyStorage } from './keyStorage.js';
import type { Invocation } from '../src/invocation.js';
import { sameScreen } from './sameScreen.js';
import { ShellContext, columnWidth, type PanelSlot, type ShellFrame } from './shell.js';
import { StepView, type SetupSnapshot } from './StepView.js';
import { useTheme } from './theme.js';

export interface WizardProps {
  actor: Actor<SetupMachine>;
  baseUrl: string;
  /** Where the token is filed; "ssh://…" for tunnels (shown in the header). */
  tokenKey: string;
  /** --debug: problem details, and the request lines below. */
  debug: boolean;
  debugLines?: string[] | undefined;
  /** Where the token we started with came from (words a refused token). */
  tokenSource?: TokenSource | undefined;
  storage: KeyStorage;
  /** --demo: notes for this step, the simulator's latest lines, and those of them that must be seen whole. */
  demo?: { notes: string[]; events: string[]; whole?: string[] | undefined } | undefined;
  /** The language emoji names are shown in. */
  language?: string;
  /** Whether the step's content that must be seen whole is drawn whole now (the demo's phone scans only a drawn code). */
  onWhole?: ((shown: { step: StepName; whole: boolean }) => void) | undefined;
  /** How beeper-setup was started here (the ready screen's commands). */
  invocation?: Invocation | undefined;
  /** verify --qr-file PATH: where the other device's scanned payload is read from once it shows its code. */
  qrFile?: ScannedQrFile | undefined;
}

export function Wizard({ actor, baseUrl, tokenKey, debug, debugLines = [], tokenSource, storage, demo, language = 'en', onWhole, invocation, qrFile }: WizardProps) {
  // A new snapshot that draws the same screen (a poll that found nothing new) renders nothing.
  const snapshot: SetupSnapshot = useSelector(actor, (s) => s, sameScreen);
  const step = stepOf(snapshot);
  const { columns, rows } = useFrameSize();
  const theme = useTheme();
  const send = (event: SetupEvent) => actor.send(event);
  const [panelRows, setPanelRows] = useState(0);
  // Screens report with a stable callback; the step they were drawn for is read when they report.
  const current = useRef(step.step);
  current.current = step.step;
  const reportWhole = useCallback((whole: boolean) => onWhole?.({ step: current.current, whole }), [onWhole]);

  const finished = snapshot.status !== 'active';
  const target = describeTarget(snapshot.context.app, baseUrl, tokenKey);
  const phase = phaseOf(snapshot);
  // Wait screens have their own "retrying" line; elsewhere the shell says it, above the keys.
  const retrying = snapshot.context.pollFailures > 0 && snapshot.context.problem && step.kind !== 'wait' ? snapshot.context.problem.message : undefined;
  const warning = retrying ? (
    <Text color={theme.color.warning} wrap="truncate-end">
      {theme.glyph.warning} Connection trouble, retrying ({retrying})
    </Text>
  ) : undefined;
  const headerProps = (width: number): HeaderProps => ({
    target,
    // verify is one step on an app already set up: no "step k of n" of the setup.
    ...(snapshot.context.mode === 'vouch' ? { title: 'Beeper setup · verify another device' } : { phase }),
    tag: demo ? 'simulated' : undefined,
    width,
  });
  const panel: PanelSlot | undefined =
    demo && !finished
      ? {
          minRowsAt: (width) => demoPanelMinRows(theme, demo.whole, width),
          render: (maxRows, width) => <DemoPanel notes={demo.notes} events={demo.events} whole={demo.whole} maxRows={maxRows} width={width} />,
          rows: panelRows,
          onRows: setPanelRows,
        }
      : undefined;
  const frame: ShellFrame = {
    window: { columns, rows },
    header: (width) => <Header {...headerProps(width)} />,
    headerRowsAt: (width) => headerRows(headerProps(width)),
    debugLines: debug ? debugLines.slice(-3) : [],
    panel,
  };

  // The machine offers a QR code first only where it fits: tell it the largest this window draws whole.
  const deviceName = deviceNameOf(snapshot.context.verification ?? snapshot.context.incomingVerification);
  const panelMin = panel ? panel.minRowsAt(columnWidth(frame.window)) : 0;
  // Everything the frame's rows depend on: the header (target, mode, phase, demo tag), debug lines, the panel.
  const qrRoom = useMemo(
    () => largestQr(frame, deviceName, theme.caps),
    [columns, rows, deviceName, theme.caps.unicode, theme.caps.color, frame.debugLines.length, panelMin, target, snapshot.context.mode, phase, !!demo],
  );
  useEffect(() => {
    if (!finished) actor.send({ type: 'QR_ROOM', modules: qrRoom });
  }, [actor, qrRoom, finished]);

  return (
    <KeyRouterProvider onKey={(input, key) => key.ctrl && input === 'c' && actor.send({ type: 'INTERRUPT' })}>
      {step.step === 'interrupted' ? null : (
        <ShellContext.Provider value={{ warning, finished, frame, onWhole: reportWhole }}>
          <StepView
            snapshot={snapshot}
            send={send}
            baseUrl={baseUrl}
            target={target}
            debug={debug}
            tokenSource={tokenSource}
            storage={storage}
            simulated={!!demo}
            language={language}
            invocation={invocation}
            qrFile={qrFile}
            columns={Math.max(20, columnWidth(frame.window))}
          />
        </ShellContext.Provider>
      )}
    </KeyRouterProvider>
  );
}
