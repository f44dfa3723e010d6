/**
 * The QR step as the wizard draws it (Ink's frame, with its colours) scans: rasterised for a
 * light-on-dark and a dark-on-light terminal and decoded without inversion attempts, it gives
 * the payload's bytes, for a base64 Matrix payload and for the same bytes sent raw.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QrStep } from '../../components/QrStep.js';
import { qrCode } from '../e2e/terminal.js';
import { DARK_ON_LIGHT, LIGHT_ON_DARK, decodeDrawing } from '../shared/qr/rasterise.js';
import { renderAt } from './render.js';

const bytes = (seed: string, length: number) => createHash('sha256').update(seed).digest().subarray(0, length);
/** MATRIX, version 2, mode 2, a transaction id, two keys and a secret. */
const PAYLOAD = Buffer.concat([Buffer.from('MATRIX\u0002\u0002\u0000\u0006txn-id', 'latin1'), bytes('key 1', 32), bytes('key 2', 32), bytes('secret', 16)]);

/** The frame's QR rows: the lines drawn with half blocks, cut to the code's own columns. */
function qrLines(rawFrame: string): string[] {
  return rawFrame
    .split('\n')
    .filter((line) => /[▀▄█]/.test(line))
    .map((line) => line.replace(/^ +/, '').replace(/ +$/, ''));
}

describe('the QR step scans as drawn', () => {
  it.each([
    { form: 'base64', data: PAYLOAD.toString('base64') },
    { form: 'raw', data: PAYLOAD.toString('latin1') },
  ])('$form payload: decodes to its bytes on both terminal themes', ({ data }) => {
    const ui = renderAt(<QrStep data={data} canShowEmoji onEvent={() => {}} />, { rows: 50 });
    const lines = qrLines(ui.rawFrame());
    expect(lines.length).toBeGreaterThan(15);
    for (const theme of [LIGHT_ON_DARK, DARK_ON_LIGHT]) expect(decodeDrawing(lines, theme), theme.name).toEqual([...PAYLOAD]);
  });

  /** As long as the simulator's payload: a version 6 code, 45×23 drawn. */
  const LONG = Buffer.concat([Buffer.from('MATRIX\u0002\u0002\u0000\u001c', 'latin1'), bytes('txn', 28), bytes('key 1', 32), bytes('key 2', 32), bytes('secret', 32)]);

  it.each([
    { form: 'base64', data: LONG.toString('base64') },
    { form: 'raw', data: LONG.toString('latin1') },
  ])('at 80×24, beside the header and its words, the $form payload decodes to its bytes on both themes, the terminal around it', ({ data }) => {
    const ui = renderAt(<QrStep data={data} deviceName="Pixel 8" canShowEmoji onEvent={() => {}} />, { columns: 80, rows: 24, shell: true });
    const lines = qrCode(ui.rawFrame());
    expect(lines).toHaveLength(23);
    expect(ui.frame()).toContain('Beeper setup');
    for (const theme of [LIGHT_ON_DARK, DARK_ON_LIGHT]) expect(decodeDrawing(lines, theme, { marginGrey: theme.defaultBg }), theme.name).toEqual([...LONG]);
  });
});
