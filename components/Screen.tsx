/**
 * A step's screen: its body, and under it the keys that work right now. The
 * keys and their hints are one list (KeyAction), rendered in the same frame
 * as the body, so a hint never lags its screen and never names a key the
 * screen does not handle. The shell adds "Ctrl-C quit" and its warning line.
 */
import { Box, Text, type Key } from 'ink';
import { createContext, useContext, type ReactNode } from 'react';
import { useKeys } from './keys.js';
import { useTheme } from './theme.js';

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
}

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

/** What the shell lends every screen: its warning line, and whether the run is over. */
export interface ShellState {
  /** Shown between the body and the keys (connection trouble while not on a wait screen). */
  warning?: ReactNode;
  /** The run ended: no keys work any more, so none are shown. */
  finished: boolean;
}

export const ShellContext = createContext<ShellState>({ finished: false });

/** Props of Screen. */
export interface ScreenProps {
  /** The keys that work on this screen now, in the order shown. */
  actions?: KeyAction[];
  children: ReactNode;
}

export function Screen({ actions = [], children }: ScreenProps) {
  const { warning, finished } = useContext(ShellContext);
  useKeys(
    (input, key) => {
      for (const action of actions) {
        if (!action.run) continue;
        if ((action.match ?? matchKeys(action.keys))(input, key)) {
          action.run(input, key);
          return;
        }
      }
    },
    !finished && actions.some((action) => action.run),
  );
  return (
    <Box flexDirection="column" flexShrink={0}>
      {children}
      {warning}
      {finished ? null : (
        <Box marginTop={1}>
          <Footer hints={actions} />
        </Box>
      )}
    </Box>
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
