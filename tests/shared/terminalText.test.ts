/** Server text made safe for a terminal, and secrets redacted in any grouping. */
import { describe, expect, it } from 'vitest';
import { redact, rememberSecret, scrub } from '../../src/shared/redact.js';
import { cleanLine, cleanText, hasControls, safeJson } from '../../src/shared/terminalText.js';

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
