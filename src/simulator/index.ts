/**
 * Built-in simulator of the Beeper app-setup API (docs/api.md):
 * one Beeper Server instance on 127.0.0.1, with a mailbox, seeded accounts and a
 * simulated other device, plus a control API under `/_sim/`.
 *
 *   const sim = await startSimulator({ timings: { initializingMs: 20 } });
 *   await fetch(`${sim.url}/v1/app/setup/start`, { method: 'POST' });
 *   sim.control.latestCode('alice@example.com');
 *   await sim.close();
 *
 * The simulator is not the oracle; the contract is. Where the contract is silent, the
 * `lenient` profile (default) reads it the forgiving way and `strict` disagrees on purpose:
 * - `POST /verifications` without `purpose` infers it (needs-verification → login, ready → device)
 *   in both; strict trusts this device only after a `login` verification, lenient after any.
 * - strict refuses unknown body fields (400 VALIDATION_ERROR, issue `unrecognized_keys`), and
 *   bodyless routes take nothing or `{}`; lenient ignores extras.
 * - strict lists `methods: []` until the other side accepts; lenient always `['qr', 'sas']`.
 * - `e2ee.recoveryKeyGeneratedAt`: strict epoch ms, lenient unix seconds.
 * - strict adds unknown fields (`x_simulator`, `x_extensions`) to every returned object.
 * - strict answers 404 to the optional `GET /v1/info`.
 *
 * Faults besides `/_sim/faults`: `withholdTrust` (a `done` verification leaves the session in
 * needs-verification), `hostileText` (display strings carry HOSTILE_TEXT),
 * `POST /_sim/expire-sign-ins` (pending sign-ins → 410), `POST /_sim/revoke-token` (another client
 * took the token → 401; sign in again).
 *
 * Once `ready`, the app can verify the user's new device ("MacBook Air", seed `newDeviceName`):
 * `POST /verifications` (purpose device) or control `{"action":"request"}`; when it is `done`
 * the device shows up in the account's `verifiedDevices`.
 *
 * Control API (no auth, 127.0.0.1 only): GET outbox, GET code?email=, GET|POST accounts,
 * POST other-device {action}, GET other-device/qr, GET|POST|DELETE faults,
 * GET|POST config {profile, legacyBuild, autoOtherDevice, withholdTrust, hostileText, timings},
 * GET|DELETE requests (log with body field names and times, maxInFlight), GET session,
 * POST reset, POST expire-sign-ins, POST revoke-token.
 */
export { startSimulator, type RunningSimulator } from './server.js';
export { SimulatorControl, type SimulatorEvents } from './control.js';
export { runSimulateCommand, describeDemoAccounts, DEFAULT_SIMULATOR_PORT, type SimulateCommandOptions } from './cli.js';
export { DEFAULT_ACCOUNTS, RESERVED_USERNAMES, USERNAME_RULE } from './accounts.js';
export { SimError } from './errors.js';
export { HOSTILE_TEXT } from './present.js';
export { QR_MODE_TRUSTED, QR_MODE_UNTRUSTED } from './qr.js';
export { VERIFICATION_TIMEOUT_MS } from './verification.js';
export type { OtherDeviceScreen } from './otherDevice.js';
export {
  DEFAULT_TIMINGS,
  type ConfigChange,
  type FaultConfig,
  type MailMessage,
  type OtherDeviceAction,
  type RequestLogEntry,
  type SeedAccount,
  type SimAccount,
  type SimulatorConfig,
  type SimulatorOptions,
  type SimulatorProfile,
  type Timings,
} from './types.js';
