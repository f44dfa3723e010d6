/**
 * Redaction that does not depend on spelling a secret the way we sent it. A
 * server may echo a recovery key back grouped differently ("EsTL 8bVi …"), or a
 * code as "6 6 7 1 3 3"; matching the exact string would miss both. Every secret
 * is matched by its characters in order with any separators between them,
 * case-insensitively, wherever text is printed, logged or emitted.
 */

const SEPARATORS = '[\\s\\-_.,:;·/|]*';
/** Shorter values (a single digit, "yes") would redact ordinary words. */
const MIN_LENGTH = 4;
const patterns = new Map<string, RegExp>();
/** Every secret this process has held: codes, keys, tokens. Output sinks scrub them all. */
const known = new Set<string>();

function patternFor(secret: string): RegExp | undefined {
  const chars = [...secret.replace(/[\s\-_.,:;·/|]+/g, '')];
  if (chars.length < MIN_LENGTH) return undefined;
  let pattern = patterns.get(secret);
  if (!pattern) {
    const body = chars.map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(SEPARATORS);
    pattern = new RegExp(body, 'giu');
    patterns.set(secret, pattern);
  }
  return pattern;
}

/** Replaces each secret, in any grouping or case, with "[redacted]". */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    const pattern = patternFor(secret);
    if (pattern) out = out.replace(pattern, '[redacted]');
  }
  return out;
}

/** Remembers a secret so that `scrub` finds it in anything printed later. */
export function rememberSecret(value: string): void {
  if (value.replace(/\s+/g, '').length >= MIN_LENGTH) known.add(value);
}

/**
 * Forgets every remembered secret. A run is one process and never needs it; the test suite runs
 * many files in one process, and one file's fake secrets must not redact another file's output.
 */
export function forgetSecrets(): void {
  known.clear();
}

/** `redact` with every secret this process has seen. */
export function scrub(text: string): string {
  return known.size === 0 ? text : redact(text, known);
}
