import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import qrcode from 'qrcode-terminal';
import { describe, expect, it } from 'vitest';
import { QR_MAX_BYTES, SGR_RESET, drawQr, qrModules, qrPayloadBytes, qrSize, renderQr } from '../../src/shared/qr.js';
import { DARK_ON_LIGHT, LIGHT_ON_DARK, type TerminalTheme, decodeDrawing, halfCellGrid, parseCells, tokenize } from './qr/rasterise.js';

/** Fixed "random" bytes: the same on every run. */
const fixedBytes = (seed: string, length: number) => createHash('sha256').update(seed).digest().subarray(0, length);

/** A Matrix verification QR payload (MATRIX, version 2, mode 2, txn id, two keys, secret). */
function matrixPayload(txnId = 'txn-id'): Uint8Array {
  const txn = Buffer.from(txnId, 'ascii');
  const txnLength = Buffer.alloc(2);
  txnLength.writeUInt16BE(txn.length);
  const keys = Buffer.concat([fixedBytes('first key', 32), fixedBytes('second key', 32)]);
  const secret = fixedBytes('shared secret', 16);
  return new Uint8Array(Buffer.concat([Buffer.from('MATRIX', 'ascii'), Buffer.from([0x02, 0x02]), txnLength, txn, keys, secret]));
}

const PAYLOAD = matrixPayload();
const BASE64 = Buffer.from(PAYLOAD).toString('base64');
const BASE64_URL = Buffer.from(PAYLOAD).toString('base64url');
const RAW = Buffer.from(PAYLOAD).toString('latin1');
const THEMES = [LIGHT_ON_DARK, DARK_ON_LIGHT];

/** What qrcode-terminal drew before this module: half blocks in the terminal's default colours. */
function oldDrawing(data: string): string[] {
  let art = '';
  qrcode.generate(data, { small: true }, (text) => {
    art = text;
  });
  return art.split('\n').filter((line) => line.length > 0);
}

/** Positions ("x,y" in modules) around the code that are not light, or a note when the drawing has the wrong size. */
function quietZoneFaults(lines: string[], moduleCount: number, quietZone: number, theme: TerminalTheme): string[] {
  const grid = halfCellGrid(lines, theme);
  const size = moduleCount + 2 * quietZone;
  // An odd height gets one extra light row at the bottom.
  if (grid.length !== size + (size % 2) || grid.some((row) => row.length !== size)) return [`drawing is not ${size} modules square`];
  const inCode = (n: number) => n >= quietZone && n < quietZone + moduleCount;
  return grid.flatMap((row, y) => row.flatMap((grey, x) => (inCode(x) && inCode(y)) || grey === 255 ? [] : [`${x},${y}`]));
}

describe('the test payload', () => {
  it('exercises the cases that break naive encodings', () => {
    expect(PAYLOAD.length).toBe(6 + 2 + 2 + 6 + 64 + 16);
    expect(PAYLOAD.some((byte) => byte >= 0x80)).toBe(true);
    expect(PAYLOAD.some((byte) => byte === 0)).toBe(true);
    expect(BASE64).toMatch(/[+/]/);
  });
});

describe('qrPayloadBytes', () => {
  it('decodes standard base64 of a binary Matrix payload', () => {
    expect(qrPayloadBytes(BASE64)).toEqual(PAYLOAD);
  });

  it('decodes URL-safe base64 and ignores whitespace', () => {
    expect(BASE64_URL).not.toBe(BASE64);
    expect(qrPayloadBytes(BASE64_URL)).toEqual(PAYLOAD);
    expect(qrPayloadBytes(` ${BASE64.slice(0, 40)}\n${BASE64.slice(40)}\n`)).toEqual(PAYLOAD);
  });

  it.each(['txn-id1', 'txn-id-1'])('decodes padded and unpadded base64 alike (%s)', (txnId) => {
    const payload = matrixPayload(txnId);
    const padded = Buffer.from(payload).toString('base64');
    expect(padded).toMatch(/=$/);
    for (const form of [padded, padded.replace(/=+$/, ''), Buffer.from(payload).toString('base64url')]) {
      expect(qrPayloadBytes(form)).toEqual(payload);
    }
  });

  it('takes a raw binary string one byte per character', () => {
    expect(qrPayloadBytes(RAW)).toEqual(PAYLOAD);
  });

  it('encodes anything else as UTF-8 text', () => {
    const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
    expect(qrPayloadBytes('https://example.org/verify?id=42')).toEqual(utf8('https://example.org/verify?id=42'));
    expect(qrPayloadBytes('grüße')).toEqual(utf8('grüße'));
    // Valid base64, but not of a Matrix payload: the text itself.
    expect(qrPayloadBytes('aGVsbG8=')).toEqual(utf8('aGVsbG8='));
    // Starts with MATRIX but is not binary: UTF-8, not truncated code units.
    expect(qrPayloadBytes('MATRIX ✓')).toEqual(utf8('MATRIX ✓'));
    expect(qrPayloadBytes('')).toEqual(new Uint8Array());
  });

  it('treats malformed base64 as text rather than decoding part of it', () => {
    const padded = Buffer.from(matrixPayload('txn-id-1')).toString('base64');
    for (const text of [`${padded}=`, `${BASE64}=`, `${BASE64.slice(0, 8)}!${BASE64.slice(8)}`, `${BASE64}A`]) {
      expect(qrPayloadBytes(text)).toEqual(new Uint8Array(Buffer.from(text, 'utf8')));
    }
  });
});

