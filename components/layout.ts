/**
 * Rows and lines of text as Ink lays them out, for screens that must know
 * whether they fit before they are drawn. Ink wraps a Text with wrap-ansi
 * (hard breaks, spaces kept) and measures with string-width: so does this.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** The lines Ink draws `text` as at `width` columns (wrap="wrap"); an empty text is one empty line. */
export function wrapLines(text: string, width: number): string[] {
  return wrapAnsi(text, Math.max(1, width), { trim: false, hard: true }).split('\n');
}

/** Rows `text` takes at `width` columns. */
export const textRows = (text: string, width: number): number => wrapLines(text, width).length;

/** Rows of several blocks stacked with `gap` empty rows between them (Ink's Box gap). */
export const stacked = (rows: number[], gap = 1): number => rows.reduce((sum, block) => sum + block, 0) + gap * Math.max(0, rows.length - 1);

/** Display width, as Ink measures it. */
export const widthOf = (text: string): number => stringWidth(text);
