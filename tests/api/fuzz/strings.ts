/**
 * Strings a hostile or broken server could put in any field: terminal escape
 * sequences (7-bit and 8-bit), stray controls, bidi overrides, lone surrogates,
 * line separators, very long runs — mixed with ordinary text and emoji so that
 * sanitizing is exercised next to content that must survive it.
 */
import fc from 'fast-check';

/** Whole sequences and single characters known to make terminals act instead of print. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  // ESC-introduced: OSC (clipboard write, window title, hyperlink), CSI, DCS/APC/PM/SOS, two-byte escapes.
  '\u001b]52;c;aGFja2Vk\u0007',
  '\u001b]0;PWNED\u0007',
  '\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\',
  '\u001b]52;c;unterminated',
  '\u001b[2J',
  '\u001b[1;31m',
  '\u001b[?1049h',
  '\u001b[6n',
  '\u001b[',
  '\u001bc',
  '\u001b(0',
  '\u001b7',
  '\u001bP+q544e\u001b\\',
  '\u001b_apc\u001b\\',
  '\u001b^pm\u0007',
  '\u001bX sos \u009c',
  '\u001b',
  '\u001b\u001b[2J',
  // 8-bit (C1) forms: CSI, OSC, DCS, NEL and the range ends.
  '\u009b2J',
  '\u009b31m',
  '\u009b',
  '\u009d0;title\u009c',
  '\u009d52;c;aGk=\u0007',
  '\u0090q\u009c',
  '\u0085',
  '\u0080',
  '\u009f',
  // C0 and DEL.
  '\u0000',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u007f',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\n\n\n\n',
  // Bidi overrides, isolates and marks ("Trojan Source").
  '\u202e',
  '\u202a',
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
  // Lone surrogates, both halves, and a pair split by a control.
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ud83d\u0007\ude00',
  // Line and paragraph separators, invisible characters.
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u200d',
];

/** Content that must come through (modulo trimming and space folding). */
export const ORDINARY_FRAGMENTS: readonly string[] = [
  'ready',
  'sas.start',
  'Alice’s MacBook Pro',
  '@alice:beeper.com',
  '$tx/1:beeper.com',
  'https://matrix.beeper.com',
  '👍',
  '❤️',
  '☺︎',
  '1️⃣',
  '👨‍👩‍👧',
  '🏳️‍🌈',
  '🐶🐱🦁',
  'e\u0301',
  'é',
  '日本語',
  'مرحبا',
  'Ünïcödé',
  ' ',
  '  ',
  '0',
  '',
];

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((unit) => String.fromCharCode(unit));

/** One "unit" of a hostile string; also the string unit of the arbitrary-JSON arbitrary. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 3, arbitrary: fc.constantFrom(...ORDINARY_FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: anyCodeUnit },
  { weight: 1, arbitrary: controlChar },
);

/** Up to a few thousand UTF-16 units: a repeated pattern cut anywhere (mid-sequence, mid-pair). */
const longString = fc
  .tuple(fc.array(hostileUnit, { minLength: 1, maxLength: 4 }), fc.integer({ min: 257, max: 4000 }))
  .map(([parts, length]) => {
    const pattern = parts.join('') || 'x';
    return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
  });

/** Any string a server might send: mostly short mixes, sometimes very long ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.array(hostileUnit, { maxLength: 10 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** A known enum value (so the UI paths for it run) or anything else. */
export function enumish(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: hostileString });
}
