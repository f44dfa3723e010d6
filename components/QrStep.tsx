/**
 * tracking.step.showingQr: the QR code for the other device to scan. Drawn
 * dark on light with explicit colours and a quiet zone, so it scans whatever
 * the terminal's theme, and from the payload's bytes (a base64 Matrix payload
 * is decoded first). It must be seen whole (whole.ts), in one of three
 * layouts: with all its words under the header; beside the header and words
 * when the window is short but wide (80×24); or, short and narrow, the code
 * with one line of instruction and one of keys. Never cut: otherwise a notice
 * names the window it needs, and emojis are a key away.
 */
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { SetupEvent } from '../machines/types.js';
import { drawQr, qrModules, qrPayloadBytes, qrSize } from '../src/shared/qr.js';
import { otherDeviceNamed } from '../src/wording/states.js';
import { stacked, textRows } from './layout.js';
import { footerRows } from './Screen.js';
import type { ShellFrame } from './shell.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen, type KeyAction } from './Screen.js';
import { useTheme } from './theme.js';
import { describeSizes, fitWhole, type Whole, type WholeFit, type WholeLayout } from './whole.js';

export interface QrStepProps {
  /** verification.qr.data, as the server sent it. */
  data: string;
  deviceName?: string | undefined;
  /** Whether the machine would start emoji comparison now (SHOW_EMOJI). */
  canShowEmoji: boolean;
  onEvent: (event: SetupEvent) => void;
}

/** The narrowest column of words beside the code. */
const BESIDE_TEXT_COLUMNS = 28;

/** The words of the QR step, shared with the sizes the wizard reports to the machine (largestQr). */
function qrWords(deviceName: string | undefined, canShowEmoji: boolean, color: boolean) {
  const other = otherDeviceNamed(deviceName);
  const alternative = canShowEmoji ? ' Press e to compare emojis instead.' : ' Press Esc to choose another way.';
  const noColor = color ? '' : ' (Colours are off: the code assumes light text on a dark background.)';
  return {
    title: `Scan this code with ${other}`,
    hint: `In Beeper there, open the verification request and scan this code. Turn the screen's brightness up if it does not scan.${alternative}${noColor}`,
    short: `Scan this code with ${other}.`,
  };
}

/** The keys of the QR step. */
function qrActions(canShowEmoji: boolean, onEvent: (event: SetupEvent) => void): KeyAction[] {
  return [
    ...(canShowEmoji ? [{ keys: 'e', label: 'compare emojis', run: () => onEvent({ type: 'SHOW_EMOJI' }) }] : []),
    { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
  ];
}

/** The three layouts for a code of `size` (full, beside, compact), without what they draw: for the room arithmetic. */
function qrLayouts(size: { columns: number; rows: number }, words: ReturnType<typeof qrWords>, figure?: WholeLayout['beside']): WholeLayout[] {
  return [
    { columns: size.columns, rowsAt: (width) => stacked([textRows(words.title, width), size.rows, textRows(words.hint, width)]) },
    {
      columns: BESIDE_TEXT_COLUMNS,
      rowsAt: (width) => stacked([textRows(words.title, width), textRows(words.hint, width)]),
      beside: figure ?? { node: null, columns: size.columns, rows: size.rows },
    },
    { columns: size.columns, rowsAt: (width) => size.rows + textRows(words.short, width), dense: true },
  ];
}

/** Modules a side of QR codes, version 1 to 40. */
const QR_SIDES = Array.from({ length: 40 }, (_, i) => 21 + 4 * i);

/** How a code with `modules` a side fits the frame, in the QR step's layouts (the keys as the step shows them). */
function fitQr(frame: ShellFrame, modules: number, deviceName: string | undefined, color: boolean): WholeFit {
  const words = qrWords(deviceName, true, color);
  const keys = qrActions(true, () => {});
  return fitWhole({ what: 'the QR code', layouts: qrLayouts(qrSize(modules), words) }, frame, (width, dense) => footerRows(keys, width) - (dense ? 1 : 0));
}

/**
 * The largest QR code (modules a side) the QR step can draw whole in this frame, 0 for none: what the
 * wizard tells the machine (QR_ROOM), which offers the code first only where it fits.
 */
export function largestQr(frame: ShellFrame, deviceName: string | undefined, caps: { unicode: boolean; color: boolean }): number {
  if (!caps.unicode) return 0;
  let largest = 0;
  for (const modules of QR_SIDES) {
    if (fitQr(frame, modules, deviceName, caps.color).layout === undefined) break;
    largest = modules;
  }
  return largest;
}

/** "77×24 or 47×29": the windows a code of `modules` a side needs. */
export const qrWindows = (frame: ShellFrame, modules: number, deviceName: string | undefined, color: boolean) => describeSizes(fitQr(frame, modules, deviceName, color).windows);

export function QrStep({ data, deviceName, canShowEmoji, onEvent }: QrStepProps) {
  const theme = useTheme();
  const lines = useMemo(() => drawQr(data, { color: theme.caps.color }), [data, theme.caps.color]);
  const size = useMemo(() => qrSize(qrModules(qrPayloadBytes(data)).length), [data]);
  const words = qrWords(deviceName, canShowEmoji, theme.caps.color);
  const actions = qrActions(canShowEmoji, onEvent);

  if (!theme.caps.unicode) {
    return (
      <Screen actions={actions}>
        <Box flexDirection="column" gap={1}>
          <Text bold>{words.title}</Text>
          <Say tone="warning">This terminal cannot draw the QR code (it is not set to UTF-8).{canShowEmoji ? ' Press e to compare emojis instead.' : ''}</Say>
        </Box>
      </Screen>
    );
  }

  const code = (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
  const whole: Whole = {
    what: 'the QR code',
    layouts: qrLayouts(size, words, { node: code, columns: size.columns, rows: size.rows }),
    instead: canShowEmoji ? 'Or press e to compare emojis instead.' : 'Or press Esc to choose another way.',
  };
  const title = <Text bold>{words.title}</Text>;
  const hint = <Para color={theme.color.muted}>{words.hint}</Para>;

  return (
    <Screen actions={actions} whole={whole}>
      {(layout) =>
        layout === 0 ? (
          <Box flexDirection="column" gap={1}>
            {title}
            {code}
            {hint}
          </Box>
        ) : layout === 1 ? (
          <Box flexDirection="column" gap={1}>
            {title}
            {hint}
          </Box>
        ) : (
          <Box flexDirection="column">
            {code}
            <Para>{words.short}</Para>
          </Box>
        )
      }
    </Screen>
  );
}
