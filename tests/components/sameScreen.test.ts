/** The wizard redraws when the screen changes, and only then: a poll that finds nothing new draws nothing. */
import { describe, expect, it } from 'vitest';
import { sameData, sameScreen } from '../../components/sameScreen.js';
import { Secret } from '../../src/shared/secret.js';
import { atWaitingForOtherDevice } from '../machine/flows.js';
import { verification } from '../machine/helpers.js';

describe('sameScreen', () => {
  it('a poll cycle with nothing new is the same screen; the other device accepting is not', async () => {
    const flow = await atWaitingForOtherDevice();
    const snapshots: ReturnType<typeof flow.actor.getSnapshot>[] = [];
    flow.actor.subscribe((snapshot) => snapshots.push(snapshot));
    const before = flow.actor.getSnapshot();
    await flow.advance(3000);
    expect(flow.server.count('fetchVerification')).toBeGreaterThanOrEqual(2);
    expect(snapshots.length).toBeGreaterThan(4);
    for (const snapshot of snapshots) expect(sameScreen(before, snapshot)).toBe(true);

    flow.server.verification = verification('ready');
    await flow.advance(1000);
    expect(sameScreen(before, flow.actor.getSnapshot())).toBe(false);
  });

  it('compares data deeply, and everything else by identity', () => {
    expect(sameData({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameData({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    const key = new Secret('k');
    expect(sameData({ key }, { key })).toBe(true);
    expect(sameData({ key }, { key: new Secret('k') })).toBe(false);
  });
});
