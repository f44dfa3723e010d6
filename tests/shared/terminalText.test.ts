/** Server text made safe for a terminal, and secrets redacted in any grouping. */
import { describe, expect, it } from 'vitest';
import { redact, rememberSecret, scrub } from '../../src/shared/redact.js';
import { SAS_EMOJI_TABLE } from '../../src/shared/sas.js';
import { MAX_MARKS_PER_BASE, cleanLine, cleanText, hasControls, safeJson } from '../../src/shared/terminalText.js';

const PAYLOAD = 'x\u001b]52;c;aGFja2Vk\u0007\u001b]0;PWNED\u0007\u001b[2J\u009b31m';

describe('cleanLine', () => {
  it('drops OSC 52, title changes, CSI and C1 sequences whole', () => {
    expect(cleanLine(`Pixel ${PAYLOAD} 8`)).toBe('Pixel x 8');
    expect(cleanLine('a\u001bPdevice-control\u001b\\b')).toBe('ab');
    expect(cleanLine('a\u009d8;;http://evil\u009cb')).toBe('ab');
    expect(cleanLine('\u001bc reset')).toBe('reset');
  });

  it('flattens line breaks and tabs, removes bidi overrides and lone surrogates', () => {
    expect(cleanLine('one\ntwo\r\nthree\tfour')).toBe('one two three four');
    expect(cleanLine('abc\u202edcba')).toBe('abcdcba');
    expect(cleanLine('a\ud800b')).toBe('a\ufffdb');
  });

  it('bounds the length with an ellipsis, counting characters not code units', () => {
    expect(cleanLine('🐶'.repeat(300), 10)).toBe(`${'🐶'.repeat(9)}…`);
  });

  it('keeps ordinary text, emoji with variation selectors included', () => {
    expect(cleanLine('Beeper Server 4.2.1 ✈️ Flugzeug')).toBe('Beeper Server 4.2.1 ✈️ Flugzeug');
    expect(hasControls(cleanLine(PAYLOAD))).toBe(false);
  });
});

describe('invisible and stacked characters', () => {
  /** Zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen, two tag characters, a Hangul filler. */
  const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u{e0041}', '\u{e007f}', '\u3164'];

  it('drops format and other invisible characters, in lines and in paragraphs', () => {
    const name = `P${INVISIBLES.join('')}ixel 8`;
    expect(cleanLine(name)).toBe('Pixel 8');
    expect(cleanText(`Terms\n${name}`)).toBe('Terms\nPixel 8');
    for (const char of INVISIBLES) expect(cleanLine(`a${char}b`), `U+${char.codePointAt(0)!.toString(16)}`).toBe('ab');
    expect(hasControls('a\u200bb')).toBe(true);
    expect(hasControls(cleanLine('a\u200bb'))).toBe(false);
  });

  it(`keeps at most ${MAX_MARKS_PER_BASE} combining marks on a base character`, () => {
    expect(cleanLine(`e${'\u0301'.repeat(60)}x`)).toBe(`e${'\u0301'.repeat(MAX_MARKS_PER_BASE)}x`);
    // Vietnamese, decomposed: two marks on one letter survive.
    expect(cleanLine('Vie\u0323\u0302t')).toBe('Vie\u0323\u0302t');
  });

  it('every SAS emoji survives as it is, U+FE0F included', () => {
    for (const entry of SAS_EMOJI_TABLE) expect(cleanLine(`${entry.emoji} ${entry.name}`), entry.name).toBe(`${entry.emoji} ${entry.name}`);
    expect(cleanLine('1\ufe0f\u20e3 keycap')).toBe('1\ufe0f\u20e3 keycap');
  });

  it('cuts long text between graphemes, never inside an emoji with its modifier', () => {
    const cut = cleanLine('👍🏽'.repeat(20), 10);
    expect(cut).toBe(`${'👍🏽'.repeat(4)}…`);
    expect([...cut].length).toBeLessThanOrEqual(10);
  });

  it('--json escapes any invisible character that reaches it, so the stream shows it', () => {
    const line = safeJson({ name: 'a\u200bb\u{e0041}' });
    expect(line).toBe('{"name":"a\\u200bb\\udb40\\udc41"}');
    expect(JSON.parse(line)).toEqual({ name: 'a\u200bb\u{e0041}' });
  });
});

describe('cleanText', () => {
  it('keeps line breaks but nothing a terminal would act on', () => {
    expect(cleanText(`Terms\r\nof ${PAYLOAD} use`)).toBe('Terms\nof x use');
  });
});

describe('safeJson', () => {
  it('escapes C1 controls and line separators that JSON.stringify leaves raw', () => {
    const line = safeJson({ name: 'a\u009b31mb\u2028c' });
    expect(line).toBe('{"name":"a\\u009b31mb\\u2028c"}');
    expect(JSON.parse(line)).toEqual({ name: 'a\u009b31mb\u2028c' });
  });
});

describe('redact', () => {
  const key = 'EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d';

  it('finds a secret however it is grouped, spaced or cased', () => {
    expect(redact(`k=${key.match(/.{4}/g)!.join(' ')}.`, [key])).toBe('k=[redacted].');
    expect(redact(`k=${key.toLowerCase()}`, [key])).toBe('k=[redacted]');
    expect(redact('code 6 6 7-1 3 3 ok', ['667133'])).toBe('code [redacted] ok');
    expect(redact('nothing here', [key, undefined, 'ab'])).toBe('nothing here');
  });

  it('scrub knows every secret the process has remembered', () => {
    rememberSecret('syt_remembered_token');
    expect(scrub('token syt remembered token')).toBe('token [redacted]');
  });
});
