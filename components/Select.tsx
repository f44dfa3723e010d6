/**
 * A vertical choice list, controlled like the text field: `value` is the
 * highlighted item, ↑/↓ call onChange, Enter calls onSubmit, and a digit
 * picks the item with that number at once.
 */
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useKeys } from './keys.js';
import { useTheme } from './theme.js';

export interface SelectItem<V extends string> {
  value: V;
  label: string;
  /** A second, quieter line under the label. */
  hint?: string;
}

export interface SelectProps<V extends string> {
  items: SelectItem<V>[];
  /** The highlighted item. */
  value: V;
  onChange: (value: V) => void;
  onSubmit: (value: V) => void;
  /** Receives keys only while true (default true). */
  focus?: boolean;
  /** Show 1., 2., … and accept digit keys (default true). */
  numbered?: boolean;
}

export function Select<V extends string>({ items, value, onChange, onSubmit, focus = true, numbered = true }: SelectProps<V>) {
  const theme = useTheme();
  const index = Math.max(0, items.findIndex((item) => item.value === value));
  // Keys can come faster than renders (↓ then Enter at once): track the highlight here too.
  const highlighted = useRef({ prop: value, current: value });
  if (highlighted.current.prop !== value) highlighted.current = { prop: value, current: value };
  const move = (next: V) => {
    highlighted.current.current = next;
    onChange(next);
  };

  useKeys((input, key) => {
    if (items.length === 0) return;
    const at = Math.max(0, items.findIndex((item) => item.value === highlighted.current.current));
    if (key.upArrow) return move(items[(at - 1 + items.length) % items.length]!.value);
    if (key.downArrow) return move(items[(at + 1) % items.length]!.value);
    if (key.return) return onSubmit(items[at]!.value);
    if (numbered && /^[1-9]$/.test(input)) {
      const picked = items[Number(input) - 1];
      if (picked) {
        move(picked.value);
        onSubmit(picked.value);
      }
    }
  }, focus);

  return (
    <Box flexDirection="column">
      {items.map((item, i) => {
        const active = i === index;
        return (
          <Box key={item.value} flexDirection="column">
            <Text>
              <Text color={active ? theme.color.accent : undefined} bold={active}>
                {active ? theme.glyph.pointer : ' '} {numbered ? `${i + 1}. ` : ''}
                {item.label}
              </Text>
            </Text>
            {item.hint ? (
              <Box paddingLeft={numbered ? 5 : 2}>
                <Text color={theme.color.muted}>{item.hint}</Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
