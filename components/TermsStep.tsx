/** signIn.reviewTerms: the server's terms text with both links; nothing is sent before "y". */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { PRIVACY_URL, TERMS_URL, type RegistrationCopy } from '../src/api/types.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen } from './Screen.js';
import { hyperlink } from './terminalCodes.js';
import { useTheme } from './theme.js';
import { hintLabel } from './UsernameStep.js';

export interface TermsStepProps {
  copy: RegistrationCopy;
  /** The username the account will get. */
  username: string;
  /** A failed registration (not a username problem: those go back a step). */
  problem?: Problem | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function TermsStep({ copy, username, problem, onEvent }: TermsStepProps) {
  const theme = useTheme();
  const link = (url: string) => (theme.caps.hyperlinks ? hyperlink(url) : url);
  return (
    <Screen
      actions={[
        { keys: 'y', label: `agree and ${hintLabel(copy.submit, 'continue')}`, run: () => onEvent({ type: 'ACCEPT_TERMS' }) },
        { keys: 'Esc', label: 'change username', run: () => onEvent({ type: 'BACK' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Create the account "{username}"</Text>
        <Para>{copy.terms}</Para>
        <Box flexDirection="column">
          <Text>
            <Text color={theme.color.muted}>Terms of Use:   </Text>
            <Text color={theme.color.link}>{link(TERMS_URL)}</Text>
          </Text>
          <Text>
            <Text color={theme.color.muted}>Privacy Policy: </Text>
            <Text color={theme.color.link}>{link(PRIVACY_URL)}</Text>
          </Text>
        </Box>
        {problem ? <Say tone="error">{problem.message}</Say> : null}
        <Para>
          Press <Text bold>y</Text> to agree and create the account, or <Text bold>Esc</Text> to pick another username.
        </Para>
      </Box>
    </Screen>
  );
}
