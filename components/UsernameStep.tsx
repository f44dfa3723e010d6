/**
 * signIn.chooseUsername: the server's copy and a name typed freely, with the
 * server's first suggestion offered as a suggestion (shown in the empty field,
 * taken with Tab or an empty Enter, others with ↑/↓), never as typed text that
 * typing would append to. What Beeper refuses is explained as it is typed.
 */
import { Box, Text, type Key } from 'ink';
import { useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import type { Problem } from '../machines/problems.js';
import type { RegistrationCopy } from '../src/api/types.js';
import { cleanUsernameInput, usernameProblem } from '../src/shared/validation.js';
import { LabeledField } from './LabeledField.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen, type KeyAction } from './Screen.js';
import { useCheckedValue } from './hooks.js';
import { useTheme } from './theme.js';

export interface UsernameStepProps {
  /** The server's texts (context.registration.copy). */
  copy: RegistrationCopy;
  suggestions: string[];
  /** What was typed before (a taken name comes back here). */
  username: string;
  email: string;
  /** E.g. the server's "That username is taken." */
  problem?: Problem | undefined;
  /** E.g. a rerun continuing the account creation, in words. */
  notice?: string | undefined;
  /** Back after a taken name: the terms were accepted already, so Enter creates the account. */
  termsAccepted?: boolean | undefined;
  onEvent: (event: SetupEvent) => void;
}

/** The server's button text as a key hint: "Continue" → "continue". */
export const hintLabel = (text: string, fallback: string) => (text.trim() ? text.trim().charAt(0).toLowerCase() + text.trim().slice(1) : fallback);

export function UsernameStep({ copy, suggestions, username, email, problem, notice, termsAccepted, onEvent }: UsernameStepProps) {
  const theme = useTheme();
  const suggestion = suggestions[0];
  const field = useCheckedValue(username, usernameProblem, (text) => onEvent({ type: 'SUBMIT_USERNAME', username: text.trim() }));
  const [typingNote, setTypingNote] = useState<string | undefined>();
  const { value } = field;
  const cycle = (step: 1 | -1) => {
    const at = suggestions.indexOf(value);
    const next = at < 0 ? (step > 0 ? 0 : suggestions.length - 1) : (at + step + suggestions.length) % suggestions.length;
    field.change(suggestions[next]!);
  };
  const serverProblem = field.serverProblemApplies && problem ? problem.message : undefined;
  const actions: KeyAction[] = [
    { keys: 'Enter', label: termsAccepted ? 'create the account' : hintLabel(copy.submit, 'continue') },
    ...(suggestion && value === '' ? [{ keys: 'Tab', label: `use "${suggestion}"`, run: () => field.change(suggestion) }] : []),
    ...(suggestions.length > 1 ? [{ keys: theme.glyph.upDown, label: 'suggestions', run: (_: string, key: Key) => cycle(key.downArrow ? 1 : -1) }] : []),
    { keys: 'Esc', label: 'use another email', run: () => onEvent({ type: 'CHANGE_EMAIL' }) },
  ];

  return (
    <Screen actions={actions}>
      <Box flexDirection="column" gap={1}>
        <Text bold>{copy.title}</Text>
        {notice ? <Say tone="info">{notice}</Say> : null}
        <Para>
          There is no Beeper account for <Text bold>{email}</Text> yet. Pick a username to create one.
          {termsAccepted ? ' You accepted the terms already.' : ''}
        </Para>
        <LabeledField
          label={copy.usernamePlaceholder}
          value={value}
          onChange={field.change}
          // An empty Enter takes the suggestion shown in the field.
          onSubmit={(text) => field.submit(text.trim() === '' && suggestion ? suggestion : text)}
          filter={(text) => {
            const { kept, note } = cleanUsernameInput(text);
            setTypingNote(note);
            return kept;
          }}
          placeholder={suggestion ? `${suggestion} (suggested: Tab or Enter takes it)` : copy.usernamePlaceholder}
        >
          {field.localProblem ? <Say tone="error">{field.localProblem}</Say> : null}
          {!field.localProblem && typingNote ? <Say tone="info">{typingNote}</Say> : null}
          {serverProblem ? <Say tone="error">{serverProblem}</Say> : null}
        </LabeledField>
        {suggestions.length > 0 ? (
          <Para>
            <Text color={theme.color.muted}>Suggestions: </Text>
            {suggestions.map((name, i) => (
              <Text key={name}>
                {i > 0 ? '  ' : ''}
                <Text color={name === value ? theme.color.accent : undefined} bold={name === value} underline={name === value}>
                  {name}
                </Text>
              </Text>
            ))}
          </Para>
        ) : null}
      </Box>
    </Screen>
  );
}
