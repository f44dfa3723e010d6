/**
 * Whether a new recovery key became the account's key, from the session read after a confirm
 * whose answer was lost (the connection dropped: the server may or may not have applied it).
 * The session says so two ways: `recoveryKeyGeneratedAt` changes when a new key is taken, and a
 * device still waiting for a key (to set up, verify or unlock) is unlocked by taking one.
 */
import type { Session } from '../src/api/types.js';

export type KeyOutcome = 'active' | 'not-active' | 'unknown';

/** The states in which the app waits for a recovery key: the confirm, once applied, moves it on. */
const WAITING_FOR_KEY = new Set(['needs-cross-signing-setup', 'needs-verification', 'needs-secrets']);

export function confirmOutcome(before: Session | undefined, after: Session): KeyOutcome {
  const was = before?.e2ee?.recoveryKeyGeneratedAt;
  const now = after.e2ee?.recoveryKeyGeneratedAt;
  if (now !== undefined && now !== was) return 'active';
  // Still waiting for a key, with no newer one reported: the confirm did not take.
  if (WAITING_FOR_KEY.has(after.state)) return 'not-active';
  // Moved on: with no time reported, only the confirm can have done it; a time that stayed the same says otherwise.
  return now === undefined ? 'active' : 'unknown';
}
