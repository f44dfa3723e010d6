/**
 * Text from the server is untrusted input to a terminal. A device name such as
 * "x\u001b]52;c;…\u0007" would write the user's clipboard, retitle the window
 * or wipe the screen if printed as is. Everything the server supplies for
 * display passes through `cleanLine` / `cleanText` before anyone sees it
 * (src/api/schemas.ts does it at the boundary); output sinks apply them again.
 */

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

function stripSequences(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCE, '')
    .replace(C1_STRING, '')
    .replace(C1_CSI, '')
    .replace(BIDI, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

function truncate(text: string, maxLength: number): string {
  const chars = [...text];
  return chars.length <= maxLength ? text : `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
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

/** True when the text holds anything a terminal would interpret rather than print. */
export function hasControls(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

/**
 * JSON for NDJSON lines: JSON.stringify escapes C0 but leaves C1 (U+0080–U+009F),
 * DEL and the Unicode line separators raw; a terminal showing the stream would act on them.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
