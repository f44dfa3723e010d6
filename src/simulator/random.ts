/** Randomness: crypto by default, or derived from an injected `() => number` (tests). */
import { randomBytes, randomInt } from 'node:crypto';
import { encodeRecoveryKey } from '../shared/recoveryKey.js';

export interface Rng {
  /** Integer in [0, max). */
  int(max: number): number;
  bytes(count: number): Uint8Array;
}

export function createRng(random?: () => number): Rng {
  if (!random) return { int: (max) => randomInt(max), bytes: (count) => new Uint8Array(randomBytes(count)) };
  const int = (max: number) => Math.min(max - 1, Math.max(0, Math.floor(random() * max)));
  return { int, bytes: (count) => Uint8Array.from({ length: count }, () => int(256)) };
}

export const randomToken = (rng: Rng, bytes: number) => Buffer.from(rng.bytes(bytes)).toString('base64url');

/** Six digits, leading zeros kept. */
export const signInCode = (rng: Rng) => String(rng.int(1_000_000)).padStart(6, '0');

export const newRecoveryKey = (rng: Rng) => encodeRecoveryKey(rng.bytes(32));

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Matrix-style device ID: ten capital letters. */
export const deviceID = (rng: Rng) => Array.from({ length: 10 }, () => UPPER[rng.int(UPPER.length)]).join('');

/** Matrix-like transaction ID holding `$`, `/` and `:`, so clients must URL-encode it. */
export const verificationID = (rng: Rng) => `$${randomToken(rng, 9)}/${randomToken(rng, 6)}:beeper.com`;
