/**
 * --demo: a small panel that says this is a simulation and shows the
 * simulator's mail and other-device lines. It takes the rows the step leaves
 * and shrinks (older lines first, then to a single line) rather than push the
 * step off the screen.
 */
import { Box, Text } from 'ink';
import { Para } from './Para.js';
import { useTheme } from './theme.js';

export interface DemoPanelProps {
  /** What this demo is and how to walk it, in the panel's colour. */
  notes: string[];
  /** Latest simulator lines, oldest first ("Email to alice@example.com: your code is 123456"). */
  events: string[];
  /** Rows the panel may take, border included. */
  maxRows: number;
  /** Columns the panel may take, border included. */
  width: number;
}

const rowsFor = (text: string, width: number) => Math.max(1, Math.ceil([...text].length / Math.max(1, width)));

/** Rows the full panel needs: border, wrapped notes, one row per event. */
export function demoPanelRows(notes: string[], events: string[], width: number): number {
  const rows = (lines: string[], indent: number) => lines.reduce((sum, line) => sum + rowsFor(line, width - 4 - indent), 0);
  return 2 + rows(notes, 0) + rows(events, 2);
}

/** The simulator's lines carry emoji and "…": keep them readable on terminals without Unicode. */
export function toAscii(text: string): string {
  return text
    .replaceAll('…', '...')
    .replace(/[^\x20-\x7E]/gu, '')
    .replace(/ {2,}/g, ' ')
    .replace(/ ([,.])/g, '$1');
}

export function DemoPanel({ notes: givenNotes, events: givenEvents, maxRows, width }: DemoPanelProps) {
  const theme = useTheme();
  // Emoji with U+FE0F are drawn one or two columns wide: without it the border stays straight.
  const plain = (lines: string[]) => (theme.caps.unicode ? lines.map((line) => line.replace(/\uFE0F/g, '')) : lines.map(toAscii));
  const notes = plain(givenNotes);
  const events = plain(givenEvents);
  if (maxRows <= 0) return null;
  let shownEvents = events;
  while (shownEvents.length > 1 && demoPanelRows(notes, shownEvents, width) > maxRows) shownEvents = shownEvents.slice(1);
  if (demoPanelRows(notes, shownEvents, width) > maxRows) {
    return (
      <Text color={theme.color.warning} wrap="truncate-end">
        demo{theme.glyph.separator}
        {events.at(-1) ?? notes[0] ?? 'simulation'}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" borderStyle={theme.border} borderColor={theme.color.warning} paddingX={1} width={width}>
      {notes.map((line) => (
        <Para key={line} color={theme.color.warning}>
          {line}
        </Para>
      ))}
      {shownEvents.map((line, i) => (
        <Box key={`${i}-${line}`}>
          <Box flexShrink={0} marginRight={1}>
            <Text>{theme.glyph.pointer}</Text>
          </Box>
          <Para>{line}</Para>
        </Box>
      ))}
    </Box>
  );
}
