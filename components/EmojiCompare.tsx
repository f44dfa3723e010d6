/**
 * tracking.step.comparingEmojis / waitingForOtherConfirm: the seven emojis,
 * 4 + 3 with each name under its emoji, in the user's language (and in
 * English beneath when it differs and fits, since the other device may be
 * set to English). Seven table entries carry U+FE0F, which terminals draw one
 * or two columns wide: in the grid they are drawn in text presentation
 * (without U+FE0F), whose width every terminal agrees on, so no emoji drifts
 * from its name. When the names do not fit four to a row, one emoji per line.
 * Without emoji support only the names and the numbers are shown.
 */
import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import type { SetupEvent } from '../machines/types.js';
import type { SasEmoji } from '../src/shared/sas.js';
import { sasNames } from '../src/shared/sasNames.js';
import { otherDeviceNamed } from '../src/wording/states.js';
import { stacked, textRows, widthOf } from './layout.js';
import { Para } from './Para.js';
import { Busy } from './Say.js';
import { Screen, type KeyAction } from './Screen.js';
import { useTheme } from './theme.js';
import type { Whole } from './whole.js';

export interface EmojiCompareProps {
  emojis: SasEmoji[];
  /** The three numbers, for terminals and people that prefer them. */
  decimals: string[];
  /** "Pixel 8", when the server named it. */
  deviceName?: string | undefined;
  /** After "They match": waiting for the other device to say so too. */
  waiting: boolean;
  /** The language of the names (src/shared/sasNames.ts); English is added where it differs. */
  language?: string;
  /** Columns the step may use. */
  width?: number;
  onEvent: (event: SetupEvent) => void;
}

/** Narrowest cell: the longest English names ("Strawberry", "Headphones") plus a gap. */
export const CELL_WIDTH = 12;

/** The glyph as the grid draws it: without the variation selector, so its width is not in doubt. */
export const gridGlyph = (emoji: string) => emoji.replace(/\uFE0F/g, '');

interface Entry {
  glyph: string;
  name: string;
  /** The English name, when the shown one is another language's. */
  english: string | undefined;
}

function entriesOf(emojis: SasEmoji[], language: string): Entry[] {
  return emojis.map((entry) => {
    if (entry.number < 0) return { glyph: gridGlyph(entry.emoji), name: entry.name, english: undefined };
    const names = sasNames(entry.number, language);
    return { glyph: gridGlyph(entry.emoji), name: names.name, english: names.english !== names.name ? names.english : undefined };
  });
}

