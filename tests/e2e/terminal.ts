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
  /**
   * The terminal's width when each of `screens` was captured; undefined for a screen caught
   * after a resize, before the CLI redrew (tmux's reflow of the old frame, which `-J` joins back).
   */
  readonly screenColumns: (number | undefined)[] = [];
  /** Resized, and no screen drawn for the new size was waited for yet. */
  private redrawing = false;
  columns: number;
  rows: number;
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
    if (this.screens.at(-1) !== text) {
      this.screens.push(text);
      this.screenColumns.push(this.redrawing ? undefined : this.columns);
    }
    return text;
  }

  /** The screen with its colours (capture-pane -e), line by line as the terminal holds it, trailing spaces kept (-N): a QR code's last row is all light spaces. */
  colorScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-N');
  }

  /** The screen with whitespace collapsed, for phrases that may wrap. */
  text(): string {
    return this.screen().replace(/\s+/g, ' ');
  }

  /**
   * Waits for a screen showing `expected`. After a resize, only a screen that fits the new width
   * counts (not tmux's reflow of the old frame); the screens before it are not checked for width.
   */
  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    return this.waitForScreen((screen) => matches(screen) || matches(screen.replace(/\s+/g, ' ')), String(expected), timeoutMs);
  }

  /** Waits for a screen `wanted` accepts (after a resize, one that fits the new width). */
  async waitForScreen(wanted: (screen: string) => boolean, description: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      const drawnForSize = !this.redrawing || overWide(screen, this.columns).length === 0;
      if (drawnForSize && wanted(screen)) {
        if (this.redrawing) {
          this.redrawing = false;
          this.screenColumns[this.screenColumns.length - 1] = this.columns;
        }
        return screen;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}. Screen:\n${screen}`);
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

  /** Resizes the window, as dragging its corner does (SIGWINCH for the CLI). */
  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', '0', '-x', String(columns), '-y', String(rows));
    this.columns = columns;
    this.rows = rows;
    this.redrawing = true;
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

/**
 * The QR code on a colour capture, wherever it stands on its rows (alone, or left of the header
 * and words): on each row, the run of cells in the code's explicit colours (black or bright
 * white background), rebuilt as lines the rasteriser (tests/shared/qr/rasterise.ts) reads.
 */
export function qrCode(colorScreen: string): string[] {
  const rows: string[] = [];
  for (const line of colorScreen.split('\n')) {
    let fg: number | undefined;
    let bg: number | undefined;
    let run = '';
    let cells = 0;
    let best = { text: '', cells: 0 };
    for (const match of line.matchAll(/\u001b\[([0-9;]*)m|[^\u001b]/gu)) {
      if (match[1] !== undefined) {
        for (const code of (match[1] || '0').split(';').map(Number)) {
          if (code === 0) [fg, bg] = [undefined, undefined];
          else if (code === 39 || code === 30 || code === 97) fg = code === 39 ? undefined : code;
          else if (code === 49 || code === 40 || code === 107) bg = code === 49 ? undefined : code;
        }
        continue;
      }
      const glyph = match[0];
      // A space shows only its background; a half block needs its foreground too.
      if ((bg === 40 || bg === 107) && (glyph === ' ' || ((fg === 30 || fg === 97) && /^[▀▄]$/.test(glyph)))) {
        run += `\u001b[${fg ?? 30};${bg}m${glyph}`;
        cells += 1;
        continue;
      }
      if (cells > best.cells) best = { text: run, cells };
      run = '';
      cells = 0;
    }
    if (cells > best.cells) best = { text: run, cells };
    if (best.cells >= 20) rows.push(`${best.text}\u001b[0m`);
  }
  return rows;
}
