// One program in a real pseudo-terminal (node-pty): everything it writes is kept with
// arrival times, so a row can ask when a text first showed, or how many bytes and
// erase-line sequences arrived between two marks.
import { createRequire } from 'node:module';
import { excerpt, now, since } from './stats.mjs';

const require = createRequire(import.meta.url);
const pty = require('@lydell/node-pty');

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte escapes, then C0 controls but \n.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|[\u0000-\u0009\u000b-\u001f\u007f]/g;
const ERASE_LINE = /\u001b\[[0-2]?K/g;

export const stripAnsi = (text) => text.replace(ANSI, '');
const squash = (text) => text.replace(/\s+/g, ' ');

export class PtySession {
  /** @param {{file: string, args: string[], env: Record<string,string>, cwd?: string, cols?: number, rows?: number}} options */
  constructor({ file, args, env, cwd, cols = 100, rows = 30 }) {
    this.raw = '';
    this.bytes = 0;
    /** Milliseconds from spawn to the first chunk holding a printable character. */
    this.firstPrintableMs = undefined;
    this.waiters = [];
    this.started = now();
    this.child = pty.spawn(file, args, { name: env.TERM ?? 'xterm-256color', cols, rows, cwd, env });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => {
      this.child.onExit(({ exitCode, signal }) => {
        this.exit = { exitCode, signal, ms: since(this.started) };
        for (const waiter of this.waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`exited (code ${exitCode}, signal ${signal}) before showing ${JSON.stringify(waiter.text)}; last output:\n${this.tail()}`));
        }
        resolve(this.exit);
      });
    });
    this.child.onData((chunk) => this.receive(chunk));
  }

  receive(chunk) {
    const ms = since(this.started);
    this.raw += chunk;
    this.bytes += Buffer.byteLength(chunk);
    if (this.firstPrintableMs === undefined && /\S/.test(stripAnsi(chunk))) this.firstPrintableMs = ms;
    for (const waiter of [...this.waiters]) {
      if (!squash(stripAnsi(this.raw.slice(waiter.from))).includes(waiter.text)) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      clearTimeout(waiter.timer);
      waiter.resolve(ms);
    }
  }

  /** Where the output stands now: pass it to waitFor (from), traffic (between marks). */
  mark() {
    return { offset: this.raw.length, bytes: this.bytes, ms: since(this.started) };
  }

  /**
   * Resolves with the milliseconds since spawn at which `text` (whitespace collapsed, ANSI
   * stripped) first appeared in the output after `from` (a mark, or 0 for everything).
   */
  waitFor(text, { from = { offset: 0 }, timeoutMs = 15_000 } = {}) {
    const wanted = squash(text);
    if (squash(stripAnsi(this.raw.slice(from.offset))).includes(wanted)) return Promise.resolve(since(this.started));
    if (this.exit) return Promise.reject(new Error(`exited before showing ${JSON.stringify(text)}; last output:\n${this.tail()}`));
    return new Promise((resolve, reject) => {
      const waiter = { text: wanted, from: from.offset, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(text)}; last output:\n${this.tail()}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Bytes, erase-line sequences and elapsed time between two marks. */
  traffic(start, end) {
    const slice = this.raw.slice(start.offset, end.offset);
    return { bytes: end.bytes - start.bytes, eraseLines: slice.match(ERASE_LINE)?.length ?? 0, ms: end.ms - start.ms };
  }

  write(text) {
    this.child.write(text);
  }

  /** The end of the output as text, for error messages. */
  tail(count = 12) {
    return excerpt(stripAnsi(this.raw.slice(-20_000)), count);
  }

  /** Kills the program (SIGKILL: nothing to clean up that matters here) and waits for it to be gone. */
  async kill() {
    if (!this.exit) {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
    return this.exited;
  }
}
