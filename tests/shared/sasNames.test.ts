import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAS_EMOJI_TABLE } from '../../src/shared/sas.js';
import { resolveLanguage, SAS_LANGUAGES, SAS_NAMES_NOTICE, sasName, sasNames } from '../../src/shared/sasNames.js';
import englishTable from '../../src/shared/sas-emoji.json' with { type: 'json' };
import data from '../../src/shared/sas-names.json' with { type: 'json' };

const root = fileURLToPath(new URL('../..', import.meta.url));
// Reference copy of the spec table on the development machine; CI clones only the repo.
/** The Matrix specification's table with its translations, kept in the repo beside the script that reads it. */
const SPEC_TABLE = join(root, 'scripts/data/sas-emoji-i18n.json');

const fromEnv = (env: NodeJS.ProcessEnv) => resolveLanguage({ env });
const fromFlag = (flag: string, env: NodeJS.ProcessEnv = {}) => resolveLanguage({ flag, env });

describe('resolveLanguage', () => {
  it('maps POSIX locales to table codes', () => {
    expect(fromEnv({ LANG: 'de_DE.UTF-8' })).toEqual({ code: 'de', source: 'env' });
    expect(fromEnv({ LANG: 'pt_BR.UTF-8' }).code).toBe('pt_BR');
    expect(fromEnv({ LANG: 'pt_PT.UTF-8' }).code).toBe('pt');
    expect(fromEnv({ LANG: 'zh_CN.UTF-8' }).code).toBe('zh_Hans');
    expect(fromEnv({ LANG: 'zh_SG' }).code).toBe('zh_Hans');
    expect(fromEnv({ LANG: 'zh_TW.UTF-8' }).code).toBe('zh_Hant');
    expect(fromEnv({ LANG: 'zh_HK.Big5-HKSCS' }).code).toBe('zh_Hant');
    for (const locale of ['nb_NO.UTF-8', 'no', 'nb', 'no_NO']) expect(fromEnv({ LANG: locale }).code).toBe('nb_NO');
    expect(fromEnv({ LANG: 'fr_CA.ISO-8859-1' }).code).toBe('fr');
    expect(fromEnv({ LANG: 'sr_RS@latin' }).code).toBe('sr');
    expect(fromEnv({ LANG: 'en_GB.UTF-8' })).toEqual({ code: 'en', source: 'env' });
  });

  it('treats C, POSIX and an empty environment as English without complaint', () => {
    expect(fromEnv({ LANG: 'C.UTF-8' })).toEqual({ code: 'en', source: 'env' });
    expect(fromEnv({ LC_ALL: 'POSIX', LANG: 'de_DE.UTF-8' })).toEqual({ code: 'en', source: 'env' });
    expect(fromEnv({})).toEqual({ code: 'en', source: 'default' });
    expect(fromEnv({ LC_ALL: '', LC_MESSAGES: '', LANG: '' })).toEqual({ code: 'en', source: 'default' });
  });

  it('follows POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG', () => {
    expect(fromEnv({ LC_ALL: 'ja_JP.UTF-8', LC_MESSAGES: 'fr_FR', LANG: 'de_DE.UTF-8' }).code).toBe('ja');
    expect(fromEnv({ LC_ALL: 'C.UTF-8', LANG: 'de_DE.UTF-8' }).code).toBe('en');
    expect(fromEnv({ LC_MESSAGES: 'fr_FR.UTF-8', LANG: 'de_DE.UTF-8' }).code).toBe('fr');
    expect(fromEnv({ LC_ALL: '', LC_MESSAGES: 'fr_FR.UTF-8', LANG: 'de_DE.UTF-8' }).code).toBe('fr');
    // LC_CTYPE and friends do not choose the message language.
    expect(fromEnv({ LC_CTYPE: 'ru_RU.UTF-8', LANG: 'de_DE.UTF-8' }).code).toBe('de');
  });

  it('lets --lang override the environment, in any common spelling', () => {
    const env = { LC_ALL: 'fr_FR.UTF-8' };
    for (const flag of ['de', 'de-DE', 'de_DE', 'DE', 'De-de', 'de_DE.UTF-8']) {
      expect(fromFlag(flag, env)).toEqual({ code: 'de', source: 'flag' });
    }
    expect(fromFlag('pt-BR').code).toBe('pt_BR');
    expect(fromFlag('pt-br').code).toBe('pt_BR');
    expect(fromFlag('pt-PT').code).toBe('pt');
    expect(fromFlag('zh-Hans').code).toBe('zh_Hans');
    expect(fromFlag('ZH_HANT').code).toBe('zh_Hant');
    expect(fromFlag('zh-Hant-CN').code).toBe('zh_Hant');
    expect(fromFlag('zh-Hans-TW').code).toBe('zh_Hans');
    expect(fromFlag('nb-NO').code).toBe('nb_NO');
    expect(fromFlag('en')).toEqual({ code: 'en', source: 'flag' });
    expect(fromFlag('  ', { LANG: 'de_DE' })).toEqual({ code: 'de', source: 'env' });
  });

  it('falls back to English and names what it could not honour', () => {
    expect(fromFlag('xx_YY', { LANG: 'de_DE.UTF-8' })).toEqual({ code: 'en', source: 'flag', unknown: 'xx_YY' });
    expect(fromFlag('ko-KR')).toEqual({ code: 'en', source: 'flag', unknown: 'ko-KR' });
    expect(fromEnv({ LANG: 'xx_YY.UTF-8' })).toEqual({ code: 'en', source: 'env', unknown: 'xx_YY' });
    // szl is in the spec table but without a single name, so it is not offered.
    expect(fromFlag('szl')).toEqual({ code: 'en', source: 'flag', unknown: 'szl' });
    // Display text never carries terminal control or bidi characters.
    expect(fromFlag('x\u001b[31my\u202e').unknown).toBe('x[31my');
  });
});

