/** One status line with a glyph and a theme tone: errors, warnings, confirmations, hints. */
import { Box, Text } from 'ink';
import spinners from 'cli-spinners';
import Spinner from 'ink-spinner';
import type { ReactNode } from 'react';
import { useTheme } from './theme.js';
import { Para } from './Para.js';

export interface SayProps {
  tone: 'error' | 'warning' | 'success' | 'info';
  children: ReactNode;
}

export function Say({ tone, children }: SayProps) {
  const theme = useTheme();
  const glyph = { error: theme.glyph.cross, warning: theme.glyph.warning, success: theme.glyph.check, info: theme.glyph.pointer }[tone];
  const color = { error: theme.color.error, warning: theme.color.warning, success: theme.color.success, info: theme.color.accent }[tone];
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Text color={color}>{glyph}</Text>
      </Box>
      <Para color={tone === 'info' ? undefined : color}>
        {children}
      </Para>
    </Box>
  );
}

/** A list item whose wrapped lines stay indented under the text, not the bullet. */
export function Bullet({ children }: { children: ReactNode }) {
  const theme = useTheme();
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Text>{theme.glyph.bullet}</Text>
      </Box>
      <Para>{children}</Para>
    </Box>
  );
}

export interface BusyProps {
  children: ReactNode;
  /**
   * For long waits that already redraw once a second (their elapsed time): the spinner's frame
   * from that same clock, so the screen changes once a second rather than on two timers.
   * Without it, ink-spinner turns on its own.
   */
  tick?: number | undefined;
}

/** Something under way: a spinner, then what we are waiting for (wrapped lines stay beside the spinner). */
export function Busy({ children, tick }: BusyProps) {
  const theme = useTheme();
  const frames = spinners[theme.spinner].frames;
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Text color={theme.color.accent}>{tick === undefined ? <Spinner type={theme.spinner} /> : frames[Math.max(0, tick) % frames.length]}</Text>
      </Box>
      <Para>{children}</Para>
    </Box>
  );
}
