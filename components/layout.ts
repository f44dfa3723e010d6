/**
 * Rows and lines of text as Ink lays them out, for screens that must know
 * whether they fit before they are drawn. Ink wraps a Text with wrap-ansi
 * (hard breaks, spaces kept) and measures with string-width: so does this.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/**
 * Screens ask for the same few texts at the same widths on every frame, and measuring Unicode text is
 * costly (string-width segments graphemes; it cost the wizard's first frame ~80 ms): each answer is kept.
 */
const MEMO_LIMIT = 500;
function memo<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}
const wrapped = new Map<string, string[]>();
const widths = new Map<string, number>();
/** Printable ASCII is one column a character: no need to ask string-width. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** The lines Ink draws `text` as at `width` columns (wrap="wrap"); an empty text is one empty line. */
export function wrapLines(text: string, width: number): string[] {
  const columns = Math.max(1, width);
  // A copy: the kept lines are never changed by a caller.
  return memo(wrapped, `${columns}\u0000${text}`, () => wrapAnsi(text, columns, { trim: false, hard: true }).split('\n')).slice();
}

/** Rows `text` takes at `width` columns. */
export const textRows = (text: string, width: number): number => wrapLines(text, width).length;

/** Rows of several blocks stacked with `gap` empty rows between them (Ink's Box gap). */
export const stacked = (rows: number[], gap = 1): number => rows.reduce((sum, block) => sum + block, 0) + gap * Math.max(0, rows.length - 1);

/** Display width, as Ink measures it. */
export const widthOf = (text: string): number => (PLAIN_ASCII.test(text) ? text.length : memo(widths, text, () => stringWidth(text)));
