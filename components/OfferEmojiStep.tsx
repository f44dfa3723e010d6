/**
 * tracking.step.offeringEmoji: the other device is ready and a QR code is on
 * offer, but this window is too small to draw it whole. Emojis work in any
 * window, so they come first; the code is one key away, with the window it
 * needs named (the machine shows it once the window has grown, or on q).
 */
import { Box, Text } from 'ink';
import { useContext } from 'react';
import type { SetupEvent } from '../machines/types.js';
import { qrModuleCount } from '../src/shared/qr.js';
import { otherDeviceNamed } from '../src/wording/states.js';
import { Para } from './Para.js';
import { qrWindows } from './QrStep.js';
import { Screen } from './Screen.js';
import { ShellContext } from './shell.js';
import { useTheme } from './theme.js';

export interface OfferEmojiStepProps {
  /** verification.qr.data: its size decides the window the code needs. */
  data: string;
  deviceName?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function OfferEmojiStep({ data, deviceName, onEvent }: OfferEmojiStepProps) {
  const theme = useTheme();
  const { frame } = useContext(ShellContext);
  const other = otherDeviceNamed(deviceName);
  const window = frame ? ` a window of at least ${qrWindows(frame, qrModuleCount(data), deviceName, theme.caps.color)}; this one is ${frame.window.columns}×${frame.window.rows}` : ' a bigger window';
  return (
    <Screen
      actions={[
        { keys: 'Enter', label: 'compare emojis', run: () => onEvent({ type: 'SHOW_EMOJI' }) },
        { keys: 'q', label: 'show the QR code', run: () => onEvent({ type: 'SHOW_QR' }) },
        { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Compare emojis with {other}</Text>
        <Para>Press Enter to see seven emojis, and check that {other} shows the same ones.</Para>
        <Para color={theme.color.muted}>
          Or scan a QR code instead: press q. The code needs{window}.
        </Para>
      </Box>
    </Screen>
  );
}
