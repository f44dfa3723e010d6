/**
 * newRecoveryKey.warning: what replacing a lost key costs, before anything is
 * sent. The old key is optional (it keeps old backups readable); resetting
 * without it needs a second Enter.
 */
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { checkRecoveryKey, describeRecoveryKeyProblem, formatRecoveryKey, stripWhitespace } from '../src/shared/recoveryKey.js';
import { Secret } from '../src/shared/secret.js';
import { Bullet, Say } from './Say.js';
import { LabeledField } from './LabeledField.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';
import { Screen } from './Screen.js';

export interface ResetWarningStepProps {
  /** The machine's refusal of an old key (it checks too). */
  problem?: Problem | undefined;
  onEvent: (event: SetupEvent) => void;
}

export function ResetWarningStep({ problem: refused, onEvent }: ResetWarningStepProps) {
  const theme = useTheme();
  const [oldKey, setOldKey] = useState('');
  const [armed, setArmed] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const submit = (text: string) => {
    if (stripWhitespace(text) === '') {
      if (armed) onEvent({ type: 'CONFIRM_RESET' });
      else setArmed(true);
      return;
    }
    const check = checkRecoveryKey(text);
    if (!check.ok) return setProblem(`Not a recovery key: ${describeRecoveryKeyProblem(check.reason)}`);
    onEvent({ type: 'CONFIRM_RESET', existingRecoveryKey: new Secret(stripWhitespace(text)) });
  };

  return (
    <Screen
      actions={[
        { keys: 'Enter', label: armed ? 'yes, reset without the old key' : 'reset' },
        { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold color={theme.color.warning}>
          {theme.glyph.warning} Make a new recovery key?
        </Text>
        <Box flexDirection="column">
          <Para>A new key replaces the one you lost. After the reset:</Para>
          <Bullet>your other devices must be verified again;</Bullet>
          <Bullet>messages only kept in old backups cannot be read, unless you still have the old key.</Bullet>
        </Box>
        <Box flexDirection="column">
          <Para>If you do have the old key, enter it to keep old backups readable (optional):</Para>
          <LabeledField
            label="Old key"
            value={oldKey}
            onChange={(next) => {
              setOldKey(next);
              setArmed(false);
              setProblem(undefined);
            }}
            onSubmit={submit}
            filter={stripWhitespace}
            format={formatRecoveryKey}
            mask={theme.glyph.mask}
            placeholder="leave empty if you lost it"
            wordSize={4}
          >
            {problem ? <Say tone="error">{problem}</Say> : refused && oldKey !== '' ? <Say tone="error">{refused.message}</Say> : null}
          </LabeledField>
        </Box>
        {armed ? <Say tone="warning">Reset without the old key? Press Enter again to make a new key, or Esc to go back.</Say> : null}
      </Box>
    </Screen>
  );
}
