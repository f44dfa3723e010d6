/**
 * Shared helpers for the flow-machine tests: server-shaped fixtures, a fake
 * backend that replaces every named actor (machine.provide) and records its
 * calls, and a driver on a SimulatedClock so no test waits for real time.
 */
import { SimulatedClock, createActor, fromPromise, type Actor, type InputFrom, type OutputFrom } from 'xstate';
import { HttpError, UnreachableError } from '../../src/api/errors.js';
import type { AppInfo, Session, Verification } from '../../src/api/types.js';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { Secret } from '../../src/shared/secret.js';
import type { setupActors } from '../../machines/actors.js';
import type { SetupApi } from '../../machines/api.js';
import { setupMachine } from '../../machines/setupMachine.js';
import type { SetupEvent, SetupInput } from '../../machines/types.js';
import { stepOf, type StepMeta } from '../../machines/steps.js';
import { recordingPersistence } from '../support/persistence.js';

// ── Fixtures ────────────────────────────────────────────────────────────

const keyOf = (seed: number) => encodeRecoveryKey(Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + seed) % 256));
/** The account's recovery key, another well-formed key, and the first one with a typo (parity fails). */
export const RECOVERY_KEY = keyOf(1);
export const OTHER_KEY = keyOf(2);
export const NEW_KEY = keyOf(3);
export const TYPO_KEY = `${RECOVERY_KEY.slice(0, -1)}${RECOVERY_KEY.endsWith('1') ? '2' : '1'}`;

export const APP: AppInfo = { app: { name: 'Beeper Server', version: '4.2.1', bundle_id: 'com.automattic.beeper.server' } };

export function session(state: string, extra: Partial<Session> = {}): Session {
  const trusted = state === 'needs-first-sync' || state === 'ready' || state === 'needs-secrets';
  const secrets = state === 'needs-first-sync' || state === 'ready';
  return {
    state,
    ...(state === 'needs-login' ? {} : { matrix: { deviceID: 'THISDEVICE', homeserver: 'https://matrix.beeper.com', userID: '@alice:beeper.com' } }),
    e2ee: {
      initialized: state !== 'needs-login',
      crossSigning: state !== 'needs-cross-signing-setup',
      verified: trusted,
      secretStorage: true,
      keyBackup: true,
      firstSyncDone: state === 'ready',
      hasBackedUpRecoveryKey: true,
      secrets: { masterKey: secrets, selfSigningKey: secrets, userSigningKey: secrets, megolmBackupKey: secrets, recoveryKey: secrets },
    },
    ...extra,
  };
}

const ACTIONS: Record<string, string[]> = {
  requested: ['cancel'],
  ready: ['sas.start', 'cancel'],
  sas_ready: ['sas.confirm', 'cancel'],
  qr_scanned: ['qr.confirmScanned', 'cancel'],
};

/** A verification as the server reports it, with the actions its state allows. */
export function verification(state: string, extra: Partial<Verification> = {}): Verification {
  return {
    id: 'txn/$1:beeper.com',
    state,
    availableActions: ACTIONS[state] ?? [],
    direction: 'outgoing',
    methods: ['qr', 'sas'],
    purpose: 'login',
    otherDevice: { id: 'PHONE', name: 'Pixel 8' },
    ...(state === 'ready' ? { qr: { data: 'qr-payload' } } : {}),
    ...(state === 'sas_ready' ? { sas: { emojis: '🐶🐱🦁🐎🦄🐷🐘', decimals: '1234 5678 9012' } } : {}),
    ...(state === 'cancelled' ? { error: { code: 'm.user', reason: 'The other device cancelled the verification.' } } : {}),
    ...extra,
  };
}

export const incomingRequest = () =>
  verification('requested', { id: 'incoming-1', direction: 'incoming', availableActions: ['accept', 'cancel'] });

export const httpError = (status: number, code?: string, message = 'Refused by the server.', details?: HttpError['details']) =>
  new HttpError('POST /v1/app/setup/test', status, code, message, details);
export const unreachable = () => new UnreachableError('GET /v1/app/setup', 'http://localhost:23373', 'refused');

// ── Fake backend ────────────────────────────────────────────────────────

type Actors = typeof setupActors;
export type ActorName = keyof Actors;
type Handler<K extends ActorName> = (input: InputFrom<Actors[K]>) => OutputFrom<Actors[K]> | Promise<OutputFrom<Actors[K]>>;
type AnyHandler = (input: any) => unknown;

export interface Call {
  name: ActorName;
  input: Record<string, any>;
  /** Simulated time the call started. */
  at: number;
}

/** Throws if the machine reaches the real client: every call must go through the fakes. */
const NO_API = new Proxy({} as SetupApi, {
  get: (_, name) => () => {
    throw new Error(`the machine called api.${String(name)} directly`);
  },
});

/**
 * What the server says now (`session`, `verification`, `incoming`), answered by
 * default handlers; `next()` queues a one-off answer, `on()` replaces a handler.
 */
