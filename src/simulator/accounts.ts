/** The simulated Beeper accounts: seeds, new registrations, username rules. */
import { checkRecoveryKey, describeRecoveryKeyProblem } from '../shared/recoveryKey.js';
import { SimError } from './errors.js';
import { newRecoveryKey, type Rng } from './random.js';
import type { SeedAccount, SimAccount } from './types.js';

/**
 * Accounts every simulator starts with (unless `accounts` is given):
 * - alice@example.com — username `alice`, existing account with cross-signing and a recovery key,
 *   other signed-in device "Pixel 8"; verifying the device also brings the secrets (→ needs-first-sync).
 * - bob@example.com — username `bob`, same but `sharesSecrets: false`: after device verification the
 *   app still needs the recovery key (→ needs-secrets).
 * Both also have a new, unverified device "MacBook Air" that the app can verify once `ready`.
 * Recovery keys are generated per start; read them with `control.accounts()` or `GET /_sim/accounts`.
 */
export const DEFAULT_ACCOUNTS: readonly SeedAccount[] = [
  { email: 'alice@example.com', username: 'alice', otherDeviceName: 'Pixel 8' },
  { email: 'bob@example.com', username: 'bob', sharesSecrets: false },
];

/** Taken besides every account's username. */
export const RESERVED_USERNAMES: readonly string[] = ['admin', 'beeper', 'support'];

export const USERNAME_RULE =
  'A username is 3–32 characters: lowercase letters a–z, digits 0–9, dots, underscores and hyphens.';
const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const HOMESERVER = 'https://matrix.beeper.com';
/** The app the simulator plays (`/v1/info`, the other device's screen). */
export const APP_NAME = 'Beeper Server';
export const APP_VERSION = '4.2.1';
const DEFAULT_OTHER_DEVICE = 'Pixel 8';
/** The user's new, unverified device that an app in `ready` can verify. */
const DEFAULT_NEW_DEVICE = 'MacBook Air';
export const isValidUsername = (username: string) => USERNAME_PATTERN.test(username);
export const isValidEmail = (email: string) => email.length <= 254 && EMAIL_PATTERN.test(email);
/** Emails are matched case-insensitively. */
export const emailKey = (email: string) => email.toLowerCase();

export class AccountStore {
  private readonly byEmail = new Map<string, SimAccount>();

  constructor(private readonly rng: Rng) {}

  /** An existing account: cross-signing set up, a recovery key, another signed-in device. */
  seed(seed: SeedAccount): SimAccount {
    const email = emailKey(seed.email);
    if (!isValidEmail(email)) throw new SimError(400, 'INVALID_EMAIL', `Not an email address: ${seed.email}`);
    if (this.byEmail.has(email)) throw new SimError(409, 'EMAIL_TAKEN', `An account for ${email} exists already.`);
    this.checkUsername(seed.username);
    let recoveryKey = newRecoveryKey(this.rng);
    if (seed.recoveryKey !== undefined) {
      const check = checkRecoveryKey(seed.recoveryKey);
      if (!check.ok) throw new SimError(400, 'INVALID_RECOVERY_KEY', describeRecoveryKeyProblem(check.reason));
      recoveryKey = check.normalized;
    }
    return this.add({
      email,
      username: seed.username,
      userID: userIDFor(seed.username),
      recoveryKey,
      crossSigning: true,
      otherDeviceName: seed.otherDeviceName ?? DEFAULT_OTHER_DEVICE,
      newDeviceName: seed.newDeviceName ?? DEFAULT_NEW_DEVICE,
      verifiedDevices: [],
      sharesSecrets: seed.sharesSecrets ?? true,
    });
  }

  /** A freshly registered account: no trust keys yet (needs-cross-signing-setup). */
  register(email: string, username: string): SimAccount {
    this.checkUsername(username);
    return this.add({
      email: emailKey(email),
      username,
      userID: userIDFor(username),
      crossSigning: false,
      otherDeviceName: DEFAULT_OTHER_DEVICE,
      newDeviceName: DEFAULT_NEW_DEVICE,
      verifiedDevices: [],
      sharesSecrets: true,
    });
  }

  /** The live record (mutable: the app model updates keys on it). */
  find(email: string): SimAccount | undefined {
    return this.byEmail.get(emailKey(email));
  }

  list(): SimAccount[] {
    return [...this.byEmail.values()].map(copyAccount);
  }

  isTaken(username: string): boolean {
    return RESERVED_USERNAMES.includes(username) || [...this.byEmail.values()].some((a) => a.username === username);
  }

  /** Available usernames derived from the email's local part, e.g. carol, carol42, carol.317. */
  suggestions(email: string, count = 3): string[] {
    let base = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 26);
    if (base.length < 3) base = `${base}user`.slice(0, Math.max(3, base.length));
    const out: string[] = [];
    const consider = (name: string) => {
      if (out.length < count && isValidUsername(name) && !this.isTaken(name) && !out.includes(name)) out.push(name);
    };
    consider(base);
    for (let tries = 0; out.length < count && tries < 50; tries++) {
      const separator = ['', '.', '_'][tries % 3] ?? '';
      consider(`${base}${separator}${10 + this.rng.int(tries < 10 ? 90 : 9990)}`);
    }
    return out;
  }

  clear(): void {
    this.byEmail.clear();
  }

  private checkUsername(username: string): void {
    if (!isValidUsername(username)) throw new SimError(400, 'INVALID_USERNAME', USERNAME_RULE);
    if (this.isTaken(username)) throw new SimError(409, 'USERNAME_TAKEN', 'That username is taken.');
  }

  private add(account: SimAccount): SimAccount {
    this.byEmail.set(account.email, account);
    return account;
  }
}

/** A detached copy (changing it changes nothing). */
export const copyAccount = (account: SimAccount): SimAccount => ({ ...account, verifiedDevices: [...account.verifiedDevices] });

export const userIDFor = (username: string) => `@${username}:beeper.com`;
