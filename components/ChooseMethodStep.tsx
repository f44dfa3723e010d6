/** chooseMethod: how to trust this device — only the choices the machine allows right now. */
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen } from './Screen.js';
import { Select, type SelectItem } from './Select.js';
import { useTheme } from './theme.js';

export type MethodChoice = 'incoming' | 'device' | 'recovery-key' | 'forgot';

export interface ChooseMethodStepProps {
  /** Offered choices, in order (from snapshot.can). */
  choices: MethodChoice[];
  /** The device that asked to verify this one (context.incomingVerification). */
  incomingFrom?: string | undefined;
  /** E.g. a verification we stopped, in words. */
  notice?: string | undefined;
  onEvent: (event: SetupEvent) => void;
}

const EVENTS: Record<MethodChoice, SetupEvent> = {
  incoming: { type: 'ACCEPT_INCOMING' },
  device: { type: 'CHOOSE_DEVICE' },
  'recovery-key': { type: 'CHOOSE_RECOVERY_KEY' },
  forgot: { type: 'FORGOT_RECOVERY_KEY' },
};

export function ChooseMethodStep({ choices, incomingFrom, notice, onEvent }: ChooseMethodStepProps) {
  const theme = useTheme();
  // Without Unicode there is no QR code and no emoji: say what will really happen.
  const deviceHint = theme.caps.unicode
    ? 'A phone or computer where you are signed in: scan a QR code or compare emojis.'
    : 'A phone or computer where you are signed in: compare a list of words (this terminal cannot show a QR code or emojis).';
  const items: SelectItem<MethodChoice>[] = choices.map((choice) => {
    switch (choice) {
      case 'incoming':
        return { value: choice, label: `Accept the request from ${incomingFrom ?? 'your other device'}`, hint: 'It asked to verify this device just now.' };
      case 'device':
        return { value: choice, label: 'Use another device', hint: deviceHint };
      case 'recovery-key':
        return { value: choice, label: 'Enter my recovery key', hint: 'The key you saved when you set up encrypted messages.' };
      case 'forgot':
        return { value: choice, label: 'I lost my recovery key', hint: 'Make a new one. Other devices must be verified again.' };
    }
  });
  const [value, setValue] = useState<MethodChoice>(choices[0] ?? 'device');
  // A request arriving from another device goes to the top: highlight it.
  const offered = choices.join(',');
  useEffect(() => {
    setValue((current) => (choices.includes('incoming') ? 'incoming' : !choices.includes(current) && choices[0] ? choices[0] : current));
  }, [offered]);
  const digits = choices.length > 1 ? `1${theme.caps.unicode ? '–' : '-'}${choices.length}` : '1';

  // The Select reads the keys; the screen shows them.
  return (
    <Screen
      actions={[
        { keys: theme.glyph.upDown, label: 'choose' },
        { keys: digits, label: 'pick by number' },
        { keys: 'Enter', label: 'continue' },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Verify this device</Text>
        {notice ? <Say tone="info">{notice}</Say> : null}
        <Para>Encrypted messages can only be read on devices you trust. Choose how to verify this one:</Para>
        <Select items={items} value={value} onChange={setValue} onSubmit={(choice) => onEvent(EVENTS[choice])} />
      </Box>
    </Screen>
  );
}
