/**
 * Text from the server is untrusted input to a terminal. A device name such as
 * "x\u001b]52;c;…\u0007" would write the user's clipboard, retitle the window
 * or wipe the screen if printed as is. Everything the server supplies for
 * display passes through `cleanLine` / `cleanText` before anyone sees it
 * (src/api/schemas.ts does it at the boundary); output sinks apply them again.
 */
import { scrub } from './redact.js';

/** ESC-introduced sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings (to BEL or ST), and two-byte escapes. */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[ -/]*[0-~]?)/g;
/** C1 string introducers (8-bit OSC, DCS, …) run to their terminator too. */
const C1_STRING = /[\u0090\u0098\u009d\u009e\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
/** 8-bit CSI, with its parameters. */
const C1_CSI = /\u009b[0-?]*[ -/]*[@-~]?/g;
/** Any other control: C0 (but tab and newline, handled by the callers), DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates reorder what follows them ("Trojan Source"). */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** Lone surrogates print as replacement characters at best. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * Characters nobody sees: format characters (Unicode category Cf: zero-width space and joiners,
 * word joiner, BOM, soft hyphen, tag characters, …) and the other default-ignorable code points
 * (Hangul fillers, variation selectors). They hide text, make two names look alike, and terminals
 * disagree on their width, so a line measured by the wizard as fitting wraps on screen. Kept:
 * U+FE0E and U+FE0F, which pick text or emoji presentation (the SAS table's ☁️ ❤️ ✈️ need U+FE0F).
 */
const INVISIBLE = /(?![\ufe0e\ufe0f])[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** Combining marks kept on one base character: enough for Vietnamese, Thai or a keycap emoji, not for "Zalgo" text. */
export const MAX_MARKS_PER_BASE = 3;
const MARK = /\p{M}/u;

/** Drops combining marks beyond MAX_MARKS_PER_BASE in a row (60 stacked accents draw over the lines above and below). */
function limitMarks(text: string): string {
  if (!/\p{M}/u.test(text)) return text;
  let out = '';
  let run = 0;
  for (const char of text) {
    if (MARK.test(char)) {
      run += 1;
      if (run > MAX_MARKS_PER_BASE) continue;
    } else run = 0;
    out += char;
  }
  return out;
}

function stripSequences(text: string): string {
  return limitMarks(
    text
      .replace(ESCAPE_SEQUENCE, '')
      .replace(C1_STRING, '')
      .replace(C1_CSI, '')
      .replace(BIDI, '')
      .replace(INVISIBLE, '')
      .replace(LONE_SURROGATE, '\ufffd'),
  );
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `maxLength` characters (code points), cut between graphemes so no emoji or accent is split, with "…". */
function truncate(text: string, maxLength: number): string {
  if ([...text].length <= maxLength) return text;
  let kept = '';
  let length = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (length + size > maxLength - 1) break;
    kept += segment;
    length += size;
  }
  return `${kept}…`;
}

/** One line of display text: escape sequences and controls removed, line breaks and tabs become spaces. */
export function cleanLine(text: string, maxLength = 256): string {
  const flat = stripSequences(text).replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(CONTROL, '');
  return truncate(flat.replace(/ {2,}/g, ' ').trim(), maxLength);
}

/** Display text that may span lines (terms copy): like cleanLine, but line breaks are kept. */
export function cleanText(text: string, maxLength = 2000): string {
  const kept = stripSequences(text)
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '');
  return truncate(kept.replace(/\n{3,}/g, '\n\n').trim(), maxLength);
}

/** A line ready for a terminal, whoever prints it: controls and escapes gone, every secret this process holds redacted. */
export const printable = (line: string) => scrub(cleanText(line, 100_000));

/** True when the text holds anything a terminal would interpret rather than print, or that prints as nothing. */
export function hasControls(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text) || new RegExp(INVISIBLE.source, 'u').test(text);
}

/** JSON's escape for one UTF-16 code unit. */
const escapeUnit = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON for NDJSON lines: JSON.stringify escapes C0 but leaves C1 (U+0080–U+009F),
 * DEL, the Unicode line separators and invisible characters raw; a terminal showing
 * the stream would act on them or hide them. Escaped, the value a program reads is the same.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escapeUnit)
    .replace(INVISIBLE, (char) => char.split('').map(escapeUnit).join(''));
}
