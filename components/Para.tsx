/**
 * A wrapped paragraph. Ink keeps the space a line was broken at, so every
 * continuation line would start one column in; this drops that space.
 */
import { Text, Transform, type TextProps } from 'ink';

const LEADING_SPACE = /^((?:\u001B\[[0-9;]*m)*) /;

/** Drops the break space at the start of each continuation line. */
export const trimContinuation = (line: string, index: number) => (index === 0 ? line : line.replace(LEADING_SPACE, '$1'));

export function Para({ children, ...props }: Omit<TextProps, 'wrap'>) {
  return (
    <Transform transform={trimContinuation}>
      <Text {...props}>{children}</Text>
    </Transform>
  );
}
