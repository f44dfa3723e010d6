/** What the terminal's locale says it can show, for the wizard's theme and for plain mode alike. */

/** The locale that decides the character set: LC_ALL, then LC_CTYPE, then LANG (POSIX order). */
function localeCharset(env: NodeJS.ProcessEnv): string {
  return env.LC_ALL || env.LC_CTYPE || env.LANG || '';
}

/** UTF-8, and not the Linux console (whose font lacks the QR code's half blocks and the emojis). */
export function showsUnicode(env: NodeJS.ProcessEnv): boolean {
  return /utf-?8/i.test(localeCharset(env)) && env.TERM !== 'linux';
}
