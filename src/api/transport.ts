/**
 * Where a token may travel. Beeper's API is plain HTTP on the machine it runs
 * on; anything that leaves the machine must be HTTPS, or the user must say
 * explicitly that clear text is acceptable (--allow-insecure-http).
 * Kept free of the HTTP stack: main() checks addresses before loading it.
 */
import { DEFAULT_BASE_URL } from './types.js';

/** --base-url, else BEEPER_BASE_URL, else Beeper's default; without trailing slashes. */
export function resolveBaseUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag || env.BEEPER_BASE_URL || DEFAULT_BASE_URL;
  return raw.replace(/\/+$/, '');
}

/** A user name or password in the address ("http://alice:pw@host"): never sent, never printed. */
export function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return true;
  } catch {
    // Not a URL at all: the pattern below still finds "scheme://…@".
  }
  return USER_INFO.test(url);
}

/** The address with any "user:password@" cut out: the only form of it that may be shown. */
export function withoutUserInfo(url: string): string {
  return url.replace(USER_INFO, '$1');
}

/** "scheme://" and whatever precedes an "@" before the host ends (the first "/", "?" or "#"). */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\.\d+\.\d+\.\d+$/.test(host)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True when requests to `url` would cross a network in clear text. */
export function isClearTextBeyondLoopback(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}
