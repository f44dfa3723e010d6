/**
 * A step's screen: its body, and under it the keys that work right now. The
 * keys and their hints are one list (KeyAction), rendered in the same frame
 * as the body, so a hint never lags its screen and never names a key the
 * screen does not handle. The shell adds "Ctrl-C quit" and its warning line.
 */
import { Box, Text, measureElement, type DOMElement, type Key } from 'ink';
import { useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { SetupEvent } from '../machines/types.js';
import { useKeys } from './keys.js';
import { Page } from './Page.js';
import { Say } from './Say.js';
import { ShellContext, stepRoom } from './shell.js';
import { useTheme } from './theme.js';
import { fitWhole, wholeNotice, type Whole } from './whole.js';


export interface KeyAction {
  /** What to press, as shown: "Enter", "Esc", "Ctrl-R", "y", "↑↓", "1–3". */
  keys: string;
  /** What it does: "send code". */
  label: string;
  /**
   * Runs when the key is pressed. Absent when a text field on the screen handles the key
   * (Enter submits the field): the hint is still shown.
   */
  run?: (input: string, key: Key) => void;
  /** Which presses count; derived from `keys` by default. */
  match?: (input: string, key: Key) => boolean;
  /**
   * The key acts on what the screen must show whole (confirms it, or moves past it): while
   * that is not drawn whole it does nothing but say why, and its hint is not shown.
   */
  needsWhole?: boolean;
}

/** A key that sends the machine an event: a way on from a wait or a stop. */
export interface EventKey {
  /** The key, as typed ("r"), or "Enter", "Esc". */
  key: string;
  label: string;
  event: SetupEvent;
}

/** The screen's keys for keys that send events. */
export const eventKeys = (keys: EventKey[], onEvent: (event: SetupEvent) => void): KeyAction[] =>
  keys.map((key) => ({ keys: key.key, label: key.label, run: () => onEvent(key.event) }));

/** "Enter" → Enter, "Esc" → Escape, "Tab", "Ctrl-R" → Ctrl+r, "y" → y or Y, "↑↓" → either arrow. */
export function matchKeys(keys: string): (input: string, key: Key) => boolean {
  if (keys === 'Enter') return (_input, key) => key.return;
  if (keys === '↑↓' || keys === 'Up/Down') return (_input, key) => key.upArrow || key.downArrow;
  if (keys === 'Esc') return (_input, key) => key.escape;
  if (keys === 'Tab') return (_input, key) => key.tab && !key.shift;
  const ctrl = /^Ctrl-([A-Za-z])$/.exec(keys);
  if (ctrl) return (input, key) => key.ctrl && input.toLowerCase() === ctrl[1]!.toLowerCase();
  if (keys.length === 1) return (input, key) => !key.ctrl && !key.meta && input.toLowerCase() === keys.toLowerCase();
  return () => false;
}

/** Props of Screen. */
export interface ScreenProps {
  /** The keys that work on this screen now, in the order shown. */
  actions?: KeyAction[];
  /** What the screen must show whole, and the room its layouts take (whole.ts). */
  whole?: Whole | undefined;
  /** The body; with `whole`, a function of the layout drawn (its index in whole.layouts). */
  children: ReactNode | ((layout: number) => ReactNode);
  /** A frame only as tall as the screen while it has room to spare (Page's fitContent): for waits, redrawn every second. */
  fitContent?: boolean | undefined;
}

export function Screen({ actions = [], whole, children, fitContent }: ScreenProps) {
  const { warning, finished, frame, onWhole } = useContext(ShellContext);
  const box = useRef<DOMElement>(null);
  // What was drawn last did not fit after all (the arithmetic fell short): by how many rows, for this window.
  const [overflow, setOverflow] = useState<{ size: string; rows: number } | undefined>();
  const [refused, setRefused] = useState<string | undefined>();

  const size = frame ? `${frame.window.columns}×${frame.window.rows}` : '';
  const fit = whole && frame ? fitWhole(whole, frame, (width, dense) => (finished ? 0 : footerRows(actions, width) - (dense ? 1 : 0)), warning ? 1 : 0) : undefined;
  const excess = overflow?.size === size ? overflow.rows : 0;
  const layout = fit ? (excess > 0 ? undefined : fit.layout) : 0;
  const drawn = layout !== undefined;
  const shownActions = drawn ? actions : actions.filter((action) => !action.needsWhole);

  useEffect(() => {
    if (drawn) setRefused(undefined);
  }, [drawn]);
  const declares = whole !== undefined;
  useEffect(() => {
    if (declares) onWhole?.(drawn);
  }, [declares, drawn, onWhole]);
  // The arithmetic is checked against the drawn frame: a body taller than its room is not whole.
  useLayoutEffect(() => {
    if (!whole || !frame || layout === undefined || !box.current) return;
    const room = stepRoom(frame, whole.layouts[layout]?.beside?.columns);
    const over = measureElement(box.current).height - room.rows;
    if (over > 0) setOverflow({ size, rows: over });
  });

  useKeys(
    (input, key) => {
      for (const action of actions) {
        if (!action.run) continue;
        if ((action.match ?? matchKeys(action.keys))(input, key)) {
          if (action.needsWhole && !drawn) setRefused(action.keys);
          else action.run(input, key);
          return;
        }
      }
    },
    !finished && actions.some((action) => action.run),
  );

  if (whole && !drawn) {
    const windows = fit!.windows.map((window) => ({ ...window, rows: window.rows + excess }));
    // In a window too small even for this, its first lines (the size it needs) are the ones kept.
    return (
      <Page align="top">
        <Box flexDirection="column" flexShrink={0} ref={box}>
          <Say tone={refused ? 'error' : 'warning'}>{wholeNotice(whole, windows, frame!.window, refused)}</Say>
          {warning}
          {finished ? null : (
            <Box marginTop={1}>
              <Footer hints={shownActions} />
            </Box>
          )}
        </Box>
      </Page>
    );
  }

  const chosen = whole && layout !== undefined ? whole.layouts[layout] : undefined;
  return (
    <Page figure={chosen?.beside} fitContent={fitContent}>
      <Box flexDirection="column" flexShrink={0} ref={box}>
        {typeof children === 'function' ? children(layout ?? 0) : children}
        {warning}
        {finished ? null : (
          <Box marginTop={chosen?.dense ? 0 : 1}>
            <Footer hints={shownActions} />
          </Box>
        )}
      </Box>
    </Page>
  );
}

/** Props of Footer. */
export interface FooterProps {
  hints: Pick<KeyAction, 'keys' | 'label'>[];
}

/** The key list; each hint stays whole, and the row wraps between hints, never inside one. */
export function Footer({ hints }: FooterProps) {
  const theme = useTheme();
  const all = [...hints, { keys: 'Ctrl-C', label: 'quit' }];
  return (
    <Box flexWrap="wrap">
      {all.map((hint, index) => (
        <Text key={`${hint.keys}-${hint.label}`}>
          <Text bold color={theme.color.key}>
            {hint.keys}
          </Text>
          <Text color={theme.color.muted}>
            {' '}
            {hint.label}
            {index < all.length - 1 ? theme.glyph.separator : ''}
          </Text>
        </Text>
      ))}
    </Box>
  );
}

/** Rows the footer takes at `width` columns (hints never break inside). */
export function footerRows(hints: Pick<KeyAction, 'keys' | 'label'>[], width: number, separator = ' · '): number {
  const parts = [...hints, { keys: 'Ctrl-C', label: 'quit' }].map((hint, i, all) => `${hint.keys} ${hint.label}${i < all.length - 1 ? separator : ''}`.length);
  let rows = 1;
  let used = 0;
  for (const part of parts) {
    if (used > 0 && used + part > width) {
      rows += 1;
      used = 0;
    }
    used += part;
  }
  return rows + 1;
}
