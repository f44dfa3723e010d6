/**
 * newRecoveryKey.showingKey: the new key, shown once in groups of four, with
 * copy (OSC 52) and save-to-file. Continuing needs proof it was kept: the
 * user re-types the key's last two groups.
 */
import { Box, Text } from 'ink';
import { useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import { formatRecoveryKey, retypeProblem } from '../src/shared/recoveryKey.js';
import { cleanLine } from '../src/shared/terminalText.js';
import { TYPE_BACK_PROMPT } from '../src/wording/newKey.js';
import type { KeyStorage } from './keyStorage.js';
import { stacked, textRows } from './layout.js';
import { Say } from './Say.js';
import { TextField } from './TextField.js';
import { useTheme } from './theme.js';
import { Para } from './Para.js';
import { Screen, type KeyAction } from './Screen.js';
import type { Whole } from './whole.js';

export interface NewRecoveryKeyStepProps {
  /** The new key (revealed from its Secret by the shell, for display only). */
  recoveryKey: string;
  reason: 'new-account' | 'lost-key';
  /** Confirming the key with the server failed. */
  problem?: Problem | undefined;
  storage: KeyStorage;
  /** Columns available: the key goes on one line when it fits. */
  width: number;
  onEvent: (event: SetupEvent) => void;
}

type Stage = 'show' | 'save' | 'retype';

/** The key in two lines of six groups, in its box: the narrowest it is drawn whole. */
const KEY_MIN_COLUMNS = 6 * 5 - 1 + 4;

export function NewRecoveryKeyStep({ recoveryKey, reason, problem, storage, width, onEvent }: NewRecoveryKeyStepProps) {
  const theme = useTheme();
  const [stage, setStage] = useState<Stage>('show');
  const [status, setStatus] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | undefined>();
  const [path, setPath] = useState(storage.defaultPath);
  // The file the key went to: the machine names it when it speaks of the key later.
  const [savedTo, setSavedTo] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState<string | undefined>();

  const save = async (target: string) => {
    const result = await storage.save(target, formatRecoveryKey(recoveryKey));
    if (result.ok) {
      setSavedTo(result.path);
      setStatus({ tone: 'success', text: `Saved to ${result.path} (only you can read it).` });
      setStage('show');
    } else {
      setStatus({ tone: 'error', text: result.exists ? `${result.message} Choose another name.` : result.message });
      if (result.suggestion) setPath(result.suggestion);
    }
  };

  const check = (text: string) => {
    const wrong = retypeProblem(text, recoveryKey, ', or press Esc to see the key again');
    if (wrong) setMismatch(wrong);
    else onEvent({ type: 'KEY_SAVED', ...(savedTo ? { savedTo } : {}) });
  };

  const actions: Record<Stage, KeyAction[]> = {
    show: [
      {
        keys: 'c',
        label: 'copy',
        run: () => {
          storage.copy(formatRecoveryKey(recoveryKey));
          setStatus({
            tone: 'info',
            text: 'Sent the key to your clipboard (OSC 52). Terminals cannot confirm it arrived: paste it somewhere to check. In tmux this needs "set -g set-clipboard on".',
          });
        },
      },
      { keys: 's', label: 'save to file', run: () => setStage('save') },
      {
        keys: 'Enter',
        label: 'I saved it',
        // The type-back gate hides the key: it is reached only from the key drawn whole.
        needsWhole: true,
        run: () => {
          setStage('retype');
          setTyped('');
          setMismatch(undefined);
        },
      },
    ],
    save: [
      { keys: 'Enter', label: 'save' },
      { keys: 'Esc', label: 'cancel', run: () => setStage('show') },
    ],
    retype: [
      { keys: 'Enter', label: 'check' },
      { keys: 'Esc', label: 'show the key again', run: () => setStage('show') },
    ],
  };

  // Shown for reading, never sent from here: cleaned like any text from the server.
  const formatted = formatRecoveryKey(cleanLine(recoveryKey));
  const groups = formatted.split(' ');
  const linesAt = (columns: number) => (columns >= formatted.length + 4 ? [formatted] : [groups.slice(0, 6).join(' '), groups.slice(6).join(' ')]);
  const lines = linesAt(width);
  const title = reason === 'new-account' ? 'Your recovery key' : 'Your new recovery key';
  const explanation =
    reason === 'new-account'
      ? 'This key unlocks your encrypted messages on a new device if you have no other device at hand.'
      : 'This key replaces your old one. Use it to unlock your encrypted messages on a new device.';
  const warning = 'It is shown only this once. Keep it somewhere safe, like a password manager.';
  // The key is on screen while it is shown or saved; the type-back gate hides it.
  const whole: Whole | undefined =
    stage === 'retype'
      ? undefined
      : {
          what: reason === 'new-account' ? 'your recovery key' : 'your new recovery key',
          layouts: [
            {
              columns: KEY_MIN_COLUMNS,
              rowsAt: (columns) =>
                stacked([
                  textRows(title, columns),
                  textRows(explanation, columns),
                  linesAt(columns).length + 2,
                  textRows(warning, columns - 2),
                  ...(stage === 'save' ? [textRows(`Save to file: ${path}`, columns)] : []),
                  ...(status ? [textRows(status.text, columns - 2)] : []),
                  ...(problem ? [textRows(problem.message, columns - 2)] : []),
                ]),
            },
          ],
        };

  return (
    <Screen actions={actions[stage]} whole={whole}>
      <Box flexDirection="column" gap={1}>
        <Text bold>{title}</Text>
        {stage === 'retype' ? (
          <Box flexDirection="column" gap={1}>
            <Para>{TYPE_BACK_PROMPT}</Para>
            <Box flexDirection="column">
              <Box>
                <Text>Last two groups: </Text>
                <TextField
                  value={typed}
                  onChange={(next) => {
                    setTyped(next);
                    setMismatch(undefined);
                  }}
                  onSubmit={check}
                  placeholder="xxxx xxxx"
                />
              </Box>
              {mismatch ? <Say tone="error">{mismatch}</Say> : null}
            </Box>
          </Box>
        ) : (
          <>
            <Para>{explanation}</Para>
            <Box flexDirection="column" borderStyle={theme.border} borderColor={theme.color.secret} paddingX={1} alignSelf="flex-start">
              {lines.map((line) => (
                <Text key={line} bold>
                  {line}
                </Text>
              ))}
            </Box>
            <Say tone="warning">{warning}</Say>
            {stage === 'save' ? (
              <Box>
                <Text>Save to file: </Text>
                <TextField value={path} onChange={setPath} onSubmit={(target) => void save(target)} />
              </Box>
            ) : null}
          </>
        )}
        {status && stage !== 'retype' ? <Say tone={status.tone}>{status.text}</Say> : null}
        {problem ? <Say tone="error">{problem.message}</Say> : null}
      </Box>
    </Screen>
  );
}
