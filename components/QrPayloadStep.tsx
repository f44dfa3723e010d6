/**
 * tracking.step.enteringQr (`beeper-setup verify --qr-file`): the other device shows its QR code
 * now that the verification is accepted. The user scans it with another app and pastes what it
 * read; with `--qr-file PATH` the payload is also taken from that file as soon as it is there.
 */
import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { SetupEvent } from '../machines/types.js';
import { Secret } from '../src/shared/secret.js';
import { qrPayloadProblem } from '../src/shared/validation.js';
import { otherDeviceNamed } from '../src/wording/states.js';
import { LabeledField } from './LabeledField.js';
import { Para } from './Para.js';
import { Say } from './Say.js';
import { Screen } from './Screen.js';

/** `--qr-file PATH` in the wizard: the file is watched from the moment this step shows. */
export interface ScannedQrFile {
  /** The path, as given. */
  path: string;
  /**
   * Starts watching: `found` gets a payload once the file holds one not given before, `failed`
   * what makes the file unusable. Returns the function that stops watching.
   */
  watch(found: (payload: string) => void, failed: (message: string) => void): () => void;
}

export interface QrPayloadStepProps {
  /** The device whose code is scanned, as the server names it. */
  deviceName?: string | undefined;
  /** --qr-file PATH, read as soon as it is there; the field takes a pasted payload meanwhile. */
  file?: ScannedQrFile | undefined;
  onEvent: (event: SetupEvent) => void;
}

/** Scanners copy base64 text (or the raw MATRIX bytes' base64): no spaces or line breaks belong to it. */
const noWhitespace = (text: string) => text.replace(/\s+/g, '');

export function QrPayloadStep({ deviceName, file, onEvent }: QrPayloadStepProps) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const other = otherDeviceNamed(deviceName);

  // Watched once for as long as the step shows, whatever redraws it (onEvent may be new on each).
  const send = useRef(onEvent);
  send.current = onEvent;
  useEffect(() => file?.watch((payload) => send.current({ type: 'SUBMIT_QR', data: new Secret(payload), source: 'preset' }), setFileProblem), [file]);

  const submit = (text: string) => {
    const empty = qrPayloadProblem(text);
    if (empty) return setProblem(empty);
    onEvent({ type: 'SUBMIT_QR', data: new Secret(text) });
  };

  return (
    <Screen
      actions={[
        { keys: 'Enter', label: 'submit' },
        { keys: 'Esc', label: 'back', run: () => onEvent({ type: 'BACK' }) },
      ]}
    >
      <Box flexDirection="column" gap={1}>
        <Text bold>Scan the code on {other}</Text>
        <Para>
          It shows a QR code now. Scan it with another app and paste what the app read here
          {file ? `, or write it to ${file.path}: it is read as soon as it is there.` : '.'}
        </Para>
        <LabeledField
          label="Payload"
          value={value}
          onChange={(text) => {
            setValue(text);
            setProblem(undefined);
          }}
          onSubmit={submit}
          filter={noWhitespace}
          maxLength={4096}
          placeholder="what the scanner read"
        >
          {problem ? <Say tone="error">{problem}</Say> : null}
          {fileProblem ? <Say tone="error">{fileProblem}</Say> : null}
        </LabeledField>
      </Box>
    </Screen>
  );
}
