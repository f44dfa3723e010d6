/**
 * tracking.step.comparingEmojis / waitingForOtherConfirm: the seven emojis,
 * 4 + 3 in fixed-width cells so it fits 60 columns. Entries are aligned by
 * cell, not by glyph width: seven emojis carry U+FE0F, which terminals
 * measure differently, so the name row (plain ASCII) is what lines up.
 * Without emoji support only the names and the numbers are shown.
 */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/setupMachine.js';
import type { SasEmoji } from '../src/shared/sas.js';
import { sasName } from '../src/shared/sasNames.js';
import { useKeyHints } from './KeyHints.js';
import { useKeys } from './hooks.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';
import { Busy } from './Say.js';

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
  onEvent: (event: SetupEvent) => void;
}

/** Wide enough for the longest name ("Strawberry", "Headphones") plus a gap. */
export const CELL_WIDTH = 12;

function Row({ entries, offset, showEmoji, language }: { entries: SasEmoji[]; offset: number; showEmoji: boolean; language: string }) {
  return (
    <Box>
      {entries.map((entry, i) => (
        <Box key={`${offset + i}`} width={CELL_WIDTH} flexShrink={0} flexDirection="column">
          {showEmoji ? <Text>{entry.emoji}</Text> : null}
          <Text>{entry.number >= 0 ? sasName(entry.number, language) : entry.name}</Text>
        </Box>
      ))}
    </Box>
  );
}

export function EmojiCompare({ emojis, decimals, deviceName, waiting, language = 'en', onEvent }: EmojiCompareProps) {
  const theme = useTheme();
  const other = deviceName ? `your other device (${deviceName})` : 'your other device';
  useKeyHints(
    waiting
      ? [{ keys: 'Esc', label: 'stop and choose another way' }]
      : [
          { keys: 'y', label: 'they match' },
          { keys: 'n', label: "they don't match" },
          { keys: 'Esc', label: 'back' },
        ],
  );
  useKeys((input, key) => {
    if (key.escape) onEvent({ type: 'BACK' });
    else if (!waiting && (input === 'y' || input === 'Y')) onEvent({ type: 'MATCH' });
    else if (!waiting && (input === 'n' || input === 'N')) onEvent({ type: 'NO_MATCH' });
  });
  const showEmoji = theme.caps.unicode;

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold>Compare {showEmoji ? 'emojis' : 'the words'}</Text>
      <Para>
        Check that {other} shows the same {showEmoji ? 'emojis' : 'pictures'} in the same order:
      </Para>
      <Box flexDirection="column" gap={showEmoji ? 1 : 0}>
        <Row entries={emojis.slice(0, 4)} offset={0} showEmoji={showEmoji} language={language} />
        <Row entries={emojis.slice(4)} offset={4} showEmoji={showEmoji} language={language} />
      </Box>
      {decimals.length > 0 ? (
        <Text>
          <Text color={theme.color.muted}>Or compare the numbers: </Text>
          <Text bold>{decimals.join('  ')}</Text>
        </Text>
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
  );
}