describe('sasName / sasNames', () => {
  it('gives the names in the chosen language', () => {
    expect(SAS_EMOJI_TABLE[0]?.emoji).toBe('🐶');
    expect(sasName(0, fromEnv({ LANG: 'de_DE.UTF-8' }).code)).toBe('Hund');
    expect(sasName(0, fromFlag('ja').code)).toBe('犬');
    expect(sasName(0, 'pt_BR')).toBe('Cachorro');
    expect(sasName(0, 'pt')).toBe('Cão');
    expect(sasName(0, 'en')).toBe('Dog');
    expect(sasNames(0, 'de')).toEqual({ name: 'Hund', english: 'Dog' });
    expect(sasNames(0, 'en')).toEqual({ name: 'Dog', english: 'Dog' });
    expect(sasNames(63, 'fr')).toEqual({ name: 'Punaise', english: 'Pin' });
  });

  it('falls back to English for unknown languages and for names a translation lacks', () => {
    expect(sasName(0, 'xx')).toBe('Dog');
    expect(sasName(0, '')).toBe('Dog');
    // The spec's Albanian table has no name for Thumbs Up (36); Sinhala has only the first four.
    expect(sasNames(36, 'sq')).toEqual({ name: 'Thumbs Up', english: 'Thumbs Up' });
    expect(sasName(4, 'si')).toBe('Unicorn');
    expect(sasName(0, 'si')).not.toBe('Dog');
  });

  it('accepts the spellings resolveLanguage accepts', () => {
    expect(sasName(0, 'de-DE')).toBe('Hund');
    expect(sasName(0, 'zh_hant')).toBe('狗');
    expect(sasName(0, 'zh-TW')).toBe('狗');
  });

  it('rejects numbers outside the table', () => {
    for (const bad of [-1, 64, 1.5, Number.NaN]) {
      expect(() => sasName(bad, 'de')).toThrow(RangeError);
      expect(() => sasNames(bad, 'en')).toThrow(RangeError);
    }
  });
});

describe('sas-names.json', () => {
  it('offers English and every language the spec has names for', () => {
    expect(SAS_LANGUAGES[0]).toBe('en');
    expect(SAS_LANGUAGES).toHaveLength(32);
    expect(SAS_LANGUAGES).toEqual(expect.arrayContaining(['de', 'ja', 'pt', 'pt_BR', 'zh_Hans', 'zh_Hant', 'nb_NO']));
    expect(new Set(SAS_LANGUAGES.map((code) => code.toLowerCase())).size).toBe(SAS_LANGUAGES.length);
  });

  it('has 64 names, none empty after fallback, for every language', () => {
    for (const code of SAS_LANGUAGES) {
      const names = Array.from({ length: 64 }, (_, number) => sasName(number, code));
      expect(names.every((name) => name.trim() !== '' && !name.includes('|')), code).toBe(true);
      if (code !== 'en') expect((data.names as Record<string, string>)[code]?.split('|'), code).toHaveLength(64);
    }
  });

  it('reads English in table order from sas-emoji.json', () => {
    englishTable.forEach((entry, index) => {
      expect(entry.number).toBe(index);
      expect(sasName(index, 'en')).toBe(entry.description);
    });
  });

  it('keeps the attribution', () => {
    expect(data._source).toContain('data-definitions/sas-emoji.json');
    expect(data._license).toContain('Apache');
    expect(SAS_NAMES_NOTICE).toContain('Apache');
  });

  it('is exactly what scripts/sas-names.mjs generates from the spec table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sas-names-'));
    try {
      const out = join(dir, 'sas-names.json');
      execFileSync(process.execPath, [join(root, 'scripts/sas-names.mjs'), SPEC_TABLE, out], { stdio: 'pipe' });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'src/shared/sas-names.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
