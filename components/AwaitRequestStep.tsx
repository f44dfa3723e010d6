/**
 * vouching (`beeper-setup verify`): this ready app waits for a verification
 * request from the user's new device, or sends one to it.
 */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import { formatElapsed } from '../src/wording/format.js';
import { useNow } from './hooks.js';
import { Para } from './Para.js';
import { Busy } from './Say.js';
import { Screen } from './Screen.js';
import { useTheme } from './theme.js';

export interface AwaitRequestStepProps {
  /** The device that asked to be verified, when one did (context.incomingVerification). */
  incomingFrom?: string | undefined;
  /** When the wait began, for the elapsed time. */
  since: number;
  /** --wait: only accept a request, never send one. */
  waitOnly: boolean;
  onEvent: (event: SetupEvent) => void;
}

export function AwaitRequestStep({ incomingFrom, since, waitOnly, onEvent }: AwaitRequestStepProps) {
  const theme = useTheme();
  const now = useNow(1000);
  const actions = incomingFrom
    ? [{ keys: 'Enter', label: 'accept the request', run: () => onEvent({ type: 'ACCEPT_INCOMING' }) }]
    : waitOnly
      ? []
      : [{ keys: 's', label: 'send a request instead', run: () => onEvent({ type: 'REQUEST_VERIFICATION' }) }];
  return (
    <Screen actions={actions}>
      <Box flexDirection="column" gap={1}>
        <Text bold>Verify your other device</Text>
        {incomingFrom ? (
          <Para>
            <Text bold>{incomingFrom}</Text> asks to be verified by this device. Press Enter to accept, then compare emojis or scan a code.
          </Para>
        ) : (
          <>
            <Busy tick={Math.max(0, Math.floor((now - since) / 1000))}>
              Waiting for a verification request{theme.glyph.ellipsis} <Text color={theme.color.muted}>{formatElapsed(now - since)}</Text>
            </Busy>
            <Para>
              On your new phone or computer, open Beeper and choose to verify it with another device
              {waitOnly ? '.' : ', or press s to send it a request from here.'}
            </Para>
          </>
        )}
      </Box>
    </Screen>
  );
}
