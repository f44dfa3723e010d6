/** signIn.enterCode: the emailed code (digits only), resend after a cooldown, or another email. */
import { Box, Text } from 'ink';
import type { Notice, SetupEvent } from '../machines/setupMachine.js';
import type { Problem } from '../machines/problems.js';
import { Secret } from '../src/shared/secret.js';
import { CODE_LENGTH, cleanCode, codeProblem } from '../src/shared/validation.js';
import { useKeyHints } from './KeyHints.js';
import { codeProblemText } from '../src/wording/problems.js';
import { Say } from './Say.js';
import { LabeledField } from './LabeledField.js';
import { useCheckedValue, useKeys } from './hooks.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';

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

export function CodeStep({ email, problem, notice, noticeText, resendInSeconds, onEvent }: CodeStepProps) {
  const theme = useTheme();
  const field = useCheckedValue('', codeProblem, (text) => onEvent({ type: 'SUBMIT_CODE', code: new Secret(cleanCode(text)) }));
  const canResend = resendInSeconds <= 0;
  useKeyHints([
    { keys: 'Enter', label: 'sign in' },
    ...(canResend ? [{ keys: 'Ctrl-R', label: 'resend code' }] : []),
    { keys: 'Esc', label: 'use another email' },
  ]);

  useKeys((input, key) => {
    if (key.escape) onEvent({ type: 'CHANGE_EMAIL' });
    else if (key.ctrl && input === 'r' && canResend) onEvent({ type: 'RESEND_CODE' });
  });

  const restarted = notice === 'sign-in-restarted';
  // A wrong code is cleared from the field; its message stays until something new is typed.
  const serverProblem = !field.localProblem && problem && !restarted && field.value === '' ? codeProblemText(problem) : undefined;

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold>Check your email</Text>
      {noticeText ? <Say tone={restarted ? 'warning' : notice === 'code-resent' ? 'success' : 'info'}>{noticeText}</Say> : null}
      <Para>
        We sent a {CODE_LENGTH}-digit code to <Text bold>{email}</Text>. Enter it here.
      </Para>
      <LabeledField
        label="Code"
        value={field.value}
        onChange={field.change}
        onSubmit={field.submit}
        filter={cleanCode}
        maxLength={CODE_LENGTH}
        placeholder={`${CODE_LENGTH} digits`}
      >
        {field.localProblem ? <Say tone="error">{field.localProblem}</Say> : null}
        {serverProblem ? <Say tone="error">{serverProblem}</Say> : null}
      </LabeledField>
      <Para color={theme.color.muted}>
        {canResend
          ? 'No email? Check spam, or press Ctrl-R to send a new code.'
          : `No email? You can ask for a new code in ${resendInSeconds}s.`}
      </Para>
    </Box>
  );
}
