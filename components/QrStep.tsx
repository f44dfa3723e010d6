/**
 * tracking.step.showingQr: the QR code for the other device to scan. Drawn
 * dark on light with explicit colours and a quiet zone, so it scans whatever
 * the terminal's theme, and from the payload's bytes (a base64 Matrix payload
 * is decoded first). Never cut: when the terminal is too small it says how big
 * it must be and offers emoji comparison instead.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { SetupEvent } from '../machines/setupMachine.js';
import { drawQr, qrModules, qrPayloadBytes, qrSize } from '../src/shared/qr.js';
import { wrapWords } from '../src/wording/wrap.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen, footerRows, type KeyAction } from './Screen.js';
import { useTheme } from './theme.js';

export interface QrStepProps {
  /** verification.qr.data, as the server sent it. */
  data: string;
  deviceName?: string | undefined;
  /** Whether the machine would start emoji comparison now (SHOW_EMOJI). */
  canShowEmoji: boolean;
  /** Room the shell leaves for this step, its keys included. */
  columns: number;
  rows: number;
  /** The whole terminal, to say how big it must get. */
  window: { columns: number; rows: number };
  onEvent: (event: SetupEvent) => void;
}

/** Rows the step needs besides the code and its hint: the title and the gaps around the code. */
export const QR_TEXT_ROWS = 3;

export function QrStep({ data, deviceName, canShowEmoji, columns, rows, window, onEvent }: QrStepProps) {
  const theme = useTheme();
  const lines = useMemo(() => drawQr(data, { color: theme.caps.color }), [data, theme.caps.color]);
  const size = useMemo(() => qrSize(qrModules(qrPayloadBytes(data)).length), [data]);
  const other = deviceName ? `your other device (${deviceName})` : 'your other device';
  const actions: KeyAction[] = [
    ...(canShowEmoji ? [{ keys: 'e', label: 'compare emojis instead', run: () => onEvent({ type: 'SHOW_EMOJI' }) }] : []),
    { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
  ];

  const alternative = canShowEmoji ? ' Press e to compare emojis instead.' : '';
  const hint = `In Beeper there, open the verification request and scan this code. Turn the screen's brightness up if it does not scan.${alternative || ' Press Esc to choose another way.'}`;
  const noColor = theme.caps.color ? '' : ' (Colours are off: the code assumes light text on a dark background.)';
  // Text wraps onto more rows in a narrower window: count rows at the width in question.
  const rowsAt = (width: number) => size.rows + QR_TEXT_ROWS + wrapWords(`${hint}${noColor}`, width).length + footerRows(actions, width);
  const fits = theme.caps.unicode && size.columns <= columns && rowsAt(columns) <= rows;
  // The smallest window to name: the code's width, and the rows the text needs at that width.
  const neededColumns = size.columns;
  const neededRows = rowsAt(neededColumns);

  return (
    <Screen actions={actions}>
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
            <Para color={theme.color.muted}>
              {hint}
              {noColor}
            </Para>
          </>
        ) : theme.caps.unicode ? (
          <Say tone="warning">
            The QR code needs a window of at least {neededColumns + (window.columns - columns)} columns and {neededRows + (window.rows - rows)} rows;
            this one is {window.columns}×{window.rows}. Make it bigger to scan.{alternative}
          </Say>
        ) : (
          <Say tone="warning">This terminal cannot draw the QR code (it is not set to UTF-8).{alternative}</Say>
        )}
      </Box>
    </Screen>
  );
}
