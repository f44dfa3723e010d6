/**
 * The in-process handle on a running simulator: what tests and the demo use to play
 * the user's mailbox and other device, inject faults and read the request log.
 * The HTTP control API under `/_sim/` (controlRoutes.ts) offers the same operations.
 */
import type { Session, Verification } from '../api/types.js';
import { parseFaultConfig } from './faults.js';
import type { OtherDeviceScreen } from './otherDevice.js';
import type { Simulation } from './simulation.js';
import type {
  ConfigChange,
  FaultConfig,
  MailMessage,
  OtherDeviceAction,
  RequestLogEntry,
  SeedAccount,
  SimAccount,
  SimulatorConfig,
} from './types.js';
import { toWire } from './verification.js';

export interface SimulatorEvents {
  /** A sign-in code was "emailed". */
  mail: (message: MailMessage) => void;
  /** The other device's screen changed; `text` is what it shows (e.g. `compare: 🐶 Dog, …`). */
  'other-device': (text: string, screen: OtherDeviceScreen) => void;
}

export class SimulatorControl {
  constructor(private readonly sim: Simulation) {}

  /** The latest code mailed to `email` (any email when omitted). */
  latestCode(email?: string): string | undefined {
    const wanted = email?.toLowerCase();
    return this.sim.outbox.findLast((message) => wanted === undefined || message.email === wanted)?.code;
  }

  outbox(): MailMessage[] {
    return this.sim.outbox.map((message) => ({ ...message }));
  }

  /** Adds an existing account (cross-signing, recovery key, other device); returns it with its key. */
  seedAccount(seed: SeedAccount): SimAccount {
    return { ...this.sim.accounts.seed(seed) };
  }

  accounts(): SimAccount[] {
    return this.sim.accounts.list();
  }

  /** A move by the other device on the current verification; throws SimError 409 when not possible now. */
  otherDevice(action: OtherDeviceAction): Verification {
    return toWire(this.sim.otherDevice.act(action));
  }

  /** The QR payload the other device shows: submit it to `verifications/qr/scan`. */
  otherDeviceQr(): string {
    return this.sim.otherDevice.qr();
  }

  /** Replaces the fault plan (see FaultConfig); throws SimError 400 on a bad plan. */
  setFaults(faults: FaultConfig): void {
    this.sim.faults.set(parseFaultConfig(faults));
  }

  clearFaults(): void {
    this.sim.faults.clear();
  }

  /** What is left of the fault plan. */
  faults(): FaultConfig {
    return this.sim.faults.current();
  }

  configure(change: ConfigChange): SimulatorConfig {
    return this.sim.configure(change);
  }

  config(): SimulatorConfig {
    return structuredClone(this.sim.config);
  }

  /** API requests answered so far (method, path, status, time; never bodies or headers). */
  requests(): RequestLogEntry[] {
    return this.sim.requestLog.map((entry) => ({ ...entry }));
  }

  /** The app's session as `GET /v1/app/setup` would show it, without needing the token. */
  session(): Session {
    return this.sim.app.session();
  }

  /** Signs the app out: back to needs-login. */
  resetApp(): void {
    this.sim.resetApp();
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof SimulatorEvents>(event: E, listener: SimulatorEvents[E]): () => void {
    this.sim.events.on(event, listener);
    return () => {
      this.sim.events.off(event, listener);
    };
  }
}
