/**
 * Walks the contract — successes and failures — while capturing everything the
 * client and the simulator print and every error thrown, then looks for the
 * secrets. The simulator's "code for EMAIL" console line is the one place a
 * code may appear.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { signIn, startHarness, waitForState, type Harness } from './harness.js';

let h: Harness;
const printed: string[] = [];
const thrown: unknown[] = [];
const secrets = { tokens: [] as string[], codes: [] as string[], keys: [] as string[] };

const capture = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    thrown.push(error);
  }
};

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof stream.write);
  }
  vi.spyOn(console, 'log').mockImplementation((...args) => printed.push(args.map(String).join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args) => printed.push(args.map(String).join(' ')));

  h = await startHarness();
  const { client, token, code } = await signIn(h);
  secrets.tokens.push(token);
  secrets.codes.push(code);
  const auth = { accessToken: token };

  // Wrong codes echo nothing of what was sent.
  const { setupRequestID } = await client.start();
  await client.sendEmail({ setupRequestID, email: 'bob@example.com' });
  secrets.codes.push(h.sim.control.latestCode('bob@example.com')!);
  await capture(client.submitCode({ setupRequestID, code: '999999' }));
  secrets.codes.push('999999');

  await waitForState(h, 'needs-verification');
  const wrongKey = encodeRecoveryKey(new Uint8Array(32).fill(3));
  secrets.keys.push(wrongKey);
  await capture(client.verifyRecoveryKey(wrongKey, auth));
  await capture(client.verifyRecoveryKey('EsTz not a key', auth));
  await capture(client.resetRecoveryKey(wrongKey, auth));
  await capture(client.verifyRecoveryKey(wrongKey, { accessToken: 'wrong-token-value-123' }));
  secrets.tokens.push('wrong-token-value-123');

  const aliceKey = h.sim.control.accounts().find((a) => a.email === 'alice@example.com')!.recoveryKey!;
  secrets.keys.push(aliceKey);
  const reset = await client.resetRecoveryKey(aliceKey, auth);
  secrets.keys.push(reset.recoveryKey);
  await capture(client.confirmRecoveryKeyReset(wrongKey, auth));
  h.sim.control.setFaults({ htmlError: 1 });
  await capture(client.confirmRecoveryKeyReset(reset.recoveryKey, auth));
  h.sim.control.setFaults({ malformedBody: 1 });
  await capture(client.confirmRecoveryKeyReset(reset.recoveryKey, auth));
  await client.confirmRecoveryKeyReset(reset.recoveryKey, auth);
  await capture(client.getSession({ accessToken: 'another-wrong-token-456' }));
  secrets.tokens.push('another-wrong-token-456');
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h.sim.close();
});

describe('no secret in anything printed or thrown', () => {
  it('captured real traffic and real failures', () => {
    expect(thrown.length).toBeGreaterThanOrEqual(8);
    expect(h.clientLog.length).toBeGreaterThan(10);
    expect(h.simLog.some((line) => /code for alice@example.com: \d{6}/.test(line))).toBe(true);
  });

  it('client log lines, errors and stdout/stderr hold no token, code or recovery key', () => {
    const errorTexts = thrown.flatMap((error) => [String(error), JSON.stringify(error), inspect(error, { depth: 5 }), (error as Error).stack ?? '']);
    const haystack = [...h.clientLog, ...printed, ...errorTexts].join('\n');
    const compact = haystack.replace(/\s+/g, '');
    for (const token of secrets.tokens) expect(haystack).not.toContain(token);
    for (const code of secrets.codes) expect(haystack).not.toContain(code);
    for (const key of secrets.keys) expect(compact).not.toContain(key.replace(/\s+/g, ''));
  });

  it('the simulator prints codes only on its code line, and never tokens or keys', () => {
    const otherLines = h.simLog.filter((line) => !/\bcode for \S+: \d{6}$/.test(line)).join('\n');
    for (const code of secrets.codes.slice(0, 2)) expect(otherLines).not.toContain(code);
    const all = h.simLog.join('\n');
    for (const token of secrets.tokens) expect(all).not.toContain(token);
    for (const key of secrets.keys) expect(all.replace(/\s+/g, '')).not.toContain(key.replace(/\s+/g, ''));
  });
});
