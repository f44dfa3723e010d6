/** Whether a new key was taken, judged from the session read after a confirm whose answer was lost. */
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/api/types.js';
import { confirmOutcome } from '../../machines/newKeyOutcome.js';

const session = (state: Session['state'], recoveryKeyGeneratedAt?: number): Session =>
  ({ state, e2ee: { ...(recoveryKeyGeneratedAt !== undefined ? { recoveryKeyGeneratedAt } : {}) } }) as unknown as Session;

describe('confirmOutcome', () => {
  it.each([
    ['a newer key time', session('needs-verification', 100), session('needs-first-sync', 200), 'active'],
    ['a first key time (a new account)', session('needs-cross-signing-setup'), session('needs-first-sync', 200), 'active'],
    ['a newer time though still waiting', session('needs-verification', 100), session('needs-verification', 200), 'active'],
    ['still waiting, the same time', session('needs-verification', 100), session('needs-verification', 100), 'not-active'],
    ['still waiting, no time at all', session('needs-cross-signing-setup'), session('needs-cross-signing-setup'), 'not-active'],
    ['moved on, no time reported', session('needs-secrets'), session('needs-first-sync'), 'active'],
    ['moved on, yet the same time', session('needs-verification', 100), session('ready', 100), 'unknown'],
  ] as const)('%s: %s', (_, before, after, outcome) => {
    expect(confirmOutcome(before, after)).toBe(outcome);
  });
});
