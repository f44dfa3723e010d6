/**
 * SAS emoji names in the user's language, from the Matrix specification's
 * translated table (see SAS-NAMES-NOTICE.md; Apache-2.0). The language comes
 * from `--lang` or the POSIX locale variables; anything without a table falls
 * back to English, and so does any single name a translation leaves empty.
 */
import table from './sas-emoji.json' with { type: 'json' };
import data from './sas-names.json' with { type: 'json' };

/** Where the chosen language came from: `--lang`, the locale variables, or neither. */
export type LanguageSource = 'flag' | 'env' | 'default';

export interface ResolvedLanguage {
  /** A code from SAS_LANGUAGES, e.g. "de", "pt_BR", "zh_Hant"; "en" when nothing better matched. */
  code: string;
  source: LanguageSource;
  /**
   * The requested language when there is no table for it (e.g. "ko_KR"),
   * cleaned for display; `code` is then "en". Absent for C/POSIX and English.
   */
  unknown?: string;
}

const ENTRIES = 64;
const SEPARATOR = '|';

/** Source and license of the translated names, for an about/licenses screen. */
export const SAS_NAMES_NOTICE = `SAS emoji names: ${data._source}. ${data._license}.`;

const ENGLISH: readonly string[] = (() => {
  const names: string[] = [];
  for (const entry of table) names[entry.number] = entry.description;
  return names;
})();

const ROWS: Readonly<Record<string, string>> = data.names;
const split = new Map<string, readonly string[]>();

/** Language codes with names: "en" first, then the table's codes (e.g. "de", "pt_BR", "zh_Hans"). */
export const SAS_LANGUAGES: readonly string[] = Object.freeze(['en', ...Object.keys(ROWS)]);

const BY_LOWER = new Map(SAS_LANGUAGES.map((code) => [code.toLowerCase(), code]));
const TRADITIONAL_CHINESE_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * Maps a locale or language tag to a code in SAS_LANGUAGES, or undefined when
 * there is none. Accepts POSIX (`de_DE.UTF-8`, `sr_RS@latin`) and BCP 47
 * (`de-DE`, `zh-Hant-TW`) forms, case-insensitively.
 */
function matchLanguage(tag: string): string | undefined {
  const bare = stripCodeset(tag);
  if (/^(c|posix)$/i.test(bare)) return 'en';
  const exact = BY_LOWER.get(bare.replace(/-/g, '_').toLowerCase());
  if (exact) return exact;
  const [language = '', ...rest] = bare.toLowerCase().split(/[-_]/);
  if (!/^[a-z]{2,3}$/.test(language)) return undefined;
  const script = rest.find((part) => /^[a-z]{4}$/.test(part));
  const region = rest.find((part) => /^(?:[a-z]{2}|\d{3})$/.test(part));
  switch (language) {
    case 'zh':
      if (script === 'hant') return 'zh_Hant';
      if (script === 'hans') return 'zh_Hans';
      return region && TRADITIONAL_CHINESE_REGIONS.has(region) ? 'zh_Hant' : 'zh_Hans';
    case 'pt':
      return region === 'br' ? 'pt_BR' : 'pt';
    case 'nb':
    case 'no':
      return 'nb_NO';
    default:
      return BY_LOWER.get(language);
  }
}

/** "de_DE.UTF-8@euro" → "de_DE": drops the POSIX codeset and modifier. */
function stripCodeset(tag: string): string {
  return tag.trim().replace(/[.@].*$/s, '');
}

/** The requested tag as safe, short display text: no control or bidi characters. */
function displayTag(tag: string): string {
  const cleaned = Array.from((stripCodeset(tag) || tag.trim()).replace(/[\p{Cc}\p{Cf}]/gu, ''))
    .slice(0, 32)
    .join('');
  return cleaned || '?';
}

function resolved(tag: string, source: 'flag' | 'env'): ResolvedLanguage {
  const code = matchLanguage(tag);
  return code ? { code, source } : { code: 'en', source, unknown: displayTag(tag) };
}

/**
 * Picks the language for emoji names: `flag` (the `--lang` value) when given,
 * else the first non-empty of LC_ALL, LC_MESSAGES, LANG (POSIX precedence),
 * else English. A value without a table (e.g. "xx_YY") gives English with
 * `unknown` set, for both sources; C and POSIX mean English and are not unknown.
 */
export function resolveLanguage(options: { flag?: string | undefined; env: NodeJS.ProcessEnv }): ResolvedLanguage {
  const flag = options.flag?.trim();
  if (flag) return resolved(flag, 'flag');
  const { LC_ALL, LC_MESSAGES, LANG } = options.env;
  const locale = [LC_ALL, LC_MESSAGES, LANG].find((value) => value !== undefined && value.trim() !== '');
  if (locale !== undefined) return resolved(locale, 'env');
  return { code: 'en', source: 'default' };
}

function names(language: string): readonly string[] | undefined {
  const code = BY_LOWER.get(language.toLowerCase()) ?? matchLanguage(language);
  if (!code || code === 'en') return undefined;
  let row = split.get(code);
  if (!row) {
    row = (ROWS[code] ?? '').split(SEPARATOR);
    split.set(code, row);
  }
  return row;
}

function english(number: number): string {
  const name = Number.isInteger(number) ? ENGLISH[number] : undefined;
  if (name === undefined) throw new RangeError(`SAS emoji number must be 0–${ENTRIES - 1}, got ${number}`);
  return name;
}

/**
 * Name of table entry `number` (0–63) in `language` (a code from
 * SAS_LANGUAGES; other tags are matched as resolveLanguage does). English when
 * the language has no table or leaves this name empty. Throws RangeError for
 * any other number, including the -1 sas.ts gives glyphs not in the table.
 */
export function sasName(number: number, language: string): string {
  const fallback = english(number);
  return names(language)?.[number] || fallback;
}

/**
 * The name in `language` and the English one; `name === english` for English
 * and wherever the translation is missing or the same, so the caller can show
 * the English name only when it differs.
 */
export function sasNames(number: number, language: string): { name: string; english: string } {
  return { name: sasName(number, language), english: english(number) };
}
