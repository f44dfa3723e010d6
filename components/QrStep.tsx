/**
 * tracking.step.showingQr: the QR code for the other device to scan, drawn
 * with half blocks. Never cut: when the terminal is too small it says how big
 * it must be and offers emoji comparison instead.
 */
import { Box, Text } from 'ink';
import qrcode from 'qrcode-terminal';
import { useMemo } from 'react';
import type { SetupEvent } from '../machines/setupMachine.js';
import { useKeyHints } from './KeyHints.js';
import { Say } from './Say.js';
import { useKeys } from './hooks.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';

export interface QrStepProps {
  /** verification.qr.data */
  data: string;
  deviceName?: string | undefined;
  /** Whether the machine would start emoji comparison now (SHOW_EMOJI). */
  canShowEmoji: boolean;
  /** Room the shell leaves for this step. */
  columns: number;
  rows: number;
  /** The whole terminal, to say how big it must get. */
  window: { columns: number; rows: number };
  onEvent: (event: SetupEvent) => void;
}

/** The QR code as lines of half blocks (two modules per character row). */
export function qrLines(data: string): string[] {
  let out = '';
  qrcode.generate(data, { small: true }, (text) => {
    out = text;
  });
  return out.split('\n').filter((line) => line.length > 0);
}

/** Rows the step needs besides the code and its hint: the title and the gaps around the code. */
export const QR_TEXT_ROWS = 3;

export function QrStep({ data, deviceName, canShowEmoji, columns, rows, window, onEvent }: QrStepProps) {
  const theme = useTheme();
  const lines = useMemo(() => qrLines(data), [data]);
  const other = deviceName ? `your other device (${deviceName})` : 'your other device';
  useKeyHints([...(canShowEmoji ? [{ keys: 'e', label: 'compare emojis instead' }] : []), { keys: 'Esc', label: 'back' }]);
  useKeys((input, key) => {
    if (input === 'e' && canShowEmoji) onEvent({ type: 'SHOW_EMOJI' });
    else if (key.escape) onEvent({ type: 'BACK' });
  });

  const alternative = canShowEmoji ? ' Press e to compare emojis instead.' : '';
  const width = Math.max(...lines.map((line) => line.length));
  const hint = `In Beeper there, open the verification request and scan this code.${alternative || ' Press Esc to choose another way.'}`;
  const needRows = lines.length + QR_TEXT_ROWS + Math.ceil(hint.length / Math.max(1, columns));
  const fits = theme.caps.unicode && width <= columns && needRows <= rows;

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold>Scan this code with {other}</Text>
      {fits ? (
        <>
          <Box flexDirection="column" flexShrink={0}>
            {lines.map((line, i) => (
              <Text key={i} wrap="truncate">
                {line}
              </Text>
            ))}
          </Box>
          <Para color={theme.color.muted}>{hint}</Para>
        </>
      ) : theme.caps.unicode ? (
        <Say tone="warning">
          The QR code needs a window of at least {width + (window.columns - columns)} columns and {needRows + (window.rows - rows)} rows; this one
          is {window.columns}×{window.rows}. Make it bigger to scan.{alternative}
        </Say>
      ) : (
        <Say tone="warning">This terminal cannot draw the QR code (it is not set to UTF-8).{alternative}</Say>
      )}
    </Box>
  );
}