describe('qrModules', () => {
  it('builds a square code of a QR size', () => {
    const modules = qrModules(PAYLOAD);
    expect(modules.length % 4).toBe(1);
    expect(modules.length).toBeGreaterThanOrEqual(21);
    expect(modules.every((row) => row.length === modules.length)).toBe(true);
  });

  it('refuses more bytes than any QR code holds', () => {
    expect(() => qrModules(new Uint8Array(QR_MAX_BYTES + 1))).toThrow(RangeError);
  });
});

describe('renderQr with colour', () => {
  it.each(THEMES.flatMap((theme) => [
    { theme, form: 'base64', data: BASE64 },
    { theme, form: 'raw binary', data: RAW },
  ]))('decodes to the payload bytes on a $theme.name terminal ($form data)', ({ theme, data }) => {
    const lines = drawQr(data, { color: true });
    expect(decodeDrawing(lines, theme)).toEqual([...PAYLOAD]);
  });

  it('decodes plain text data as its UTF-8 bytes', () => {
    const lines = drawQr('grüße', { color: true });
    expect(decodeDrawing(lines, DARK_ON_LIGHT)).toEqual([...Buffer.from('grüße', 'utf8')]);
  });

  it('decodes even when the dark terminal background surrounds the code', () => {
    const lines = drawQr(BASE64, { color: true });
    expect(decodeDrawing(lines, LIGHT_ON_DARK, { marginGrey: LIGHT_ON_DARK.defaultBg })).toEqual([...PAYLOAD]);
  });

  it('sets foreground and background on every cell and resets at the end of every line', () => {
    const lines = drawQr(BASE64, { color: true });
    for (const line of lines) {
      expect(line.endsWith(SGR_RESET)).toBe(true);
      for (const cell of parseCells(line.slice(0, -SGR_RESET.length))) {
        expect(cell.fg).toBeDefined();
        expect(cell.bg).toBeDefined();
      }
    }
  });

  it('looks the same on every terminal theme and matches the modules', () => {
    const modules = qrModules(PAYLOAD);
    const lines = renderQr(modules, { color: true });
    const grids = THEMES.map((theme) => halfCellGrid(lines, theme).map((row) => row.map((grey) => grey < 128)));
    expect(grids[0]).toEqual(grids[1]);
    const inner = grids[0]!.slice(2, 2 + modules.length).map((row) => row.slice(2, 2 + modules.length));
    expect(inner).toEqual(modules);
  });

  it.each([2, 3])('keeps a light quiet zone of %i modules on all four sides', (quietZone) => {
    const modules = qrModules(PAYLOAD);
    const lines = renderQr(modules, { color: true, quietZone });
    for (const theme of THEMES) expect(quietZoneFaults(lines, modules.length, quietZone, theme)).toEqual([]);
  });

  it('never re-sends a colour already in effect', () => {
    for (const line of drawQr(BASE64, { color: true })) {
      const inEffect = new Set<number>();
      for (const token of tokenize(line)) {
        if (!('sgr' in token)) continue;
        for (const code of token.sgr) {
          if (code === 0) {
            inEffect.clear();
            continue;
          }
          expect(inEffect.has(code), `${code} repeated in ${JSON.stringify(line)}`).toBe(false);
          for (const same of inEffect) if (Math.floor(same / 10) % 2 === Math.floor(code / 10) % 2) inEffect.delete(same);
          inEffect.add(code);
        }
      }
    }
  });

  it('takes the room qrSize says', () => {
    const modules = qrModules(PAYLOAD);
    const lines = renderQr(modules, { color: true });
    const size = qrSize(modules.length);
    expect(lines).toHaveLength(size.rows);
    for (const line of lines) expect(parseCells(line)).toHaveLength(size.columns);
    expect(size).toEqual({ columns: modules.length + 4, rows: Math.ceil((modules.length + 4) / 2) });
  });
});

describe('renderQr without colour (NO_COLOR)', () => {
  it('draws plain half blocks that decode on a light-on-dark terminal', () => {
    const lines = drawQr(BASE64, { color: false });
    expect(lines.join('')).not.toContain('\u001b');
    expect(decodeDrawing(lines, LIGHT_ON_DARK)).toEqual([...PAYLOAD]);
    expect(quietZoneFaults(lines, qrModules(PAYLOAD).length, 2, LIGHT_ON_DARK)).toEqual([]);
  });
});

describe('the old drawing (qrcode-terminal, default colours)', () => {
  it('put the base64 text in the code, not the payload bytes', () => {
    const decoded = decodeDrawing(oldDrawing(BASE64), LIGHT_ON_DARK);
    expect(decoded).toEqual([...Buffer.from(BASE64, 'ascii')]);
    expect(decoded).not.toEqual([...PAYLOAD]);
  });

  it('does not scan on a dark-on-light terminal, where it comes out inverted', () => {
    expect(decodeDrawing(oldDrawing(BASE64), DARK_ON_LIGHT)).toBeNull();
    expect(decodeDrawing(oldDrawing('grüße'), DARK_ON_LIGHT)).toBeNull();
  });
});
