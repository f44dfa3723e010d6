/** tracking.step.confirmingScan: the other device scanned our code; the user confirms it shows success. */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/setupMachine.js';
import { useKeyHints } from './KeyHints.js';
import { useKeys } from './hooks.js';
import { Para } from './Para.js';

export interface ConfirmScanStepProps {
  deviceName?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function ConfirmScanStep({ deviceName, onEvent }: ConfirmScanStepProps) {
  const other = deviceName ? `your other device (${deviceName})` : 'your other device';
  useKeyHints([
    { keys: 'y', label: 'yes, it shows success' },
    { keys: 'n', label: 'no' },
    { keys: 'Esc', label: 'back' },
  ]);
  useKeys((input, key) => {
    if (input === 'y' || input === 'Y') onEvent({ type: 'SCAN_CONFIRMED' });
    else if (input === 'n' || input === 'N') onEvent({ type: 'SCAN_DENIED' });
    else if (key.escape) onEvent({ type: 'BACK' });
  });
  return (
    <Box flexDirection="column" gap={1}>
      <Text bold>Did the scan work?</Text>
      <Para>{`${other[0]!.toUpperCase()}${other.slice(1)} scanned the code.`} Does it say the verification succeeded (a shield or a check mark)?</Para>
      <Para>
        Press <Text bold>y</Text> only if it does; <Text bold>n</Text> stops the verification.
      </Para>
    </Box>
  );
}
