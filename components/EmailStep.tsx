/** signIn.enterEmail: the account's email; checked here before anything is sent. */
import { Box, Text } from 'ink';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { emailProblem } from '../src/shared/validation.js';
import { LabeledField } from './LabeledField.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen } from './Screen.js';
import { useCheckedValue } from './hooks.js';

export interface EmailStepProps {
  /** What to prefill (context.email: --email, or what was typed before). */
  email: string;
  /** The server's refusal of the last address, if any. */
  problem?: Problem | undefined;
  /** Why the user is here again (signed out, a refused token), in words (src/wording). */
  notice?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function EmailStep({ email, problem, notice, onEvent }: EmailStepProps) {
  const field = useCheckedValue(email, emailProblem, (text) => onEvent({ type: 'SUBMIT_EMAIL', email: text.trim() }));
  const serverProblem = field.serverProblemApplies && problem ? problem.message : undefined;

  return (
    <Screen actions={[{ keys: 'Enter', label: 'send code' }]}>
      <Box flexDirection="column" gap={1}>
        <Text bold>Sign in to Beeper</Text>
        {notice ? <Say tone="warning">{notice}</Say> : null}
        <Para>
          Enter the email address of your Beeper account. New to Beeper? Enter your email and you can create an account.
        </Para>
        <LabeledField label="Email" value={field.value} onChange={field.change} onSubmit={field.submit} placeholder="you@example.com">
          {field.localProblem ? <Say tone="error">{field.localProblem}</Say> : null}
          {serverProblem ? <Say tone="error">{serverProblem}</Say> : null}
        </LabeledField>
      </Box>
    </Screen>
  );
}
