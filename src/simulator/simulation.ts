/** Wires the simulator's parts together: accounts, sign-in, the app, the other device, faults, logs. */
import { EventEmitter } from 'node:events';
import { AccountStore, DEFAULT_ACCOUNTS } from './accounts.js';
import { Faults } from './faults.js';
import { OtherDevice } from './otherDevice.js';
import { createRng, type Rng } from './random.js';
import { SignInFlow } from './signIn.js';
import { AppState } from './state.js';
import {
  DEFAULT_TIMINGS,
  type ConfigChange,
  type MailMessage,
  type RequestLogEntry,
  type SimulatorConfig,
  type SimulatorOptions,
  type Timings,
} from './types.js';

/** Request log entries kept (oldest dropped first). */
const MAX_LOG_ENTRIES = 1000;

export class Simulation {
  readonly config: SimulatorConfig;
  readonly now: () => number;
  readonly rng: Rng;
  readonly log: (line: string) => void;
  /** `mail` (MailMessage) and `other-device` (text, screen). */
  readonly events = new EventEmitter();
  readonly accounts: AccountStore;
  readonly signIn: SignInFlow;
  readonly app: AppState;
  readonly otherDevice: OtherDevice;
  readonly faults = new Faults();
  readonly outbox: MailMessage[] = [];
  readonly requestLog: RequestLogEntry[] = [];
  /** API requests arrived but not yet answered, and the most there ever were at once. */
  private inFlight = 0;
  maxInFlight = 0;

  constructor(options: SimulatorOptions = {}) {
    this.config = {
      profile: options.profile ?? 'lenient',
      legacyBuild: options.legacyBuild ?? false,
      autoOtherDevice: options.autoOtherDevice ?? false,
      withholdTrust: options.withholdTrust ?? false,
      hostileText: options.hostileText ?? false,
      timings: withTimings({ ...DEFAULT_TIMINGS }, options.timings),
    };
    this.now = options.now ?? Date.now;
    this.rng = createRng(options.random);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.accounts = new AccountStore(this.rng);
    for (const seed of options.accounts ?? DEFAULT_ACCOUNTS) this.accounts.seed(seed);

    this.app = new AppState({
      now: this.now,
      rng: this.rng,
      config: this.config,
      onVerificationEvent: (event) => this.otherDevice.onEvent(event),
    });
    this.otherDevice = new OtherDevice({
      app: this.app,
      config: this.config,
      show: (text, screen) => {
        this.log(`[other device: ${screen.deviceName}] ${text}`);
        this.events.emit('other-device', text, screen);
      },
    });
    this.signIn = new SignInFlow({
      rng: this.rng,
      accounts: this.accounts,
      mail: (email, code) => this.mail(email, code),
      assertCanSignIn: (email) => this.app.assertCanSignIn(email),
      signIn: (account) => this.app.signIn(account),
    });
  }

  configure(change: ConfigChange): SimulatorConfig {
    if (change.profile !== undefined) this.config.profile = change.profile;
    if (change.legacyBuild !== undefined) this.config.legacyBuild = change.legacyBuild;
    if (change.autoOtherDevice !== undefined) this.config.autoOtherDevice = change.autoOtherDevice;
    if (change.withholdTrust !== undefined) this.config.withholdTrust = change.withholdTrust;
    if (change.hostileText !== undefined) this.config.hostileText = change.hostileText;
    if (change.sasNumbers !== undefined) this.config.sasNumbers = change.sasNumbers.length === 7 ? [...change.sasNumbers] : undefined;
    withTimings(this.config.timings, change.timings);
    return structuredClone(this.config);
  }

  /** Signs the app out: back to needs-login. Accounts, outbox and faults stay. */
  resetApp(): void {
    this.otherDevice.stop();
    this.signIn.clear();
    this.app.signOut();
  }

  recordRequest(entry: Omit<RequestLogEntry, 'at'>): void {
    const { fields, ...rest } = entry;
    this.requestLog.push({ ...rest, ...(fields ? { fields } : {}), at: this.now() });
    if (this.requestLog.length > MAX_LOG_ENTRIES) this.requestLog.shift();
  }

  /** An API request arrived; call the returned function (once is enough) when it is answered. */
  requestStarted(): () => void {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  /** Empties the request log and restarts the in-flight maximum from now. */
  clearRequests(): void {
    this.requestLog.length = 0;
    this.maxInFlight = this.inFlight;
  }

  stop(): void {
    this.otherDevice.stop();
    this.events.removeAllListeners();
  }

  /** The one console line that shows a code. */
  private mail(email: string, code: string): void {
    const message = { email, code, at: this.now() };
    this.outbox.push(message);
    this.log(`[simulator] code for ${email}: ${code}`);
    this.events.emit('mail', { ...message });
  }
}

/** Sets the given timings on `target`, skipping absent ones. */
function withTimings(target: Timings, change: Partial<Timings> | undefined): Timings {
  for (const key of Object.keys(DEFAULT_TIMINGS) as (keyof Timings)[]) {
    const value = change?.[key];
    if (value !== undefined) target[key] = value;
  }
  return target;
}
