/**
 * Matrix SAS emoji table and parsing of the server's `sas` strings.
 * The API gives the emoji sequence as one string; entries are matched to the
 * spec table by their glyph with U+FE0F removed, because terminals and servers
 * disagree on whether the variation selector is present.
 */
import table from './sas-emoji.json' with { type: 'json' };

export interface SasEmoji {
  /** 6-bit index in the Matrix table. */
  number: number;
  /** Glyph exactly as the spec writes it (seven carry U+FE0F). */
  emoji: string;
  /** English name from the spec, e.g. "Dog". */
  name: string;
}

const VARIATION_SELECTOR = /\uFE0F/g;
const bare = (glyph: string) => glyph.replace(VARIATION_SELECTOR, '');

export const SAS_EMOJI_TABLE: readonly SasEmoji[] = table.map((entry) => ({
  number: entry.number,
  emoji: entry.emoji,
  name: entry.description,
}));

const BY_GLYPH = new Map(SAS_EMOJI_TABLE.map((entry) => [bare(entry.emoji), entry]));

/**
 * Splits the server's emoji string into table entries. Accepts separators
 * (spaces, commas) or none. A glyph not in the table is kept with its glyph as
 * its name rather than dropped, so the user still compares all of them.
 */
export function parseSasEmojis(sequence: string): SasEmoji[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const out: SasEmoji[] = [];
  for (const { segment } of segmenter.segment(sequence)) {
    if (/^[\s,|·]+$/u.test(segment)) continue;
    const entry = BY_GLYPH.get(bare(segment));
    out.push(entry ?? { number: -1, emoji: segment, name: segment });
  }
  return out;
}

/** "1234 5678 9012" → ["1234", "5678", "9012"]; any non-digit separates. */
export function parseSasDecimals(decimals: string | undefined): string[] {
  if (!decimals) return [];
  return decimals.split(/\D+/).filter(Boolean);
}

/** The canonical wire form the simulator emits: glyphs joined by single spaces. */
export function formatSasEmojis(entries: readonly SasEmoji[]): string {
  return entries.map((entry) => entry.emoji).join(' ');
}
