/**
 * Time as the machine and the front ends see it: real by default, simulated in
 * tests (xstate's SimulatedClock has this shape), so no test waits for a poll.
 */
export interface RunClock {
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

export const realClock: RunClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
  now: () => Date.now(),
};
