/** Shared set-up for the client contract tests: a real simulator and a client with short retry waits. */
import { SetupClient, type SetupClientOptions } from '../../src/api/client.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import type { SimulatorOptions } from '../../src/simulator/index.js';

export const FAST_TIMINGS = { initializingMs: 10, firstSyncMs: 10, otherDeviceMs: 10 };

export interface Harness {
  sim: RunningSimulator;
  /** Everything the simulator printed on its console. */
  simLog: string[];
  /** Everything the client logged (its --debug lines). */
  clientLog: string[];
  client(options?: Partial<SetupClientOptions>): SetupClient;
}

export async function startHarness(options: SimulatorOptions = {}): Promise<Harness> {
  const simLog: string[] = [];
  const clientLog: string[] = [];
  const sim = await startSimulator({ timings: FAST_TIMINGS, log: (line) => simLog.push(line), ...options });
  return {
    sim,
    simLog,
    clientLog,
    client: (overrides = {}) =>
      new SetupClient({
        baseUrl: sim.url,
        onLog: (line) => clientLog.push(line),
        // Short backoff: the retry rules are what is tested, not the waiting.
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        ...overrides,
      }),
  };
}

/** Signs alice in through the real endpoints; returns her token and the client. */
export async function signIn(h: Harness, email = 'alice@example.com') {
  const client = h.client();
  const { setupRequestID } = await client.start();
  await client.sendEmail({ setupRequestID, email });
  const code = h.sim.control.latestCode(email)!;
  const result = await client.submitCode({ setupRequestID, code });
  if (result.kind !== 'signed-in') throw new Error(`expected ${email} to sign in`);
  return { client, token: result.matrix.accessToken, code, result };
}

/** Polls until the app's session reaches a state (the simulator moves on timers). */
export async function waitForState(h: Harness, state: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (h.sim.control.session().state !== state) {
    if (Date.now() > until) throw new Error(`session stayed ${h.sim.control.session().state}, wanted ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
