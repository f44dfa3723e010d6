/**
 * Standard input, read one line at a time by one shared reader, so several
 * answers can come through one pipe (the code, then the recovery key, then
 * "yes"). Nothing reads stdin until an answer is needed, and every read is
 * preceded by a prompt that says what is awaited.
 */
import { fstatSync, statSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { isatty } from 'node:tty';

/** closed: fd 0 is not open; null: /dev/null; tty: a terminal; stream: a pipe, socket or file. */
export type StdinKind = 'closed' | 'null' | 'tty' | 'stream';

export function stdinKind(fd = 0): StdinKind {
  let stat;
  try {
    stat = fstatSync(fd);
  } catch {
    return 'closed';
  }
  if (isatty(fd)) return 'tty';
  if (stat.isCharacterDevice()) {
    try {
      if (statSync('/dev/null').rdev === stat.rdev) return 'null';
    } catch {
      // No /dev/null to compare with: assume it can be read.
    }
  }
  return 'stream';
}

export interface LineSource {
  /** False when nothing can ever come (closed, /dev/null, or already at its end). */
  canAsk(): boolean;
  /**
   * A terminal: the question goes on the line the answer is typed on (`prompt`),
   * as a person (or a screen reader) expects. Elsewhere it is a line of its own.
   */
  readonly terminal?: boolean;
  /**
   * The next line, or undefined at end of input. `secret` hides typing on a
   * terminal. An abort rejects with the signal's reason; a line typed later
   * stays queued for the next read. `fresh` drops lines that arrived before
   * this read: a confirmation must answer the question actually asked.
   */
  read(options?: { secret?: boolean; fresh?: boolean; signal?: AbortSignal; prompt?: string }): Promise<string | undefined>;
  close(): void;
}

export function createStdinLines(kind: StdinKind = stdinKind()): LineSource {
  const queue: string[] = [];
  let ended = kind === 'closed' || kind === 'null';
  let waiting: ((line: string | undefined) => void) | undefined;
  let rl: Interface | undefined;
  let muted = false;

  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });

  function open(): void {
    if (rl || ended) return;
    rl = createInterface({ input: process.stdin, output, terminal: kind === 'tty', crlfDelay: Infinity });
    rl.on('line', (line) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve(line);
      } else {
        queue.push(line);
      }
    });
    rl.on('close', () => {
      ended = true;
      waiting?.(undefined);
      waiting = undefined;
    });
    // A terminal in raw mode turns Ctrl-C into a readline event: hand it back as the signal.
    rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  }

  return {
    terminal: kind === 'tty',
    canAsk: () => queue.length > 0 || !ended,
    async read(options = {}) {
      if (options.fresh) queue.length = 0;
      if (queue.length > 0) return queue.shift();
      open();
      if (ended) return undefined;
      options.signal?.throwIfAborted();
      if (options.prompt !== undefined && rl) {
        // readline owns the line: it redraws the prompt on every edit (Ctrl-U, backspace).
        muted = false;
        rl.setPrompt(`${options.prompt} `);
        rl.prompt();
      }
      muted = !!options.secret && kind === 'tty';
      const { signal } = options;
      let onAbort: (() => void) | undefined;
      try {
        return await new Promise<string | undefined>((resolve, reject) => {
          waiting = resolve;
          if (!signal) return;
          onAbort = () => {
            if (waiting === resolve) waiting = undefined;
            reject(signal.reason);
          };
          signal.addEventListener('abort', onAbort, { once: true });
        });
      } finally {
        if (onAbort) signal?.removeEventListener('abort', onAbort);
        if (muted) process.stderr.write('\n');
        muted = false;
      }
    },
    close() {
      ended = true;
      rl?.close();
      waiting?.(undefined);
      waiting = undefined;
      if (rl) process.stdin.destroy();
    },
  };
}
