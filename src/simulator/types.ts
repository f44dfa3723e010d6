/** Public option and record types of the simulator (see index.ts). */

export interface Timings {
  /** needs-login → initializing → next state, after sign-in. */
  initializingMs: number;
  /** needs-first-sync → ready. */
  firstSyncMs: number;
  /** How long the automatic other device takes to accept / confirm. */
  otherDeviceMs: number;
}

export const DEFAULT_TIMINGS: Timings = { initializingMs: 800, firstSyncMs: 1500, otherDeviceMs: 1200 };

export interface SeedAccount {
  email: string;
  username: string;
  /** Generated (real format) when absent. */
  recoveryKey?: string;
  /** Default "Pixel 8": the signed-in device that vouches for this one during setup. */
  otherDeviceName?: string;
  /** Default "MacBook Air": the user's new, unverified device that a `ready` app may verify. */
  newDeviceName?: string;
  /** Default true: device verification also brings the secrets (→ needs-first-sync); false → needs-secrets. */
  sharesSecrets?: boolean;
}

/** An account as the simulator holds it (a copy: changing it changes nothing). */
export interface SimAccount {
  email: string;
  username: string;
  userID: string;
  /** Absent for a new account until it has set up a recovery key. */
  recoveryKey?: string;
  /** Epoch ms; set when a key is created through reset/confirm (the wire shows seconds or ms by profile). */
  recoveryKeyGeneratedAt?: number;
  crossSigning: boolean;
  otherDeviceName: string;
  newDeviceName: string;
  /** Names of devices this account's app verified from `ready` (e.g. ["MacBook Air"]). */
  verifiedDevices: string[];
  sharesSecrets: boolean;
}

export interface FaultConfig {
  /** Delay before every answer. */
  latencyMs?: number;
  /** Every n-th request (counted from when the faults were set) answers `status` with a JSON error. */
  failEvery?: { n: number; status: number };
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimit?: { count: number; retryAfterSeconds: number };
  /** The next N requests: the socket is destroyed without an answer. */
  dropConnections?: number;
  /** The next N requests: 200 with truncated JSON. */
  malformedBody?: number;
  /** The next N requests: 502 with a text/html body. */
  htmlError?: number;
}

/**
 * `lenient` reads silent parts of the contract the forgiving way; `strict` disagrees on
 * purpose (see index.ts), so tests catch clients that lean on one reading.
 */
export type SimulatorProfile = 'lenient' | 'strict';
export const SIMULATOR_PROFILES: readonly SimulatorProfile[] = ['lenient', 'strict'];

export interface SimulatorConfig {
  profile: SimulatorProfile;
  legacyBuild: boolean;
  autoOtherDevice: boolean;
  /** A verification reaching `done` leaves the session in `needs-verification`. */
  withholdTrust: boolean;
  /** Server-supplied display strings carry HOSTILE_TEXT (terminal escapes). */
  hostileText: boolean;
  /** The seven SAS emojis (table numbers) of every comparison; random when unset. */
  sasNumbers?: number[] | undefined;
  timings: Timings;
}

export interface ConfigChange {
  profile?: SimulatorProfile;
  legacyBuild?: boolean;
  autoOtherDevice?: boolean;
  withholdTrust?: boolean;
  hostileText?: boolean;
  sasNumbers?: number[];
  timings?: Partial<Timings>;
}

export interface MailMessage {
  email: string;
  code: string;
  /** Epoch milliseconds. */
  at: number;
}

/** One answered API request. Never holds body values, headers or query strings. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** 0 when the connection was dropped by a fault. */
  status: number;
  /** Sorted top-level field names of a JSON object body (names only); absent without one. */
  fields?: string[];
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  /** Epoch milliseconds when it was answered. */
  at: number;
}

export type OtherDeviceAction = 'accept' | 'confirm-sas' | 'scan-qr' | 'mismatch' | 'cancel' | 'request';
export const OTHER_DEVICE_ACTIONS: readonly OtherDeviceAction[] = [
  'accept',
  'confirm-sas',
  'scan-qr',
  'mismatch',
  'cancel',
  'request',
];

export interface SimulatorOptions {
  /** Default 0: a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** Demo mode: the other device accepts and confirms by itself (default false). */
  autoOtherDevice?: boolean;
  /** Defaults 800 / 1500 / 1200 ms. */
  timings?: Partial<Timings>;
  /** Replaces DEFAULT_ACCOUNTS when given. */
  accounts?: SeedAccount[];
  /** Answer /v1/info but 404 every /v1/app/setup* route (a Beeper build without terminal setup). */
  legacyBuild?: boolean;
  /** Default 'lenient'; 'strict' disagrees wherever the contract is silent. */
  profile?: SimulatorProfile;
  /** Verifications reach `done` without trusting this device (default false). */
  withholdTrust?: boolean;
  /** Display strings carry terminal-injection escapes (default false). */
  hostileText?: boolean;
  /** The simulator's console; default writes lines to stderr. */
  log?: (line: string) => void;
  /** Injectable randomness in [0, 1); default crypto. */
  random?: () => number;
  /** Injectable clock in epoch ms (tests: verification timeouts); default Date.now. */
  now?: () => number;
}
