/**
 * The footer's key list. Each step says which keys work right now with
 * useKeyHints(); the shell's Footer shows them with "Ctrl-C quit" last.
 */
import { Box, Text } from 'ink';
import { createContext, useContext, useLayoutEffect, type ReactNode } from 'react';
import { useTheme } from './theme.js';

export interface KeyHint {
  /** What to press, as shown: "Enter", "Esc", "↑↓", "y". */
  keys: string;
  /** What it does: "send code". */
  label: string;
}

const KeyHintsContext = createContext<((hints: KeyHint[]) => void) | undefined>(undefined);

/** Props of KeyHintsProvider. */
export interface KeyHintsProviderProps {
  /** Receives the current step's hints. */
  onChange: (hints: KeyHint[]) => void;
  children: ReactNode;
}

export function KeyHintsProvider({ onChange, children }: KeyHintsProviderProps) {
  return <KeyHintsContext.Provider value={onChange}>{children}</KeyHintsContext.Provider>;
}

/** Declares the keys that work in the calling step; cleared when it unmounts. */
export function useKeyHints(hints: KeyHint[]): void {
  const set = useContext(KeyHintsContext);
  const signature = JSON.stringify(hints);
  // A layout effect: the footer changes in the same frame as the step, never one frame late.
  useLayoutEffect(() => {
    set?.(JSON.parse(signature) as KeyHint[]);
    return () => set?.([]);
  }, [set, signature]);
}

/** Props of Footer. */
export interface FooterProps {
  hints: KeyHint[];
  /** False once the wizard is finished: no "Ctrl-C quit" then. */
  showQuit?: boolean;
}

export function Footer({ hints, showQuit = true }: FooterProps) {
  const theme = useTheme();
  const all = showQuit ? [...hints, { keys: 'Ctrl-C', label: 'quit' }] : hints;
  if (all.length === 0) return null;
  // Each hint stays whole; the row wraps between hints, never inside one.
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
