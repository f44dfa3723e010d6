/** Input checks shared by the machine (to refuse) and the UI (to explain as you type). */

/** Deliberately loose: one @, something on both sides, a dot in the domain, no spaces. */
export function isPlausibleEmail(text: string): boolean {
  const email = text.trim();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && !/[\u0000-\u001f\u007f]/.test(email);
}

export function emailProblem(text: string): string | undefined {
  const email = text.trim();
  if (email === '') return 'Enter the email address of your Beeper account (or the one to create it with).';
  if (!email.includes('@')) return 'An email address needs an @, like you@example.com.';
  if (!isPlausibleEmail(email)) return `"${email}" does not look like an email address.`;
  return undefined;
}

/**
 * Codes are pasted with spaces or dashes ("123 456", "123-456"): drop those and
 * send the rest as typed. The contract does not fix a code's format (Beeper mails
 * six digits today), so only what cannot be a code is refused here.
 */
export function cleanCode(text: string): string {
  return text.replace(/[\s-]+/g, '');
}

export const CODE_LENGTH = 6;

export function codeProblem(text: string): string | undefined {
  const code = cleanCode(text);
  if (code.length === 0) return 'Enter the code from the email.';
  if (!/^[A-Za-z0-9]+$/.test(code)) return 'A sign-in code has only letters and digits.';
  if (code.length < 4 || code.length > 16) return `That does not look like the code from the email (usually ${CODE_LENGTH} digits; this has ${code.length} characters).`;
  return undefined;
}

const USERNAME = /^[a-z0-9._-]{3,32}$/;

export function usernameProblem(text: string): string | undefined {
  const name = text.trim();
  if (name.length < 3) return 'A username has at least 3 characters.';
  if (name.length > 32) return 'A username has at most 32 characters.';
  if (!USERNAME.test(name)) return 'Use only lowercase letters, digits, dots, dashes and underscores.';
  return undefined;
}

/**
 * What may be typed into a username, as it is typed: capitals become small letters (Beeper's
 * usernames are lowercase), anything else Beeper refuses is left out, and `note` says what
 * happened to it, so nothing vanishes without a word.
 */
export function cleanUsernameInput(text: string): { kept: string; note?: string } {
  const lowered = text.toLowerCase();
  const refused = [...new Set([...lowered].filter((char) => !/[a-z0-9._-]/.test(char)))];
  const kept = [...lowered].filter((char) => /[a-z0-9._-]/.test(char)).join('');
  const lowercased = lowered !== text ? 'Usernames are lowercase: capitals were typed as small letters.' : undefined;
  if (refused.length > 0) {
    const named = refused.map((char) => (/\s/.test(char) ? 'spaces' : `"${char}"`)).join(', ');
    const left = `Left out ${named}: a username has only lowercase letters, digits, dots, dashes and underscores.`;
    return { kept, note: lowercased ? `${left} ${lowercased}` : left };
  }
  return lowercased ? { kept, note: lowercased } : { kept };
}

/** Why a pasted QR payload cannot be sent (the server judges the rest); undefined when it can. */
export function qrPayloadProblem(text: string): string | undefined {
  return text.trim() === '' ? 'That is empty: paste the payload your scanner read from the code.' : undefined;
}
