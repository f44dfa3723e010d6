/**
 * enterRecoveryKey: the saved key, masked until Tab. Pasted keys may carry
 * spaces and line breaks. Format and parity are checked as you type, which
 * is a different message from the server's "wrong recovery key".
 */
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { checkRecoveryKey, describeRecoveryKeyProblem, formatRecoveryKey, stripWhitespace } from '../src/shared/recoveryKey.js';
import { Secret } from '../src/shared/secret.js';
import { attemptsLeftText } from '../src/wording/problems.js';
import { Say } from './Say.js';
import { LabeledField } from './LabeledField.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';
import { Screen } from './Screen.js';

const KEY_LENGTH = 48;

export interface RecoveryKeyStepProps {
  /** What was typed before (context.recoveryKeyDraft), kept after a wrong attempt. */
  draft: string;
  /** The last attempt's problem: WRONG_RECOVERY_KEY, or a failed call. */
  problem?: Problem | undefined;
  /** Esc goes back to the choices (only where the machine allows it). */
  canGoBack: boolean;
  /** needs-secrets: the device is trusted but the key must unlock the messages. */
  unlockOnly: boolean;
  /** E.g. a verification just stopped, in words. */
  notice?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

/** What the live check says about `value`; quiet while a plausible key is still being typed. */
export function liveCheck(value: string): { tone: 'error' | 'success' | 'info'; text: string } | undefined {
  const compact = stripWhitespace(value);
  if (compact === '') return undefined;
  const check = checkRecoveryKey(compact);
  if (check.ok) return { tone: 'success', text: 'This is a valid recovery key. Press Enter to use it.' };
  if (check.reason === 'length' && compact.length < KEY_LENGTH) return { tone: 'info', text: `${compact.length} of ${KEY_LENGTH} characters` };
  return { tone: 'error', text: `Not a recovery key: ${describeRecoveryKeyProblem(check.reason)}` };
}

/** " 2 attempts left." after a wrong key, when the run stops asking after a few. */
const attemptsLeft = (problem: Problem | undefined) => (problem?.attemptsLeft !== undefined ? ` ${attemptsLeftText(problem.attemptsLeft)}` : '');

export function RecoveryKeyStep({ draft, problem, canGoBack, unlockOnly, notice, onEvent }: RecoveryKeyStepProps) {
  const theme = useTheme();
  const [value, setValue] = useState(stripWhitespace(draft));
  const [revealed, setRevealed] = useState(false);
  const [tried, setTried] = useState(false);

  const live = liveCheck(value);
  const submit = (text: string) => {
    setTried(true);
    if (checkRecoveryKey(text).ok) onEvent({ type: 'SUBMIT_RECOVERY_KEY', recoveryKey: new Secret(stripWhitespace(text)) });
  };
  // The server's verdict belongs to the key it judged: hide it once the key is edited.
  const unchanged = value === stripWhitespace(draft);
  const wrongKey = unchanged && problem?.code === 'WRONG_RECOVERY_KEY';
  const otherProblem = unchanged && problem && !wrongKey && problem.code !== 'NOT_A_RECOVERY_KEY' ? problem.message : undefined;

  return (
    <Screen
      actions={[
        { keys: 'Enter', label: 'unlock' },
        { keys: 'Tab', label: revealed ? 'hide' : 'show', run: () => setRevealed((shown) => !shown) },
        // What was typed goes along: "back" from the reset warning brings it back here.
        { keys: 'Ctrl-F', label: 'I lost my key', run: () => onEvent({ type: 'FORGOT_RECOVERY_KEY', draft: new Secret(value) }) },
        ...(canGoBack ? [{ keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) }] : []),
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>{unlockOnly ? 'Unlock your encrypted messages' : 'Verify with your recovery key'}</Text>
        {notice ? <Say tone="info">{notice}</Say> : null}
        <Para>
          {unlockOnly ? 'This device is verified, but it needs your recovery key to read your encrypted messages. ' : ''}
          Enter the recovery key you saved when you set up encrypted messages (12 groups of 4 characters, starting with
          Es). Pasting it with spaces or line breaks is fine.
        </Para>
        <LabeledField
          label="Key"
          value={value}
          onChange={(next) => {
            setValue(next);
            setTried(false);
          }}
          onSubmit={submit}
          filter={stripWhitespace}
          format={formatRecoveryKey}
          mask={revealed ? undefined : theme.glyph.mask}
          placeholder={`EsT${theme.glyph.ellipsis} (hidden as you type; Tab shows it)`}
          wordSize={4}
        >
          {wrongKey ? (
            <Say tone="error">
              That is a recovery key, but not the one for this account. Check you have the right key: it is case-sensitive (EsTc is not estc).
              {attemptsLeft(problem)}
            </Say>
          ) : live && (live.tone !== 'info' || tried) ? (
            <Say tone={live.tone === 'info' ? 'error' : live.tone}>
              {live.tone === 'info' ? `Not a recovery key yet: ${describeRecoveryKeyProblem('length')} (${live.text})` : live.text}
            </Say>
          ) : live ? (
            <Text color={theme.color.muted}>{live.text}</Text>
          ) : tried ? (
            <Say tone="error">{describeRecoveryKeyProblem('empty')}</Say>
          ) : null}
          {otherProblem ? <Say tone="error">{otherProblem}</Say> : null}
        </LabeledField>
      </Box>
    </Screen>
  );
}
