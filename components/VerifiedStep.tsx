/** vouched: `beeper-setup verify` finished; the other device now trusts this one and the other way round. */
import { Box, Text } from 'ink';
import type { Verification } from '../src/api/types.js';
import { verifiedText } from '../src/wording/endOfRun.js';
import { Para } from './Para.js';
import { Screen } from './Screen.js';
import { useTheme } from './theme.js';

export interface VerifiedStepProps {
  /** The verification that made the other device trusted (it names the device). */
  verification: Verification | undefined;
}

export function VerifiedStep({ verification }: VerifiedStepProps) {
  const theme = useTheme();
  const text = verifiedText(verification);
  return (
    <Screen>
      <Box flexDirection="column" gap={1}>
        <Text bold color={theme.color.success}>
          {theme.glyph.check} {text.title}
        </Text>
        <Para>{text.detail}</Para>
      </Box>
    </Screen>
  );
}
