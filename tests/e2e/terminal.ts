/**
 * Runs the built CLI in a real pseudo-terminal: a tmux server on its own
 * socket, one session of a fixed size. Tests wait for screens (polling
 * capture-pane), never for a fixed time; every distinct screen seen while
 * waiting is kept, so a test can check all of them (widths, QR codes, secrets).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

let counter = 0;
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface TerminalOptions {
  args: string[];
  columns?: number;
  rows?: number;
  /** Added to a clean environment (CI and TMUX removed, UTF-8 locale). */
  env?: Record<string, string>;
}

export class Terminal {
  readonly screens: string[] = [];
  readonly columns: number;
  readonly rows: number;
  private readonly socket: string;
  private readonly exitFile: string;

  private constructor(options: TerminalOptions) {
    this.columns = options.columns ?? 100;
    this.rows = options.rows ?? 30;
    this.socket = `beeper-setup-e2e-${process.pid}-${++counter}`;
    this.exitFile = join(mkdtempSync(join(tmpdir(), 'beeper-setup-e2e-')), 'exit');
    const env = { LANG: 'C.UTF-8', LC_ALL: '', TERM: 'xterm-256color', ...options.env };
    const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
    const command = [
      `cd ${quote(ROOT)} &&`,
      'env -u CI -u TMUX -u NO_COLOR',
      ...assignments,
      quote(process.execPath),
      quote(CLI),
      ...options.args.map(quote),
      `; echo $? > ${quote(this.exitFile)}; sleep 3600`,
    ].join(' ');
    const tmuxEnv = { ...process.env };
    delete tmuxEnv.TMUX;
    delete tmuxEnv.CI;
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(this.columns), '-y', String(this.rows), command], {
      env: tmuxEnv,
    });
  }

  static start(options: TerminalOptions): Terminal {
    return new Terminal(options);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen; lines the terminal wrapped are joined back (-J), trailing blank lines dropped. */
  screen(): string {
    const text = this.tmux('capture-pane', '-p', '-J').replace(/\s+$/, '');
    if (this.screens.at(-1) !== text) this.screens.push(text);
    return text;
  }

  /** The screen with its colours (capture-pane -e), line by line as the terminal holds it. */
  colorScreen(): string {
    return this.tmux('capture-pane', '-p', '-e');
  }

  /** The screen with whitespace collapsed, for phrases that may wrap. */
  text(): string {
    return this.screen().replace(/\s+/g, ' ');
  }

  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    for (;;) {
      const screen = this.screen();
      if (matches(screen) || matches(screen.replace(/\s+/g, ' '))) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(expected)}. Screen:\n${screen}`);
      await pause(50);
    }
  }

  /** Waits until `expected` is no longer on the screen (a screen was left). */
  async waitGone(expected: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (!screen.replace(/\s+/g, ' ').includes(expected)) return screen;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${expected} to go. Screen:\n${screen}`);
      await pause(50);
    }
  }

  /** Literal text, as if typed or pasted. The wizard reads every key (components/keys.tsx): no pause is needed. */
  type(text: string): void {
    this.tmux('send-keys', '-t', '0', '-l', text);
  }

  /** A named key: Enter, Escape, Tab, Down, Up, C-c, C-r … */
  press(key: string): void {
    this.tmux('send-keys', '-t', '0', key);
  }

  /** The pid of the CLI (the shell's child), for signals. */
  pid(): number {
    const shell = this.tmux('display-message', '-p', '-t', '0', '#{pane_pid}').trim();
    const child = execFileSync('pgrep', ['-P', shell, '-f', 'dist/cli.js'], { encoding: 'utf8' }).trim().split('\n')[0];
    return Number(child);
  }

  async exitCode(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.exitFile) || readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`The CLI did not exit. Screen:\n${this.screen()}`);
      await pause(50);
    }
    this.screen();
    return Number(readFileSync(this.exitFile, 'utf8').trim());
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}

/** Lines wider than the terminal (after -J joined what the terminal had to wrap). */
export function overWide(screen: string, columns: number): string[] {
  return screen.split('\n').filter((line) => [...line].length > columns);
}

/**
 * The QR codes on a screen must be whole: rows of half blocks (and, in colour, spaces)
 * of one width, as many as half the module count rounded up. Checked on the colour
 * capture, where every QR row starts with its explicit colours.
 */
export function qrRows(colorScreen: string): string[] {
  const sgr = /\u001b\[[0-9;]*m/g;
  return colorScreen.split('\n').filter((line) => {
    const plain = line.replace(sgr, '');
    // A row of the code: half blocks and spaces only, and explicit light/dark background colours.
    return /^\s*[▀▄█ ]{20,}\s*$/.test(plain) && /[▀▄]/.test(plain) && /\u001b\[(?:[0-9;]*;)?(?:107|40)m/.test(line);
  });
}
