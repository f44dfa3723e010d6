/**
 * Renders a component the way the wizard does, at a chosen terminal size and
 * with chosen terminal capabilities, and types into it. ink-testing-library
 * is fixed at 100 columns; this stdout's `columns` / `rows` can be set and
 * changed (with a 'resize' event) to test reflow.
 */
import { EventEmitter } from 'node:events';
import { render as inkRender, type Instance } from 'ink';
import type { ReactElement } from 'react';
import stringWidth from 'string-width';
import { KeyHintsProvider, type KeyHint } from '../../components/KeyHints.js';
import { TerminalContext, type TerminalCaps } from '../../components/theme.js';

class FakeStdout extends EventEmitter {
  isTTY = true;
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const UNICODE: TerminalCaps = { color: true, unicode: true, hyperlinks: false };
export const ASCII: TerminalCaps = { color: true, unicode: false, hyperlinks: false };

export interface Rendered {
  /** The last frame, ANSI codes stripped. */
  frame(): string;
  /** The last frame with all whitespace (line breaks too) collapsed: for phrases that may wrap. */
  text(): string;
  /** The last frame as written, with its escape codes. */
  rawFrame(): string;
  /** The keys the step declared for the footer. */
  hints(): KeyHint[];
  /** Types text (one chunk, like a paste) or a named key, then waits for Ink to settle. */
  type(text: string): Promise<void>;
  press(key: keyof typeof KEYS): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  rerender(tree: ReactElement): void;
  unmount(): void;
}

export const KEYS = {
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlF: '\u0006',
  ctrlR: '\u0012',
} as const;

const ANSI = /\u001B\][^\u0007]*\u0007|\u001B\[[0-9;?]*[A-Za-z]/g;
export const stripAnsi = (text: string) => text.replace(ANSI, '');
export const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

const mounted: Instance[] = [];

export function renderAt(tree: ReactElement, options: { columns?: number; rows?: number; caps?: TerminalCaps } = {}): Rendered {
  const stdout = new FakeStdout(options.columns ?? 100, options.rows ?? 30);
  const stdin = new FakeStdin();
  let hints: KeyHint[] = [];
  const wrap = (node: ReactElement) => (
    <TerminalContext.Provider value={options.caps ?? UNICODE}>
      <KeyHintsProvider onChange={(next) => (hints = next)}>{node}</KeyHintsProvider>
    </TerminalContext.Provider>
  );
  const instance = inkRender(wrap(tree), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout(100, 30) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  mounted.push(instance);
  const raw = () => stdout.frames.at(-1) ?? '';
  return {
    frame: () => stripAnsi(raw()),
    rawFrame: raw,
    text: () => stripAnsi(raw()).replace(/\s+/g, ' '),
    hints: () => hints,
    async type(text) {
      stdin.write(text);
      await settle();
    },
    async press(key) {
      stdin.write(KEYS[key]);
      // A lone Escape waits for a possible sequence before Ink reports it.
      await settle(key === 'escape' ? 80 : 30);
    },
    async resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await settle();
    },
    rerender: (node) => instance.rerender(wrap(node)),
    unmount: () => instance.unmount(),
  };
}

export function unmountAll(): void {
  for (const instance of mounted.splice(0)) instance.unmount();
}

/** Display width of the widest line. */
export function widestLine(frame: string): number {
  return Math.max(0, ...frame.split('\n').map((line) => stringWidth(line)));
}

export const hintText = (hints: KeyHint[]) => hints.map((hint) => `${hint.keys} ${hint.label}`).join(' | ');
