/** tracking.step.confirmingScan: the other device scanned our code; the user confirms it shows success. */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import { Para } from './Para.js';
import { Screen } from './Screen.js';

export interface ConfirmScanStepProps {
  deviceName?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function ConfirmScanStep({ deviceName, onEvent }: ConfirmScanStepProps) {
  const other = deviceName ? `Your other device (${deviceName})` : 'Your other device';
  return (
    <Screen
      actions={[
        { keys: 'y', label: 'yes, it shows success', run: () => onEvent({ type: 'SCAN_CONFIRMED' }) },
        { keys: 'n', label: 'no', run: () => onEvent({ type: 'SCAN_DENIED' }) },
        { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Did the scan work?</Text>
        <Para>{other} scanned the code. Does it say the verification succeeded (a shield or a check mark)?</Para>
        <Para>
          Press <Text bold>y</Text> only if it does; <Text bold>n</Text> stops the verification.
        </Para>
      </Box>
    </Screen>
  );
}