function Grid({ entries, cell, showEmoji, showEnglish }: { entries: Entry[]; cell: number; showEmoji: boolean; showEnglish: boolean }) {
  const theme = useTheme();
  const rows = [entries.slice(0, 4), entries.slice(4)];
  return (
    <Box flexDirection="column" gap={showEmoji ? 1 : 0}>
      {rows.map((row, r) => (
        <Box key={r}>
          {row.map((entry, i) => (
            <Box key={`${r * 4 + i}`} width={cell} flexShrink={0} flexDirection="column">
              {showEmoji ? <Text>{entry.glyph}</Text> : null}
              <Text wrap="truncate">{entry.name}</Text>
              {showEnglish ? (
                <Text color={theme.color.muted} wrap="truncate">
                  {entry.english ?? ''}
                </Text>
              ) : null}
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/** One line of the list, as drawn. */
const listLine = (entry: Entry, i: number, showEmoji: boolean) =>
  `${i + 1}. ${showEmoji ? entry.glyph.padEnd(entry.glyph.length + Math.max(1, 3 - stringWidth(entry.glyph)), ' ') : ''}${entry.name}${entry.english ? ` (${entry.english})` : ''}`;

/** One emoji per line, numbered: for names too long for the grid. */
function List({ entries, showEmoji }: { entries: Entry[]; showEmoji: boolean }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {entries.map((entry, i) => (
        <Text key={i}>
          {/* listLine says what this draws, for the row count. */}
          <Text color={theme.color.muted}>{`${i + 1}. `}</Text>
          {/* Glyphs are 1 or 2 columns wide: pad to 3 so every name starts in one column. */}
          {showEmoji ? entry.glyph.padEnd(entry.glyph.length + Math.max(1, 3 - stringWidth(entry.glyph)), ' ') : ''}
          {entry.name}
          {entry.english ? <Text color={theme.color.muted}> ({entry.english})</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

const NUMBERS_LABEL = 'Or compare the numbers: ';

/** The narrowest the comparison is drawn at (a list line wraps below this). */
const EMOJI_MIN_COLUMNS = 24;

export function EmojiCompare({ emojis, decimals, deviceName, waiting, language = 'en', width = 80, onEvent }: EmojiCompareProps) {
  const theme = useTheme();
  const other = otherDeviceNamed(deviceName);
  const showEmoji = theme.caps.unicode;
  const entries = entriesOf(emojis, language);
  const widest = Math.max(0, ...entries.map((entry) => stringWidth(entry.name)));
  const widestEnglish = Math.max(0, ...entries.map((entry) => (entry.english ? stringWidth(entry.english) : 0)));
  const cell = Math.max(CELL_WIDTH, widest + 2);
  const gridAt = (columns: number) => cell * 4 <= columns;
  const grid = gridAt(width);
  const showEnglish = entries.some((entry) => entry.english) && widestEnglish + 2 <= cell;
  // Answers about the emojis: only once all seven (and the numbers) are on screen.
  const actions: KeyAction[] = waiting
    ? [{ keys: 'Esc', label: 'stop and choose another way', run: () => onEvent({ type: 'BACK' }) }]
    : [
        { keys: 'y', label: 'they match', run: () => onEvent({ type: 'MATCH' }), needsWhole: true },
        { keys: 'n', label: "they don't match", run: () => onEvent({ type: 'NO_MATCH' }), needsWhole: true },
        { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
      ];
  const heading = `Compare ${showEmoji ? 'emojis' : 'the words'}`;
  const intro = `Check that ${other} shows the same ${showEmoji ? 'emojis' : 'pictures'} in the same order:`;
  const numbersRows = (columns: number) => {
    const numbers = decimals.join('  ');
    return widthOf(`${NUMBERS_LABEL}${numbers}`) <= columns ? 1 : textRows(NUMBERS_LABEL.trimEnd(), columns) + textRows(numbers, columns);
  };
  // The wait line sits beside its spinner (two columns).
  const closingRows = (columns: number) =>
    waiting ? textRows(`You said they match. Waiting for ${other} to confirm too${theme.glyph.ellipsis}`, columns - 2) : textRows("Press y if they match, n if they don't.", columns);
  const whole: Whole = {
    what: showEmoji ? 'the seven emojis' : 'the seven words',
    layouts: [
      {
        columns: EMOJI_MIN_COLUMNS,
        rowsAt: (columns) => {
          const perEntry = (showEmoji ? 1 : 0) + 1 + (showEnglish ? 1 : 0);
          const pictures = gridAt(columns)
            ? stacked([perEntry, perEntry], showEmoji ? 1 : 0)
            : entries.reduce((sum, entry, i) => sum + textRows(listLine(entry, i, showEmoji), columns), 0);
          return stacked([textRows(heading, columns), textRows(intro, columns), pictures, ...(decimals.length > 0 ? [numbersRows(columns)] : []), closingRows(columns)]);
        },
      },
    ],
  };

  return (
    <Screen actions={actions} whole={whole}>
      <Box flexDirection="column" gap={1}>
        <Text bold>{heading}</Text>
        <Para>{intro}</Para>
        {grid ? <Grid entries={entries} cell={cell} showEmoji={showEmoji} showEnglish={showEnglish} /> : <List entries={entries} showEmoji={showEmoji} />}
        {decimals.length > 0 ? (
          // The three numbers stay on one line: on the next one when the line is too narrow for both.
          <Box flexWrap="wrap">
            <Text color={theme.color.muted}>{NUMBERS_LABEL}</Text>
            <Text bold>{decimals.join('  ')}</Text>
          </Box>
        ) : null}
        {waiting ? (
          <Busy>
            You said they match. Waiting for {other} to confirm too{theme.glyph.ellipsis}
          </Busy>
        ) : (
          <Para>
            Press <Text bold>y</Text> if they match, <Text bold>n</Text> if they don't.
          </Para>
        )}
      </Box>
    </Screen>
  );
}
