/**
 * The classic 80×24 window: the QR step shows the whole code beside its words
 * and it decodes to the payload's bytes on dark and light terminals; in the
 * demo, every path reaches ready, and the simulated phone scans only a code
 * that is drawn whole.
 */
import { describe, expect, it } from 'vitest';
import { qrPayloadBytes } from '../../src/shared/qr.js';
import { TIMEOUT, enterRecoveryKey, headerLines, signIn, simulator, useBuiltCliInTmux, wizard } from './flows.js';
import { decodedOn, demoSignedIn, emojisInsteadOfQr, keyFromPanel, ready } from './window80x24.js';

useBuiltCliInTmux();

describe('80×24: the QR code', () => {
  it('is drawn whole beside the header and its words, and decodes to the payload bytes on dark and light terminals', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { columns: 80, rows: 24 });
    await signIn(term, sim);
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Waiting for your other device (Pixel 8) to accept');
    sim.control.otherDevice('accept');
    // Beside the code, the words wrap in a narrow column: the start of the title is what can be matched.
    await term.waitFor('Scan this code with your other');
    const screen = term.screen();
    expect(headerLines(screen)).toBe(1);
    expect(screen).toContain('e compare emojis');
    const payload = [...qrPayloadBytes(sim.control.session().verification!.qr!.data)];
    const drawn = decodedOn(term);
    expect(drawn.rows).toBe(23);
    expect(drawn.dark).toEqual(payload);
    expect(drawn.light).toEqual(payload);
    sim.control.otherDevice('scan-qr');
    await term.waitFor('Did the scan work?');
    term.type('y');
    await ready(term);
  });
});

describe('80×24: every demo path reaches ready', () => {
  it('alice, QR code: drawn whole, the phone scans it, and its drawing decodes', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other', 20_000);
    const drawn = decodedOn(term);
    expect(drawn.rows).toBe(23);
    expect(Buffer.from(drawn.dark ?? []).subarray(0, 6).toString('latin1')).toBe('MATRIX');
    expect(drawn.light).toEqual(drawn.dark);
    await term.waitFor('Did the scan work?', 20_000);
    term.type('y');
    await ready(term);
  });

  it('alice, emojis instead of the code', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await emojisInsteadOfQr(term);
    await ready(term);
  });

  it('alice, her recovery key from the panel', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.type('2');
    await enterRecoveryKey(term, await keyFromPanel(term, 'alice'));
    await ready(term);
  });
});
