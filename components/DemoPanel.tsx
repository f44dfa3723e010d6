/**
 * --demo: a small panel that says this is a simulation and shows the
 * simulator's mail and other-device lines. It takes the rows the step leaves
 * and shrinks (older lines first, then to its lines that must be seen whole,
 * then to a single line) rather than push the step off the screen. Its lines
 * that must be seen whole (the emailed code the step asks for) are never cut:
 * the shell keeps rows for them (demoPanelMinRows).
 */
import { Box, Text } from 'ink';
import { textRows } from './layout.js';
import { Para } from './Para.js';
import { useTheme, type Theme } from './theme.js';

export interface DemoPanelProps {
  /** What this demo is and how to walk it, in the panel's colour. */
  notes: string[];
  /** Latest simulator lines, oldest first ("Email to alice@example.com: your code is 123456"). */
  events: string[];
  /** Rows the panel may take, border included. */
  maxRows: number;
  /** Columns the panel may take, border included. */
  width: number;
  /** Lines among `events` that must be seen whole (the emailed code at the code step). */
  whole?: string[] | undefined;
}

/** Rows the full panel needs: border, wrapped notes, wrapped events (after their pointer). */
export function demoPanelRows(notes: string[], events: string[], width: number): number {
  const rows = (lines: string[], indent: number) => lines.reduce((sum, line) => sum + textRows(line, width - 4 - indent), 0);
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

/** Emoji with U+FE0F are drawn one or two columns wide: without it the border stays straight. Without Unicode, ASCII. */
const plainLines = (theme: Theme, lines: string[]) => (theme.caps.unicode ? lines.map((line) => line.replace(/\uFE0F/g, '')) : lines.map(toAscii));

/** The panel at its smallest: its must-see lines, each wrapped whole (the first after "demo · "). */
const compactLines = (theme: Theme, whole: string[]) => plainLines(theme, whole).map((line, i) => (i === 0 ? `demo${theme.glyph.separator}${line}` : line));

/** Rows the panel takes at the least: its must-see lines wrapped whole, or one line. */
export function demoPanelMinRows(theme: Theme, whole: string[] | undefined, width: number): number {
  if (!whole || whole.length === 0) return 1;
  return compactLines(theme, whole).reduce((sum, line) => sum + textRows(line, width), 0);
}

export function DemoPanel({ notes: givenNotes, events: givenEvents, maxRows, width, whole }: DemoPanelProps) {
  const theme = useTheme();
  const notes = plainLines(theme, givenNotes);
  const events = plainLines(theme, givenEvents);
  if (maxRows <= 0) return null;
  let shownEvents = events;
  while (shownEvents.length > 1 && demoPanelRows(notes, shownEvents, width) > maxRows) shownEvents = shownEvents.slice(1);
  const wholeShown = (whole ?? []).every((line) => shownEvents.includes(plainLines(theme, [line])[0]!));
  if (demoPanelRows(notes, shownEvents, width) > maxRows || !wholeShown) {
    if (whole && whole.length > 0) {
      return (
        <Box flexDirection="column" width={width}>
          {compactLines(theme, whole).map((line, i) => (
            <Para key={i} color={theme.color.warning}>
              {line}
            </Para>
          ))}
        </Box>
      );
    }
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
