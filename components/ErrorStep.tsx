/**
 * A stop: a failed connection, a failed call, a verification that ended, a
 * timeout. Says what happened and what fixes it, offers the ways on that
 * make sense, and shows the technical details only with --debug.
 */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import { Para } from './Para.js';
import { eventKeys, Screen, type EventKey } from './Screen.js';
import { useTheme } from './theme.js';

export interface ErrorStepProps {
  title: string;
  message: string;
  fix?: string | undefined;
  actions: EventKey[];
  /** --debug details (call, status, code); omitted otherwise. */
  details?: string[] | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function ErrorStep({ title, message, fix, actions, details, onEvent }: ErrorStepProps) {
  const theme = useTheme();
  return (
    <Screen actions={eventKeys(actions, onEvent)}>
      <Box flexDirection="column" gap={1}>
        <Text bold color={theme.color.error}>
          {theme.glyph.cross} {title}
        </Text>
        <Para>{message}</Para>
        {fix ? <Para>{fix}</Para> : null}
        {details && details.length > 0 ? (
          <Box flexDirection="column">
            {details.map((line) => (
              <Para key={line} color={theme.color.muted}>
                {line}
              </Para>
            ))}
          </Box>
        ) : null}
      </Box>
    </Screen>
  );
}
