/**
 * The program's one owner of stop signals. Ctrl-C (SIGINT), `kill` (SIGTERM)
 * and a dropped SSH session (SIGHUP) all mean "stop watching": whichever
 * front end is running stops its machine, main's cleanup closes the tunnel
 * and flushes the token, and nothing is cancelled on the server. Before a
 * front end runs (opening the ssh tunnel), the abort signal stops the wait.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** 130 for Ctrl-C and SIGTERM (as README promises), 129 (128 + 1) for a hang-up. */
export function exitCodeForSignal(signal: StopSignal): number {
  return signal === 'SIGHUP' ? 129 : 130;
}

/** The reason an operation was aborted by a stop signal. */
export class StoppedBySignal extends Error {
  override readonly name = 'StoppedBySignal';
  constructor(readonly signal: StopSignal) {
    super(`Stopped by ${signal}.`);
  }
}

type Emitter = Pick<NodeJS.Process, 'on' | 'off'>;

export class StopSignals {
  /** The first stop signal received, if any. */
  received: StopSignal | undefined;
  private readonly controller = new AbortController();
  private readonly handlers = new Set<(signal: StopSignal) => void>();
  private count = 0;

  /** Aborted (with StoppedBySignal) on the first stop signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Listens on the process; returns the function that stops listening. */
  install(target: Emitter = process, forceExit: (code: number) => void = (code) => process.exit(code)): () => void {
    const listener = (signal: StopSignal) => this.stop(signal, forceExit);
    const bound = STOP_SIGNALS.map((signal) => [signal, () => listener(signal)] as const);
    for (const [signal, handler] of bound) target.on(signal, handler);
    return () => {
      for (const [signal, handler] of bound) target.off(signal, handler);
    };
  }

  /** Called on the first stop signal (and at once if one already came); returns the unsubscribe. */
  onStop(handler: (signal: StopSignal) => void): () => void {
    if (this.received) handler(this.received);
    this.handlers.add(handler);
    return () => void this.handlers.delete(handler);
  }

  /** One stop; a second Ctrl-C or SIGTERM while stopping leaves at once. */
  stop(signal: StopSignal, forceExit: (code: number) => void = (code) => process.exit(code)): void {
    this.count += 1;
    if (this.count > 1) {
      // A hang-up after a hang-up changes nothing: the cleanup already runs.
      if (signal !== 'SIGHUP') forceExit(exitCodeForSignal(this.received ?? signal));
      return;
    }
    this.received = signal;
    this.controller.abort(new StoppedBySignal(signal));
    for (const handler of [...this.handlers]) handler(signal);
  }
}
