/**
 * Injected faults for API routes (never `/_sim/`). A faulted request never reaches
 * the app model, so retrying it is always safe. When several "next N" faults are
 * set, the first in this order applies: drop, html, malformed, rate limit, failEvery.
 */
import { SimError } from './errors.js';
import { Fields } from './http.js';
import type { FaultConfig } from './types.js';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'html' }
  | { kind: 'malformed' }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'fail'; status: number };

export class Faults {
  private config: FaultConfig = {};
  /** API requests seen since the faults were set (for failEvery). */
  private seen = 0;

  set(config: FaultConfig): void {
    this.config = structuredClone(config);
    this.seen = 0;
  }

  clear(): void {
    this.set({});
  }

  /** What is left of the plan (counters go down as faults are used). */
  current(): FaultConfig {
    return structuredClone(this.config);
  }

  get latencyMs(): number {
    return this.config.latencyMs ?? 0;
  }

  /** Decides the fate of the next API request and uses up one fault. */
  next(): FaultDecision {
    const c = this.config;
    this.seen += 1;
    if (c.dropConnections) {
      c.dropConnections -= 1;
      return { kind: 'drop' };
    }
    if (c.htmlError) {
      c.htmlError -= 1;
      return { kind: 'html' };
    }
    if (c.malformedBody) {
      c.malformedBody -= 1;
      return { kind: 'malformed' };
    }
    if (c.rateLimit && c.rateLimit.count > 0) {
      c.rateLimit.count -= 1;
      return { kind: 'rate-limit', retryAfterSeconds: c.rateLimit.retryAfterSeconds };
    }
    if (c.failEvery && this.seen % c.failEvery.n === 0) return { kind: 'fail', status: c.failEvery.status };
    return { kind: 'none' };
  }
}

/** Checks a fault plan from the control API. */
export function parseFaultConfig(body: unknown): FaultConfig {
  const fields = new Fields(body);
  const config: FaultConfig = {};
  const latencyMs = fields.optionalInt('latencyMs', 0, 60_000);
  const dropConnections = fields.optionalInt('dropConnections', 0);
  const malformedBody = fields.optionalInt('malformedBody', 0);
  const htmlError = fields.optionalInt('htmlError', 0);
  const failEvery = fields.optionalObject('failEvery');
  const rateLimit = fields.optionalObject('rateLimit');
  if (latencyMs !== undefined) config.latencyMs = latencyMs;
  if (dropConnections !== undefined) config.dropConnections = dropConnections;
  if (malformedBody !== undefined) config.malformedBody = malformedBody;
  if (htmlError !== undefined) config.htmlError = htmlError;
  if (failEvery) config.failEvery = { n: failEvery.int('n', 1), status: failEvery.int('status', 400, 599) };
  if (rateLimit) config.rateLimit = { count: rateLimit.int('count', 0), retryAfterSeconds: rateLimit.int('retryAfterSeconds', 0) };
  fields.done();
  return config;
}

export const injectedFailure = (status: number) =>
  new SimError(status, 'SIMULATED_FAILURE', `Simulated failure (HTTP ${status}) injected by the simulator.`);
