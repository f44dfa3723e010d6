/**
 * The app shell: header, the current step (picked by StepView from the
 * machine's snapshot, with its keys under it), and the demo panel. Reads the
 * actor with useSelector and sends it the user's answers; Ctrl-C sends
 * INTERRUPT from anywhere. The one keyboard reader (keys.tsx) lives here.
 */
import { useSelector } from '@xstate/react';
import { sameScreen } from './sameScreen.js';
import { Box, Text, measureElement, type DOMElement } from 'ink';
import { useLayoutEffect, useRef, useState } from 'react';
import type { Actor } from 'xstate';
import type { SetupEvent, SetupMachine } from '../machines/setupMachine.js';
import { stepOf } from '../machines/steps.js';
import { DemoPanel } from './DemoPanel.js';
import { Header, describeTarget, phaseOf } from './Header.js';
import { useTerminalSize } from './hooks.js';
import { KeyRouterProvider } from './keys.js';
import type { KeyStorage } from './keyStorage.js';
import type { Invocation } from '../src/invocation.js';
import { ShellContext } from './Screen.js';
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
  tokenSource?: 'env' | 'saved' | undefined;
  storage: KeyStorage;
  /** --demo: notes for this step and the simulator's latest lines. */
  demo?: { notes: string[]; events: string[] } | undefined;
  /** The language emoji names are shown in. */
  language?: string;
  /** How beeper-setup was started here (the ready screen's commands). */
  invocation?: Invocation | undefined;
}

const HEADER_ROWS = 2;
const GAPS = 1;

export function Wizard({ actor, baseUrl, tokenKey, debug, debugLines = [], tokenSource, storage, demo, language = 'en', invocation }: WizardProps) {
  // A new snapshot that draws the same screen (a poll that found nothing new) renders nothing.
  const snapshot: SetupSnapshot = useSelector(actor, (s) => s, sameScreen);
  const step = stepOf(snapshot);
  const { columns, rows } = useTerminalSize();
  const theme = useTheme();
  const send = (event: SetupEvent) => actor.send(event);

  const width = Math.max(20, columns - 2);
  const finished = snapshot.status !== 'active';
  const target = describeTarget(snapshot.context.app, baseUrl, tokenKey);
  const debugRows = debug ? Math.min(3, debugLines.length) : 0;
  // Wait screens have their own "retrying" line; elsewhere the shell says it, above the keys.
  const retrying = snapshot.context.pollFailures > 0 && snapshot.context.problem && step.kind !== 'wait' ? snapshot.context.problem.message : undefined;
  const showDemo = !!demo && !finished;
  // One spare row: output as tall as the terminal makes Ink clear and redraw the whole screen.
  const stepRows = rows - 1 - HEADER_ROWS - GAPS - debugRows - (retrying ? 1 : 0) - (showDemo ? 1 : 0);
  // A frame never reaches the terminal's height (Ink would then clear the whole terminal, scrollback
  // included). With the demo panel the wizard takes rows-1 and the panel gets what the rest leaves,
  // measured after layout and clipped meanwhile; a frame taller than that shows its last rows-1
  // lines, as if scrolled.
  const demoBox = useRef<DOMElement>(null);
  const mainBox = useRef<DOMElement>(null);
  const [measured, setMeasured] = useState({ demo: 0, main: 0 });
  useLayoutEffect(() => {
    const demoHeight = demoBox.current ? measureElement(demoBox.current).height : 0;
    const main = mainBox.current ? measureElement(mainBox.current).height : 0;
    if (demoHeight !== measured.demo || main !== measured.main) setMeasured({ demo: demoHeight, main });
  });
  const maxHeight = Math.max(1, rows - 1);
  // Inside a clamped frame the main part measures at most maxHeight, so reaching it counts as too tall.
  const tooTall = measured.main >= maxHeight;
  const fixed = { flexShrink: 0, flexDirection: 'column' } as const;
  const warning = retrying ? (
    <Text color={theme.color.warning} wrap="truncate-end">
      {theme.glyph.warning} Connection trouble, retrying ({retrying})
    </Text>
  ) : undefined;

  return (
    <KeyRouterProvider onKey={(input, key) => key.ctrl && input === 'c' && actor.send({ type: 'INTERRUPT' })}>
      {step.step === 'interrupted' ? null : (
        <Box
          flexDirection="column"
          width={columns}
          height={showDemo || tooTall ? maxHeight : undefined}
          overflowY="hidden"
          justifyContent={tooTall ? 'flex-end' : 'flex-start'}
        >
          <Box flexDirection="column" paddingX={1} flexShrink={0} height={showDemo && !tooTall ? maxHeight : undefined}>
            <Box ref={mainBox} {...fixed}>
              <Box {...fixed}>
                <Header
                  target={target}
                  // verify is one step on an app already set up: no "step k of n" of the setup.
                  {...(snapshot.context.mode === 'vouch' ? { title: 'Beeper setup · verify another device' } : { phase: phaseOf(snapshot) })}
                  tag={demo ? 'simulated' : undefined}
                />
              </Box>
              <Box {...fixed} marginTop={1}>
                <ShellContext.Provider value={{ warning, finished }}>
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
                    columns={width}
                    rows={stepRows}
                    window={{ columns, rows }}
                  />
                </ShellContext.Provider>
              </Box>
              {debug
                ? debugLines.slice(-3).map((line, i) => (
                    <Box key={`${i}-${line}`} flexShrink={0}>
                      <Text color={theme.color.muted} wrap="truncate-end">
                        {line}
                      </Text>
                    </Box>
                  ))
                : null}
            </Box>
            {showDemo && !tooTall ? (
              <Box ref={demoBox} flexGrow={1} flexShrink={1} flexBasis={0} flexDirection="column" overflowY="hidden">
                <DemoPanel notes={demo.notes} events={demo.events} maxRows={measured.demo} width={width} />
              </Box>
            ) : null}
          </Box>
        </Box>
      )}
    </KeyRouterProvider>
  );
}
