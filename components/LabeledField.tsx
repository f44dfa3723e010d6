/** A text field with its label in front (never squeezed when the value wraps) and its messages below. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { TextField, type TextFieldProps } from './TextField.js';

export interface LabeledFieldProps extends TextFieldProps {
  /** Shown before the field, followed by ": ". */
  label: string;
  /** Lines about the value (problems, hints), shown under the field. */
  children?: ReactNode;
}

export function LabeledField({ label, children, ...field }: LabeledFieldProps) {
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text>{label}: </Text>
        </Box>
        <TextField {...field} />
      </Box>
      {children}
    </Box>
  );
}
