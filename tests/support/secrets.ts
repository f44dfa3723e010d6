/**
 * The secret scan every end-to-end and headless test runs over what the CLI
 * printed: no access token, sign-in code or recovery key may appear, in any
 * grouping or case ("EsTc LW2K …", "6 6 7 1 3 3"), except where a screen
 * shows one on purpose (the caller says which).
 */

const SEPARATORS = '[\\s\\-_.,:;·/|]*';

/** The secrets found in `text`, each matched by its characters in order with any separators between. */
export function findSecrets(text: string, secrets: Iterable<string | undefined>): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    const chars = [...secret.replace(/[\s\-_.,:;·/|]+/g, '')];
    if (chars.length < 4) continue;
    const pattern = new RegExp(chars.map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(SEPARATORS), 'iu');
    if (pattern.test(text)) found.push(secret);
  }
  return found;
}

/** What a simulator run handed out that must not be printed: tokens, mailed codes, accounts' keys. */
export interface SecretSource {
  control: {
    outbox(): { code: string }[];
    accounts(): { recoveryKey?: string | undefined }[];
  };
}

export function secretsOf(sim: SecretSource, tokens: Iterable<string> = []): string[] {
  return [...tokens, ...sim.control.outbox().map((mail) => mail.code), ...sim.control.accounts().map((account) => account.recoveryKey ?? '')].filter(Boolean);
}
