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

/** Codes are pasted with spaces or dashes ("123 456", "123-456"): keep the digits. */
export function cleanCode(text: string): string {
  return text.replace(/\D+/g, '');
}

export const CODE_LENGTH = 6;

export function codeProblem(text: string): string | undefined {
  const digits = cleanCode(text);
  if (digits.length === 0) return 'Enter the 6-digit code from the email.';
  if (digits.length !== CODE_LENGTH) return `The code has ${CODE_LENGTH} digits; this has ${digits.length}.`;
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
