import { inspect } from 'node:util';
import { rememberSecret } from './redact.js';

/**
 * Wraps a value that must never be printed: access tokens, codes, recovery
 * keys. JSON, string conversion and util.inspect all show "[redacted]", so a
 * logged snapshot, event or error cannot leak it; `reveal()` is the one way in.
 * Each value is also remembered for `scrub` (redact.ts), so a server echoing it
 * back in another grouping is caught where text is printed.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    rememberSecret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
