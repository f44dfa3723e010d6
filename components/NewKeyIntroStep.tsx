/** newRecoveryKey.intro: a new account's first recovery key, explained before it is made. */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import { Para } from './Para.js';
import { Screen } from './Screen.js';
import { useTheme } from './theme.js';

export interface NewKeyIntroStepProps {
  onEvent: (event: SetupEvent) => void;
}

export function NewKeyIntroStep({ onEvent }: NewKeyIntroStepProps) {
  const theme = useTheme();
  return (
    <Screen actions={[{ keys: 'Enter', label: 'create my recovery key', run: () => onEvent({ type: 'CREATE_RECOVERY_KEY' }) }]}>
      <Box flexDirection="column" gap={1}>
        <Text bold>Create your recovery key</Text>
        <Para>
          Your messages are end-to-end encrypted. A recovery key lets you read them on a new device, or after losing this one,
          when no other device of yours is at hand.
        </Para>
        <Para>
          Beeper shows the key once, on the next screen. Keep it somewhere safe, like a password manager {theme.glyph.dash} not on this
          machine alone.
        </Para>
      </Box>
    </Screen>
  );
}
