/** ready: who is signed in, which device, where, and what to do next. */
import { Box, Text } from 'ink';
import { commandLine, type Invocation } from '../src/invocation.js';
import { READY_TITLE, SIMULATION_ENDS } from '../src/wording/endOfRun.js';
import { Screen } from './Screen.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';
import { Bullet } from './Say.js';

export interface ReadyStepProps {
  userID?: string | undefined;
  deviceID?: string | undefined;
  homeserver?: string | undefined;
  /** "Beeper Server 4.2.1 on 127.0.0.1:23373". */
  target: string;
  /** --demo: next steps point at a real setup, since the simulator stops with the wizard. */
  simulated?: boolean | undefined;
  /** How beeper-setup was started here, so the commands it suggests work where they are typed. */
  invocation?: Invocation | undefined;
}

export function ReadyStep({ userID, deviceID, homeserver, target, simulated = false, invocation = { command: 'beeper-setup', address: '' } }: ReadyStepProps) {
  const theme = useTheme();
  const rows: [string, string | undefined][] = [
    ['Signed in as', userID],
    ['This device', deviceID],
    ['Homeserver', homeserver],
    ['App', target],
  ];
  return (
    <Screen>
      <Box flexDirection="column" gap={1}>
        <Text bold color={theme.color.success}>
          {theme.glyph.check} {READY_TITLE}
        </Text>
        <Box flexDirection="column">
          {rows
            .filter((row): row is [string, string] => !!row[1])
            .map(([label, value]) => (
              <Box key={label}>
                <Box width={14} flexShrink={0}>
                  <Text color={theme.color.muted}>{label}</Text>
                </Box>
                <Para>{value}</Para>
              </Box>
            ))}
        </Box>
        <Box flexDirection="column">
          <Text bold>Next</Text>
          {simulated ? (
            <>
              <Bullet>{SIMULATION_ENDS}</Bullet>
              <Bullet>With Beeper Desktop or Beeper Server running, set it up for real: {invocation.command}</Bullet>
            </>
          ) : (
            <>
              <Bullet>Your chats sync in the background; open Beeper to use them.</Bullet>
              <Bullet>Check this setup any time with: {commandLine(invocation, 'status')}</Bullet>
            </>
          )}
        </Box>
      </Box>
    </Screen>
  );
}
