/**
 * A one-line text input in the manner of ink-text-input: controlled
 * `value` / `onChange` / `onSubmit`, `focus` saying whether it takes keys.
 * Adds what the wizard needs: a `filter` for what may be typed or pasted
 * (digits only, no whitespace), an optional `mask`, `format` for how the
 * value is shown (e.g. groups of four), and readline's editing keys:
 * Ctrl-A/E start and end, Ctrl-U and Ctrl-K erase before and after the
 * cursor, Ctrl-W the word before it. Colours come from the theme, so NO_COLOR holds here
 * too, and there a placeholder is bracketed so it never looks typed.
 */
import { Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { useKeys } from './keys.js';
import { useTheme } from './theme.js';

export interface TextFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** Enter. */
  onSubmit?: (value: string) => void;
  placeholder?: string;
  /** Receives keys only while true (default true). */
  focus?: boolean;
  /** Shown instead of every character (secrets). */
  mask?: string;
  /** Cleans inserted text (typed or pasted); default drops line breaks. */
  filter?: (text: string) => string;
  /** Display form of the value; the cursor then stays at the end. */
  format?: (value: string) => string;
  /** Longest accepted value, after filtering. */
  maxLength?: number;
  /** Ctrl-W erases back to a multiple of this (a key's groups of four) instead of to a space. */
  wordSize?: number;
}

/** Where Ctrl-W erases back to from `at`: the previous word (readline), or the previous group. */
export function wordStart(value: string, at: number, wordSize?: number): number {
  if (wordSize) return at % wordSize === 0 ? Math.max(0, at - wordSize) : at - (at % wordSize);
  let i = at;
  while (i > 0 && /\s/.test(value[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(value[i - 1]!)) i--;
  return i;
}

const dropLineBreaks = (text: string) => text.replace(/[\r\n]+/g, '');
const BACKSPACES = /^[\x7f\b]+$/;
/** Whatever the filter left, control characters never become part of a value. */
const stripControls = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

export function TextField({
  value,
  onChange,
  onSubmit,
  placeholder = '',
  focus = true,
  mask,
  filter = dropLineBreaks,
  format,
  maxLength,
  wordSize,
}: TextFieldProps) {
  const theme = useTheme();
  const [cursor, setCursor] = useState(value.length);
  const atEndOnly = format !== undefined;
  const position = atEndOnly ? value.length : Math.min(cursor, value.length);

  // Keys can arrive before React re-renders (a paste, then Enter at once):
  // the handler reads the latest value and cursor from refs, never from a stale render.
  const latest = useRef({ value, cursor: position });
  const emitted = useRef(value);
  if (value !== emitted.current) {
    // A value set from outside (a picked suggestion, a reset) puts the cursor at its end.
    emitted.current = value;
    latest.current = { value, cursor: value.length };
  }
  useEffect(() => {
    if (cursor !== latest.current.cursor) setCursor(latest.current.cursor);
  });
  const change = (next: string, nextCursor: number): void => {
    const previous = latest.current.value;
    latest.current = { value: next, cursor: nextCursor };
    emitted.current = next;
    setCursor(nextCursor);
    if (next !== previous) onChange(next);
  };

  useKeys(
    (input, key) => {
      const { value: current, cursor: at0 } = latest.current;
      const at = atEndOnly ? current.length : Math.min(at0, current.length);
      if (key.ctrl) {
        // readline's editing keys; any other Ctrl key is a screen's (Ctrl-R resend, Ctrl-F lost key).
        switch (input) {
          case 'a':
            return change(current, 0);
          case 'e':
            return change(current, current.length);
          case 'u':
            return change(current.slice(at), 0);
          case 'k':
            return change(current.slice(0, at), at);
          case 'w': {
            const from = wordStart(current, at, wordSize);
            return change(current.slice(0, from) + current.slice(at), from);
          }
          default:
            return;
        }
      }
      if (key.upArrow || key.downArrow || key.tab || key.escape || key.meta) return;
      // A newline is Enter too: keys typed before raw mode arrive with the terminal's line ending.
      if (key.return || input === '\n' || input === '\r\n') {
        onSubmit?.(current);
        return;
      }
      if (key.home) return change(current, 0);
      if (key.end) return change(current, current.length);
      if (key.leftArrow) return change(current, Math.max(0, at - 1));
      if (key.rightArrow) return change(current, Math.min(current.length, at + 1));
      // Over SSH keys arrive in bursts: "\x7f\x7f\x7f" is three Backspaces, not text.
      const erased = key.backspace || key.delete ? 1 : BACKSPACES.test(input) ? input.length : 0;
      if (erased > 0) {
        const from = Math.max(0, at - erased);
        if (from !== at) change(current.slice(0, from) + current.slice(at), from);
        return;
      }
      // "123456\r" in one burst is the text, then Enter; a paste with several line breaks is only text.
      const typedThenEnter = /^[^\r\n]+(?:\r\n|\r|\n)$/.test(input);
      let inserted = stripControls(filter(typedThenEnter ? input.replace(/[\r\n]+$/, '') : input));
      if (maxLength !== undefined) inserted = inserted.slice(0, Math.max(0, maxLength - current.length));
      const next = current.slice(0, at) + inserted + current.slice(at);
      if (inserted !== '') change(next, at + inserted.length);
      if (typedThenEnter) onSubmit?.(next);
    },
    focus,
  );

  if (value === '' && placeholder) {
    // Without colour a grey placeholder looks typed: bracket it.
    const shown = theme.caps.color ? placeholder : `[${placeholder}]`;
    return (
      <Text>
        {focus ? <Text inverse>{shown[0]}</Text> : null}
        <Text color={theme.color.muted}>{focus ? shown.slice(1) : shown}</Text>
      </Text>
    );
  }
  const shown = mask ? mask.repeat(value.length) : value;
  if (atEndOnly || !focus) {
    return (
      <Text>
        {format ? format(shown) : shown}
        {focus ? <Text inverse> </Text> : null}
      </Text>
    );
  }
  const chars = [...shown];
  return (
    <Text>
      {chars.slice(0, position).join('')}
      <Text inverse>{chars[position] ?? ' '}</Text>
      {chars.slice(position + 1).join('')}
    </Text>
  );
}
