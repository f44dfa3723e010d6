/**
 * Every state that waits on the server or another device: a spinner, what
 * we wait for, the elapsed time, what to do when it lasts too long, and a
 * line when the connection keeps failing.
 */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import { formatElapsed } from '../src/wording/format.js';
import { useNow } from './hooks.js';
import { Para } from './Para.js';
import { Busy } from './Say.js';
import { eventKeys, Screen, type EventKey } from './Screen.js';
import { useTheme } from './theme.js';

export interface WaitingStepProps {
  /** What we wait for, e.g. "Checking the code". */
  title: string;
  /** A second line: what the user can do meanwhile. */
  detail?: string | undefined;
  /** The wait lasted longer than the app's state explains: what is going on, and the way forward. */
  stall?: string | undefined;
  /** Why this wait (a dropped connection), in words. */
  notice?: string | undefined;
  /** When the wait began (ms since epoch), for the elapsed time. */
  since: number;
  /** Set while polls fail: the reason, shown as "retrying". */
  retrying?: { failures: number; reason: string } | undefined;
  /** Ways out of the wait, e.g. Esc back. */
  actions?: EventKey[];
  onEvent: (event: SetupEvent) => void;
}

export function WaitingStep({ title, detail, stall, notice, since, retrying, actions = [], onEvent }: WaitingStepProps) {
  const theme = useTheme();
  const now = useNow(1000);
  return (
    <Screen actions={eventKeys(actions, onEvent)} fitContent>
      <Box flexDirection="column" gap={1}>
        <Busy tick={Math.max(0, Math.floor((now - since) / 1000))}>
          {title}
          {theme.glyph.ellipsis} <Text color={theme.color.muted}>{formatElapsed(now - since)}</Text>
        </Busy>
        {notice ? <Para color={theme.color.muted}>{notice}</Para> : null}
        {detail ? <Para>{detail}</Para> : null}
        {stall ? <Para color={theme.color.warning}>{stall}</Para> : null}
        {retrying ? (
          <Para color={theme.color.warning}>
            {theme.glyph.warning} Connection trouble ({retrying.failures} failed {retrying.failures === 1 ? 'try' : 'tries'}), retrying: {retrying.reason}
          </Para>
        ) : null}
      </Box>
    </Screen>
  );
}
