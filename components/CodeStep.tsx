/** signIn.enterCode: the emailed code, resend after a cooldown, or another email. */
import { Box, Text } from 'ink';
import type { Notice, SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { Secret } from '../src/shared/secret.js';
import { CODE_LENGTH, cleanCode, codeProblem } from '../src/shared/validation.js';
import { withAttemptsLeft } from '../src/wording/problems.js';
import { LabeledField } from './LabeledField.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen } from './Screen.js';
import { useCheckedValue } from './hooks.js';
import { useTheme } from './theme.js';

export interface CodeStepProps {
  /** Where the code went. */
  email: string;
  /** A wrong code (server message, attempts left) or a failed send. */
  problem?: Problem | undefined;
  notice?: Notice;
  /** The notice in words (src/wording). */
  noticeText?: string | undefined;
  /** Seconds until "resend code" is offered; 0 when it is available now. */
  resendInSeconds: number;
  onEvent: (event: SetupEvent) => void;
}

/** Letters and digits only, as pasted codes often carry spaces or dashes. */
const codeCharacters = (text: string) => cleanCode(text).replace(/[^A-Za-z0-9]/g, '');

export function CodeStep({ email, problem, notice, noticeText, resendInSeconds, onEvent }: CodeStepProps) {
  const theme = useTheme();
  const field = useCheckedValue('', codeProblem, (text) => onEvent({ type: 'SUBMIT_CODE', code: new Secret(cleanCode(text)) }));
  const canResend = resendInSeconds <= 0;
  const restarted = notice === 'sign-in-restarted';
  // A wrong code is cleared from the field; its message stays until something new is typed.
  const serverProblem = !field.localProblem && problem && field.value === '' ? withAttemptsLeft(problem, 'That code did not work.') : undefined;

  return (
    <Screen
      actions={[
        { keys: 'Enter', label: 'sign in' },
        ...(canResend ? [{ keys: 'Ctrl-R', label: 'resend code', run: () => onEvent({ type: 'RESEND_CODE' }) }] : []),
        { keys: 'Esc', label: 'use another email', run: () => onEvent({ type: 'CHANGE_EMAIL' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Check your email</Text>
        {noticeText ? <Say tone={restarted ? 'warning' : notice === 'code-resent' ? 'success' : 'info'}>{noticeText}</Say> : null}
        <Para>
          We sent a sign-in code to <Text bold>{email}</Text>. Enter it here.
        </Para>
        <LabeledField
          label="Code"
          value={field.value}
          onChange={field.change}
          onSubmit={field.submit}
          filter={codeCharacters}
          maxLength={16}
          placeholder={`${CODE_LENGTH} digits`}
        >
          {field.localProblem ? <Say tone="error">{field.localProblem}</Say> : null}
          {serverProblem ? <Say tone="error">{serverProblem}</Say> : null}
        </LabeledField>
        <Para color={theme.color.muted}>
          {canResend ? 'No email? Check spam, or press Ctrl-R to send a new code.' : `No email? You can ask for a new code in ${resendInSeconds}s.`}
        </Para>
      </Box>
    </Screen>
  );
}