export class FakeServer {
  session: Session = session('needs-login');
  verification: Verification | undefined;
  incoming: Verification | undefined;
  /** Simulated time every call takes. */
  latencyMs = 0;
  readonly calls: Call[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private requests = 0;
  private readonly queued = new Map<ActorName, AnyHandler[]>();
  private readonly handlers: { [K in ActorName]: Handler<K> };

  constructor(readonly clock: SimulatedClock) {
    const update = () => this.update();
    this.handlers = {
      probe: () => ({ app: APP, session: this.session, tokenRefused: false, signedInWithoutUs: false }),
      startSignIn: () => ({ setupRequestID: `req-${++this.requests}`, signInMethods: ['email'] }),
      sendCode: () => undefined,
      restartSignIn: () => ({ setupRequestID: `req-${++this.requests}` }),
      submitCode: () => ({ kind: 'signed-in', token: new Secret('token-1'), session: this.session }),
      register: () => ({ token: new Secret('token-new'), session: this.session }),
      fetchSession: () => this.session,
      findIncoming: () => ({ session: this.session, incoming: this.incoming }),
      verifyRecoveryKey: () => this.session,
      resetRecoveryKey: () => ({ recoveryKey: new Secret(NEW_KEY), session: this.session }),
      confirmRecoveryKey: () => this.session,
      beginVerification: update,
      fetchVerification: update,
      startSas: update,
      confirmSas: update,
      confirmQrScanned: update,
      cancelVerification: update,
      submitScannedQr: update,
    };
  }

  /** A verification call's answer: the session and the verification as the server has them now. */
  update() {
    return { session: this.session, verification: this.verification };
  }

  /** The next call to `name` moves the verification to `next`, then answers with the update. */
  moves(name: 'beginVerification' | 'startSas' | 'confirmSas' | 'confirmQrScanned' | 'cancelVerification', next: Verification): this {
    return this.next(name, () => {
      this.verification = next;
      return this.update();
    });
  }

  /** The next call to `name` answers with `answer` (a handler, a value, or an Error to throw). */
  next<K extends ActorName>(name: K, answer: Handler<K> | OutputFrom<Actors[K]> | Error): this {
    const handler: AnyHandler =
      typeof answer === 'function'
        ? (answer as AnyHandler)
        : () => {
            if (answer instanceof Error) throw answer;
            return answer;
          };
    this.queued.set(name, [...(this.queued.get(name) ?? []), handler]);
    return this;
  }

  /** Every later call to `name` goes to `handler`. */
  on<K extends ActorName>(name: K, handler: Handler<K>): this {
    (this.handlers as Record<ActorName, AnyHandler>)[name] = handler;
    return this;
  }

  callsTo(name: ActorName): Record<string, any>[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.input);
  }

  count(name: ActorName): number {
    return this.callsTo(name).length;
  }

  /** Replacements for every named actor, for machine.provide(). */
  actors(): Parameters<typeof setupMachine.provide>[0]['actors'] {
    const names = Object.keys(this.handlers) as ActorName[];
    return Object.fromEntries(names.map((name) => [name, this.fake(name)])) as Parameters<typeof setupMachine.provide>[0]['actors'];
  }

  private fake(name: ActorName) {
    return fromPromise<unknown, Record<string, any>>(async ({ input, signal }) => {
      const { api: _api, persistence: _persistence, ...recorded } = input;
      this.calls.push({ name, input: recorded, at: this.clock.now() });
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let finished = false;
      const finish = () => {
        if (!finished) this.inFlight -= 1;
        finished = true;
      };
      signal.addEventListener('abort', finish, { once: true });
      try {
        if (this.latencyMs > 0) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, this.latencyMs));
        const handler = this.queued.get(name)?.shift() ?? (this.handlers[name] as AnyHandler);
        return await handler(input);
      } finally {
        finish();
      }
    });
  }
}

// ── Driver ──────────────────────────────────────────────────────────────

export interface Flow {
  actor: Actor<typeof setupMachine>;
  server: FakeServer;
  clock: SimulatedClock;
  send(event: SetupEvent): Promise<void>;
  /** Lets pending promise answers reach the machine. */
  settle(): Promise<void>;
  /** Moves simulated time forward in `step` increments, settling after each. */
  advance(ms: number, step?: number): Promise<void>;
  /** `snapshot.value` as dotted leaf paths (see stateString). */
  state(): string;
  matches(value: string): boolean;
  /** The step the current state declares (its meta): what the front ends show. */
  step(): StepMeta;
  context(): ReturnType<Actor<typeof setupMachine>['getSnapshot']>['context'];
}

export const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Every active leaf as a dotted path, joined with " | " (one path unless a parallel state is active). */
export function stateString(value: unknown, prefix = ''): string {
  if (typeof value === 'string') return `${prefix}${value}`;
  return Object.entries(value as Record<string, unknown>)
    .map(([key, child]) => stateString(child, `${prefix}${key}.`))
    .join(' | ');
}

/** Starts the machine against a FakeServer; `prepare` sets what the server says before probing. */
export async function startFlow(options: { input?: Partial<SetupInput>; prepare?: (server: FakeServer) => void } = {}): Promise<Flow> {
  const clock = new SimulatedClock();
  const server = new FakeServer(clock);
  options.prepare?.(server);
  const machine = setupMachine.provide({ actors: server.actors() });
  const actor = createActor(machine, { clock, input: { api: NO_API, persistence: recordingPersistence(), ...options.input } });
  actor.start();
  const flow: Flow = {
    actor,
    server,
    clock,
    async send(event) {
      actor.send(event);
      await settle();
    },
    settle,
    async advance(ms, step = 50) {
      for (let passed = 0; passed < ms; passed += step) {
        clock.increment(Math.min(step, ms - passed));
        await settle();
      }
    },
    state: () => stateString(actor.getSnapshot().value),
    matches: (value) => actor.getSnapshot().matches(value as never),
    step: () => stepOf(actor.getSnapshot()),
    context: () => actor.getSnapshot().context,
  };
  await settle();
  return flow;
}

/** Secrets passed to the fakes, revealed for comparison. */
export const revealed = (value: unknown) => (value instanceof Secret ? value.reveal() : value);
