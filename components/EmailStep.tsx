/** signIn.enterEmail: the account's email; checked here before anything is sent. */
import { Box, Text } from 'ink';
import type { Notice, SetupEvent } from '../machines/setupMachine.js';
import type { Problem } from '../machines/problems.js';
import { emailProblem } from '../src/shared/validation.js';
import { useKeyHints } from './KeyHints.js';
import { Say } from './Say.js';
import { LabeledField } from './LabeledField.js';
import { useCheckedValue } from './hooks.js';
import { Para } from './Para.js';

export interface EmailStepProps {
  /** What to prefill (context.email: --email, or what was typed before). */
  email: string;
  /** The server's refusal of the last address, if any. */
  problem?: Problem | undefined;
  notice?: Notice;
  /** Where the refused token came from, to word 'token-refused' (none: nothing to say). */
  tokenSource?: 'env' | 'saved' | undefined;
  onEvent: (event: SetupEvent) => void;
}

function noticeText(notice: Notice, tokenSource: EmailStepProps['tokenSource']): string | undefined {
  if (notice === 'signed-out') return 'Beeper signed this app out. Sign in again.';
  if (notice !== 'token-refused') return undefined;
  if (tokenSource === 'env') return 'Beeper did not accept the token in BEEPER_ACCESS_TOKEN. Sign in with your email instead.';
  if (tokenSource === 'saved') return 'The sign-in saved for this Beeper is no longer valid. Sign in again.';
  return undefined;
}

export function EmailStep({ email, problem, notice, tokenSource, onEvent }: EmailStepProps) {
  const field = useCheckedValue(email, emailProblem, (text) => onEvent({ type: 'SUBMIT_EMAIL', email: text.trim() }));
  useKeyHints([{ keys: 'Enter', label: 'send code' }]);
  const serverProblem = field.serverProblemApplies && problem ? problem.message : undefined;
  const notes = noticeText(notice, tokenSource);

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold>Sign in to Beeper</Text>
      {notes ? <Say tone="warning">{notes}</Say> : null}
      <Para>
        Enter the email address of your Beeper account. New to Beeper? Enter your email and you can create an account.
      </Para>
      <LabeledField
        label="Email"
        value={field.value}
        onChange={field.change}
        onSubmit={field.submit}
        placeholder="you@example.com"
      >
        {field.localProblem ? <Say tone="error">{field.localProblem}</Say> : null}
        {serverProblem ? <Say tone="error">{serverProblem}</Say> : null}
      </LabeledField>
    </Box>
  );
}
