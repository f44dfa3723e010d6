/**
 * The machine against the real simulator over HTTP: the real SetupClient and
 * actors, short simulator timings, a 20 ms poll, the real clock. The other
 * device and the mailbox are played through the simulator's in-process control.
 */
import { afterEach, expect } from 'vitest';
import { createActor, waitFor, type Actor } from 'xstate';
import { SetupClient } from '../../src/api/client.js';
import { Secret } from '../../src/shared/secret.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { setupMachine } from '../../machines/setupMachine.js';
import type { SetupEvent, SetupInput } from '../../machines/types.js';
import { stateString } from './helpers.js';
import { recordingPersistence } from '../support/persistence.js';

export const FAST = { initializingMs: 20, firstSyncMs: 20, otherDeviceMs: 20 };
const WAIT_MS = 5000;

type SetupActor = Actor<typeof setupMachine>;

export interface SimFlow {
  sim: RunningSimulator;
  actor: SetupActor;
  send(event: SetupEvent): void;
  /** Resolves once the machine matches `value` (e.g. "signIn.enterCode"); fails with where it is instead. */
  until(value: string): Promise<void>;
  /** Resolves once the context satisfies `predicate`. */
  untilContext(predicate: (context: ReturnType<SetupActor['getSnapshot']>['context']) => boolean): Promise<void>;
  state(): string;
  context(): ReturnType<SetupActor['getSnapshot']>['context'];
  /** The latest code the simulator mailed to `email`. */
  code(email: string): Secret;
  /** The account's recovery key as the simulator holds it. */
  keyOf(email: string): string;
  /** API requests the simulator answered, as "METHOD path". */
  requests(): string[];
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Stops every actor and simulator a test started. Call once per test file. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
}

export async function startSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ log: () => {}, ...options, timings: { ...FAST, ...options.timings } });
  cleanups.push(() => sim.close());
  return sim;
}

/** A client that gives up quickly on a dead address (tests of "unreachable"). */
export const quickClient = (baseUrl: string) => new SetupClient({ baseUrl, timeoutMs: 2000, retry: { limit: 1, baseDelayMs: 5, maxDelayMs: 10 } });

export async function startSimFlow(
  options: { sim?: RunningSimulator; simOptions?: SimulatorOptions; input?: Partial<SetupInput>; baseUrl?: string } = {},
): Promise<SimFlow> {
  const sim = options.sim ?? (await startSim(options.simOptions));
  const api = quickClient(options.baseUrl ?? sim.url);
  const actor = createActor(setupMachine, { input: { api, persistence: recordingPersistence(), pollIntervalMs: 20, resendCooldownMs: 100, ...options.input } });
  cleanups.push(() => {
    actor.stop();
  });
  actor.start();
  const flow: SimFlow = {
    sim,
    actor,
    send: (event) => actor.send(event),
    async until(value) {
      try {
        await waitFor(actor, (snapshot) => snapshot.matches(value as never), { timeout: WAIT_MS });
      } catch (error) {
        const { problem } = actor.getSnapshot().context;
        throw new Error(`expected ${value}, still at ${flow.state()}${problem ? ` (${problem.kind}: ${problem.message})` : ''}: ${String(error)}`);
      }
    },
    async untilContext(predicate) {
      await waitFor(actor, (snapshot) => predicate(snapshot.context), { timeout: WAIT_MS });
    },
    state: () => stateString(actor.getSnapshot().value),
    context: () => actor.getSnapshot().context,
    code(email) {
      const code = sim.control.latestCode(email);
      expect(code).toMatch(/^\d{6}$/);
      return new Secret(code!);
    },
    keyOf(email) {
      const key = sim.control.accounts().find((account) => account.email === email)?.recoveryKey;
      if (!key) throw new Error(`the simulator has no recovery key for ${email}`);
      return key;
    },
    requests: () => sim.control.requests().map((entry) => `${entry.method} ${entry.path}`),
  };
  return flow;
}

/** Email → code: signed in to `email`, waiting for whatever the server asks next. */
export async function signInTo(flow: SimFlow, email: string): Promise<void> {
  await flow.until('signIn.enterEmail');
  flow.send({ type: 'SUBMIT_EMAIL', email });
  await flow.until('signIn.enterCode');
  flow.send({ type: 'SUBMIT_CODE', code: flow.code(email) });
}

/** Signed in to alice (or `email`) and offered the methods. */
export async function simAtChooseMethod(email = 'alice@example.com', input: Partial<SetupInput> = {}): Promise<SimFlow> {
  const flow = await startSimFlow({ input });
  await signInTo(flow, email);
  await flow.until('chooseMethod');
  return flow;
}

/** The flow finished with outcome "ready" and the simulator agrees. */
export async function expectReady(flow: SimFlow): Promise<void> {
  await flow.until('ready');
  expect(flow.actor.getSnapshot().output?.outcome).toBe('ready');
  expect(flow.sim.control.session().state).toBe('ready');
}

/** A code that is not the one mailed. */
export const wrongCode = (right: Secret) => new Secret(String((Number(right.reveal()) + 1) % 1_000_000).padStart(6, '0'));
