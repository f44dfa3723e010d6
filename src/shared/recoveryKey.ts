/**
 * Matrix recovery key codec (spec: "Cryptographic key representation").
 * Encoded form: 0x8B 0x01, 32 key bytes, one parity byte (XOR of every byte
 * before it), base58 (Bitcoin alphabet), shown in groups of four.
 * Readers ignore all whitespace, so keys pasted with line breaks still work.
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const PREFIX = [0x8b, 0x01] as const;
const KEY_BYTES = 32;
const ENCODED_BYTES = PREFIX.length + KEY_BYTES + 1;
/** Base58 characters in every valid key (12 groups of 4). */
const ENCODED_LENGTH = 48;

export type RecoveryKeyCheck =
  | { ok: true; key: Uint8Array; normalized: string }
  | { ok: false; reason: RecoveryKeyProblem };

/** Why text is not a recovery key, most basic problem first. */
export type RecoveryKeyProblem = 'empty' | 'lowercase' | 'uppercase' | 'characters' | 'length' | 'prefix' | 'parity';

const PROBLEM_TEXT: Record<RecoveryKeyProblem, string> = {
  empty: 'Enter your recovery key.',
  lowercase: 'Recovery keys are case-sensitive, and this one is all lowercase: type it with the capital letters your saved copy shows.',
  uppercase: 'Recovery keys are case-sensitive, and this one is all capitals: type it with the small letters your saved copy shows.',
  characters: 'A recovery key only has letters and digits (no 0, O, I or l).',
  length: 'A recovery key is 48 characters: 12 groups of 4.',
  prefix: 'This is not a Matrix recovery key (they start with EsS, EsT or EsU).',
  parity: 'This key has a typo: its check digit does not match. Compare it with your saved copy.',
};

export function describeRecoveryKeyProblem(problem: RecoveryKeyProblem): string {
  return PROBLEM_TEXT[problem];
}

export function stripWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

export function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = ALPHABET[0] + out;
  }
  return out;
}

/** Returns null when the text holds a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array | null {
  let value = 0n;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  for (const char of text) {
    if (char !== ALPHABET[0]) break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

/** Groups of four separated by spaces, the way people are shown a key. */
export function formatRecoveryKey(compact: string): string {
  return stripWhitespace(compact).replace(/(.{4})(?=.)/g, '$1 ');
}

export function encodeRecoveryKey(key: Uint8Array): string {
  if (key.length !== KEY_BYTES) throw new RangeError(`a recovery key holds ${KEY_BYTES} bytes`);
  const bytes = new Uint8Array(ENCODED_BYTES);
  bytes.set(PREFIX, 0);
  bytes.set(key, PREFIX.length);
  let parity = 0;
  for (let i = 0; i < ENCODED_BYTES - 1; i++) parity ^= bytes[i]!;
  bytes[ENCODED_BYTES - 1] = parity;
  return formatRecoveryKey(base58Encode(bytes));
}

/** Checks format and parity locally; says nothing about whether it is this account's key. */
export function checkRecoveryKey(text: string): RecoveryKeyCheck {
  const compact = stripWhitespace(text);
  if (compact === '') return { ok: false, reason: 'empty' };
  // A real key mixes cases (it starts "Es"); a whole key in one case was retyped or lowercased on the way.
  if (compact.length >= ENCODED_LENGTH && /[a-z]/i.test(compact)) {
    if (compact === compact.toLowerCase()) return { ok: false, reason: 'lowercase' };
    if (compact === compact.toUpperCase()) return { ok: false, reason: 'uppercase' };
  }
  const bytes = base58Decode(compact);
  if (!bytes) return { ok: false, reason: 'characters' };
  if (!/^Es[STU]/.test(compact)) return { ok: false, reason: 'prefix' };
  if (compact.length !== ENCODED_LENGTH) return { ok: false, reason: 'length' };
  // Right shape but wrong bytes (length, prefix or parity) means a typo somewhere.
  if (bytes.length !== ENCODED_BYTES) return { ok: false, reason: 'parity' };
  let parity = 0;
  for (const byte of bytes) parity ^= byte;
  if (parity !== 0 || bytes[0] !== PREFIX[0] || bytes[1] !== PREFIX[1]) return { ok: false, reason: 'parity' };
  return { ok: true, key: bytes.slice(PREFIX.length, PREFIX.length + KEY_BYTES), normalized: formatRecoveryKey(compact) };
}

/** True when two renderings name the same key (whitespace ignored). */
export function sameRecoveryKey(a: string, b: string): boolean {
  return stripWhitespace(a) === stripWhitespace(b);
}

/** The last two groups of four: what a person types back to prove the new key was kept. */
export const lastTwoGroups = (key: string) => stripWhitespace(key).slice(-8);

/**
 * Why the typed-back groups are not accepted, in words; undefined when they match. `seeAgain`
 * is how the front end shows the key again ("or press Esc to see the key again"), where it can.
 */
export function retypeProblem(typed: string, key: string, seeAgain = ''): string | undefined {
  const compact = stripWhitespace(typed);
  const expected = lastTwoGroups(key);
  if (compact === '') return 'Type the last two groups of your key (8 characters) from your saved copy.';
  if (compact === expected) return undefined;
  if (compact.toLowerCase() === expected.toLowerCase()) return 'Almost: recovery keys are case-sensitive. Check the capital letters against your saved copy.';
  if (compact.length !== expected.length) return `That is ${compact.length} characters; the last two groups are 8. Check your saved copy${seeAgain}.`;
  return `That does not match the end of your key. Check your saved copy${seeAgain}.`;
}
