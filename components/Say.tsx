/** One status line with a glyph and a theme tone: errors, warnings, confirmations, hints. */
import { Box, Text } from 'ink';
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

/** Something under way: a spinner, then what we are waiting for (wrapped lines stay beside the spinner). */
export function Busy({ children }: { children: ReactNode }) {
  const theme = useTheme();
  return (
    <Box>
      <Box flexShrink={0} marginRight={1}>
        <Text color={theme.color.accent}>
          <Spinner type={theme.spinner} />
        </Text>
      </Box>
      <Para>{children}</Para>
    </Box>
  );
}
