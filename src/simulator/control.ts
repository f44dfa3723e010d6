/**
 * The in-process handle on a running simulator: what tests and the demo use to play
 * the user's mailbox and other device, inject faults and read the request log.
 * The HTTP control API under `/_sim/` (controlRoutes.ts) offers the same operations.
 */
import type { Session, Verification } from '../api/types.js';
import { copyAccount } from './accounts.js';
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
    return copyAccount(this.sim.accounts.seed(seed));
  }

  accounts(): SimAccount[] {
    return this.sim.accounts.list();
  }

  /** How many automatic moves the other device has scheduled (autoOtherDevice); 0: it waits on us. */
  otherDevicePendingMoves(): number {
    return this.sim.otherDevice.pendingMoves;
  }

  /** A move by the other device on the current verification; throws SimError 409 when not possible now. */
  otherDevice(action: OtherDeviceAction): Verification {
    return toWire(this.sim.otherDevice.act(action), this.sim.config.profile);
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

  /** API requests answered so far (method, path, status, body field names, times; never values or headers). */
  requests(): RequestLogEntry[] {
    return this.sim.requestLog.map((entry) => ({ ...entry, ...(entry.fields ? { fields: [...entry.fields] } : {}) }));
  }

  /** The most API requests that were in flight at once (since start or clearRequests). */
  maxInFlight(): number {
    return this.sim.maxInFlight;
  }

  /** Empties the request log and restarts the in-flight maximum. */
  clearRequests(): void {
    this.sim.clearRequests();
  }

  /** Every pending sign-in (setup request, lead token) answers 410 SETUP_REQUEST_EXPIRED from now on. */
  expireSignIns(): number {
    return this.sim.signIn.expireAll();
  }

  /**
   * Another client signed in to this app: it gets a new access token, the old one answers 401.
   * The new token is deliberately not handed out; sign in again to get one. 409 when signed out.
   */
  revokeToken(): void {
    this.sim.app.revokeToken();
  }

  /** Names of the user's devices this app verified once `ready` (e.g. ["MacBook Air"]). */
  verifiedDevices(): string[] {
    return this.sim.app.verifiedDevices();
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
