import { describe, expect, it } from 'vitest';
import { checkRecoveryKey, encodeRecoveryKey, formatRecoveryKey, sameRecoveryKey } from '../../src/shared/recoveryKey.js';
import { parseSasDecimals, parseSasEmojis, SAS_EMOJI_TABLE } from '../../src/shared/sas.js';
import { Secret } from '../../src/shared/secret.js';
import { inspect } from 'node:util';

const VECTOR_A = 'EsSz ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1';
const VECTOR_B = 'EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d';

describe('recovery key codec (Matrix spec test vectors)', () => {
  it('encodes bytes 0x00..0x1F and the base64 vector', () => {
    expect(encodeRecoveryKey(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(VECTOR_A);
    expect(encodeRecoveryKey(Buffer.from('dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=', 'base64'))).toBe(VECTOR_B);
  });

  it('decodes with or without spaces and line breaks', () => {
    for (const text of [VECTOR_A, VECTOR_A.replace(/ /g, ''), VECTOR_A.replace(/ /g, '\n'), `  ${VECTOR_A.slice(0, 20)}\r\n${VECTOR_A.slice(20)}  `]) {
      const check = checkRecoveryKey(text);
      expect(check.ok).toBe(true);
      if (check.ok) expect(Array.from(check.key)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    }
  });

  it('tells the problems apart', () => {
    expect(checkRecoveryKey('')).toEqual({ ok: false, reason: 'empty' });
    expect(checkRecoveryKey('EsSz 0kH7')).toEqual({ ok: false, reason: 'characters' });
    expect(checkRecoveryKey('abcd efgh')).toEqual({ ok: false, reason: 'prefix' });
    expect(checkRecoveryKey(VECTOR_A.slice(0, -5))).toEqual({ ok: false, reason: 'length' });
    expect(checkRecoveryKey(VECTOR_A.replace('EsSz', 'EsSZ'))).toEqual({ ok: false, reason: 'parity' });
  });

  it('formats in groups of four and compares ignoring whitespace', () => {
    expect(formatRecoveryKey(VECTOR_A.replace(/ /g, ''))).toBe(VECTOR_A);
    expect(sameRecoveryKey(VECTOR_A, VECTOR_A.replace(/ /g, '\n'))).toBe(true);
    expect(sameRecoveryKey(VECTOR_A, VECTOR_B)).toBe(false);
  });
});

describe('SAS', () => {
  it('has the 64-entry table with names', () => {
    expect(SAS_EMOJI_TABLE).toHaveLength(64);
    expect(SAS_EMOJI_TABLE[0]).toEqual({ number: 0, emoji: '🐶', name: 'Dog' });
  });

  it('matches glyphs with or without U+FE0F, with or without separators', () => {
    const names = (text: string) => parseSasEmojis(text).map((e) => e.name);
    expect(names('🐶 ☁️ ☁ 🐱🦁')).toEqual(['Dog', 'Cloud', 'Cloud', 'Cat', 'Lion']);
    expect(names('✏️,✂')).toEqual(['Pencil', 'Scissors']);
  });

  it('keeps an unknown glyph rather than dropping it', () => {
    expect(parseSasEmojis('🐶 🦖')).toEqual([SAS_EMOJI_TABLE[0], { number: -1, emoji: '🦖', name: '🦖' }]);
  });

  it('splits decimals on any separator', () => {
    expect(parseSasDecimals('1234 5678-9012')).toEqual(['1234', '5678', '9012']);
    expect(parseSasDecimals(undefined)).toEqual([]);
  });
});

describe('Secret', () => {
  it('never prints its value', () => {
    const s = new Secret('hunter2-token');
    const shown = [String(s), `${s}`, JSON.stringify({ s }), inspect({ s })].join(' ');
    expect(shown).not.toContain('hunter2');
    expect(s.reveal()).toBe('hunter2-token');
  });
});
