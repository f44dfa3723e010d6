/** Shared helpers for the simulator tests: start/close, a tiny fetch client, sign-in. */
import { afterEach, expect, vi } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const FAST = { initializingMs: 20, firstSyncMs: 20, otherDeviceMs: 20 };

const running: RunningSimulator[] = [];

/** Closes every simulator a test started. Call once per test file. */
export function closeSimulatorsAfterEach(): void {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sim) => sim.close()));
  });
}

/** Starts a simulator on a free port with fast timings and a silent log (unless overridden). */
export async function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ log: () => {}, ...options, timings: { ...FAST, ...options.timings } });
  running.push(sim);
  return sim;
}

/** A clock tests move by hand. */
export function manualClock(startAt = Date.UTC(2030, 0, 1)) {
  let time = startAt;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

export interface Answer {
  status: number;
  /** Parsed JSON, or undefined; tests read whatever the server sent. */
  body: any;
  headers: Headers;
  text: string;
}

export async function call(sim: RunningSimulator, method: string, path: string, body?: unknown, token?: string): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, headers: response.headers, text };
}

export const post = (sim: RunningSimulator, path: string, body: unknown = {}, token?: string) => call(sim, 'POST', path, body, token);
export const get = (sim: RunningSimulator, path: string, token?: string) => call(sim, 'GET', path, undefined, token);
export const del = (sim: RunningSimulator, path: string) => call(sim, 'DELETE', path);

export const SETUP = '/v1/app/setup';

/** start → email → code; returns the setup request and the /response answer. */
export async function submitCode(sim: RunningSimulator, email: string) {
  const started = await post(sim, `${SETUP}/start`);
  const setupRequestID: string = started.body.setupRequestID;
  const mailed = await post(sim, `${SETUP}/email`, { setupRequestID, email });
  expect(mailed.status).toBe(204);
  const code = sim.control.latestCode(email);
  expect(code).toMatch(/^\d{6}$/);
  const answer = await post(sim, `${SETUP}/response`, { setupRequestID, response: code });
  return { setupRequestID, answer };
}

/** Signs in to an existing account; returns the access token. */
export async function signIn(sim: RunningSimulator, email = 'alice@example.com'): Promise<string> {
  const { answer } = await submitCode(sim, email);
  expect(answer.status).toBe(200);
  return answer.body.matrix.accessToken as string;
}

/** Polls GET /v1/app/setup until the state is `state`. */
export async function waitForState(sim: RunningSimulator, token: string, state: string) {
  return vi.waitFor(
    async () => {
      const { body } = await get(sim, SETUP, token);
      expect(body.state).toBe(state);
      return body;
    },
    { timeout: 2000, interval: 10 },
  );
}

/** Signed in to alice and past initializing. */
export async function signedInNeedingVerification(sim: RunningSimulator, email = 'alice@example.com') {
  const token = await signIn(sim, email);
  await waitForState(sim, token, 'needs-verification');
  return token;
}

export const vpath = (id: string, action = '') => `${SETUP}/verifications/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export function recoveryKeyOf(sim: RunningSimulator, email: string): string {
  const key = sim.control.accounts().find((account) => account.email === email)?.recoveryKey;
  if (!key) throw new Error(`no recovery key for ${email}`);
  return key;
}

/** Signed in and `ready` (by the recovery key); returns the token. */
export async function signedInReady(sim: RunningSimulator, email = 'alice@example.com') {
  const token = await signedInNeedingVerification(sim, email);
  const used = await post(sim, `${SETUP}/verification/recovery-key`, { recoveryKey: recoveryKeyOf(sim, email) }, token);
  expect(used.status).toBe(200);
  await waitForState(sim, token, 'ready');
  return token;
}

/** Calls `visit` on every object in a JSON value, with the key it sits under ('' at the top). */
export function eachObject(value: unknown, visit: (object: Record<string, unknown>, key: string) => void, key = ''): void {
  if (Array.isArray(value)) return value.forEach((item) => eachObject(item, visit, key));
  if (typeof value !== 'object' || value === null) return;
  visit(value as Record<string, unknown>, key);
  for (const [name, child] of Object.entries(value)) eachObject(child, visit, name);
}
