/**
 * Built-in simulator of the Beeper app-setup API (/work/shared/api/setup-api.md):
 * one Beeper Server instance on 127.0.0.1, with a mailbox, seeded accounts and a
 * simulated other device, plus a control API under `/_sim/`.
 *
 *   const sim = await startSimulator({ timings: { initializingMs: 20 } });
 *   await fetch(`${sim.url}/v1/app/setup/start`, { method: 'POST' });
 *   sim.control.latestCode('alice@example.com');
 *   await sim.close();
 */
export { startSimulator, type RunningSimulator } from './server.js';
export { SimulatorControl, type SimulatorEvents } from './control.js';
export { runSimulateCommand, describeDemoAccounts, DEFAULT_SIMULATOR_PORT, type SimulateCommandOptions } from './cli.js';
export { DEFAULT_ACCOUNTS, RESERVED_USERNAMES, USERNAME_RULE } from './accounts.js';
export { SimError } from './errors.js';
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
  type Timings,
} from './types.js';
