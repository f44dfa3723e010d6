/**
 * Runs the built CLI in a real pseudo-terminal: a tmux server on its own
 * socket, one session of a fixed size. Every distinct screen seen while
 * waiting is kept, so a test can check all of them (widths, the QR code).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

let counter = 0;
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

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

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The visible screen; lines the terminal wrapped are joined back (-J), trailing blank lines dropped. */
  screen(): string {
    const text = this.tmux('capture-pane', '-p', '-J').replace(/\s+$/, '');
    if (this.screens.at(-1) !== text) this.screens.push(text);
    return text;
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
      await sleep(100);
    }
  }

  /** Literal text, as if typed or pasted. */
  async type(text: string): Promise<void> {
    this.tmux('send-keys', '-t', '0', '-l', text);
    await sleep(60);
  }

  /** A named key: Enter, Escape, Tab, Down, Up, C-c, C-r … */
  async press(key: string): Promise<void> {
    this.tmux('send-keys', '-t', '0', key);
    await sleep(key === 'Escape' ? 150 : 60);
  }

  async exitCode(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.exitFile) || readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`The CLI did not exit. Screen:\n${this.screen()}`);
      await sleep(100);
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lines wider than the terminal (after -J joined what the terminal had to wrap). */
export function overWide(screen: string, columns: number): string[] {
  return screen.split('\n').filter((line) => [...line].length > columns);
}

/**
 * The QR codes on a screen must be whole: a top border of ▄, then one row of
 * half blocks per two modules (QR sizes are odd), each as wide as the border.
 */
export function cutQrCodes(screen: string): string[] {
  const lines = screen.split('\n').map((line) => line.trim());
  const problems: string[] = [];
  lines.forEach((line, index) => {
    if (!/^▄{20,}$/.test(line)) return;
    const expected = (line.length - 2 + 1) / 2;
    let rows = 0;
    while (/^█[█▀▄ ]+█$/.test(lines[index + 1 + rows] ?? '') && lines[index + 1 + rows]!.length === line.length) rows++;
    if (rows !== expected) problems.push(`QR code at line ${index}: ${rows} of ${expected} rows`);
  });
  if (/[▀▄█]{10,}/.test(screen) && !lines.some((line) => /^▄{20,}$/.test(line))) problems.push('QR rows without their top border');
  return problems;
}
