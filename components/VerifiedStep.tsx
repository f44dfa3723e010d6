/** vouched: `beeper-setup verify` finished; the other device now trusts this one and the other way round. */
import { Box, Text } from 'ink';
import { Para } from './Para.js';
import { Screen } from './Screen.js';
import { useTheme } from './theme.js';

export interface VerifiedStepProps {
  /** The device that is now trusted, as the server names it. */
  deviceName?: string | undefined;
}

export function VerifiedStep({ deviceName }: VerifiedStepProps) {
  const theme = useTheme();
  return (
    <Screen>
      <Box flexDirection="column" gap={1}>
        <Text bold color={theme.color.success}>
          {theme.glyph.check} Verified: {deviceName ?? 'your other device'} is now trusted
        </Text>
        <Para>It can read your encrypted messages, and your other devices trust it too.</Para>
      </Box>
    </Screen>
  );
}
