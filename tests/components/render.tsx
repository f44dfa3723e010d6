/**
 * Renders a component the way the wizard does (one keyboard reader, the
 * shell's context), at a chosen terminal size and with chosen capabilities,
 * and types into it. Ink writes a frame for every render (debug mode), so
 * after a key the test waits for the frames to settle: until a pass of the
 * event loop brings no new frame — never a fixed sleep.
 */
import { EventEmitter } from 'node:events';
import { render as inkRender, useStdout, type Instance } from 'ink';
import { useEffect, useState, type ReactElement } from 'react';
import stringWidth from 'string-width';
import { Header, headerRows } from '../../components/Header.js';
import { sizeOf, type TerminalSize } from '../../components/hooks.js';
import { KeyRouterProvider } from '../../components/keys.js';
import { ShellContext } from '../../components/shell.js';
import type { ShellFrame } from '../../components/shell.js';
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
export const NO_COLOR: TerminalCaps = { color: false, unicode: true, hyperlinks: false };

export interface Hint {
  keys: string;
  label: string;
}

export interface Rendered {
  /** The last frame, ANSI codes stripped. */
  frame(): string;
  /** The last frame with all whitespace (line breaks too) collapsed: for phrases that may wrap. */
  text(): string;
  /** The last frame as written, with its escape codes. */
  rawFrame(): string;
  /** The key hints under the step, read off the frame ("Enter send code · Esc back · Ctrl-C quit"). */
  hints(): Hint[];
  /** Types text (one chunk, like a paste) or a named key, then waits for the frames to settle. */
  type(text: string): Promise<void>;
  press(key: keyof typeof KEYS): Promise<void>;
  /** Waits (by event-loop passes, bounded) until the frame shows `expected`. */
  waitFor(expected: string | RegExp): Promise<string>;
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
  right: '\u001B[C',
  backspace: '\u007F',
  ctrlA: '\u0001',
  ctrlC: '\u0003',
  ctrlE: '\u0005',
  ctrlF: '\u0006',
  ctrlK: '\u000B',
  ctrlR: '\u0012',
  ctrlU: '\u0015',
  ctrlW: '\u0017',
} as const;

const ANSI = /\u001B\][^\u0007]*\u0007|\u001B\[[0-9;?]*[A-Za-z]/g;
export const stripAnsi = (text: string) => text.replace(ANSI, '');
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const mounted: Instance[] = [];

/** Waits until a pass of the event loop brings no new frame (effects and their renders done). */
async function settleFrames(stdout: FakeStdout): Promise<void> {
  let seen = -1;
  for (let pass = 0; pass < 50 && seen !== stdout.frames.length; pass++) {
    seen = stdout.frames.length;
    await tick();
    await tick();
  }
}

/** The hints of the footer: the line(s) ending in "Ctrl-C quit", split at the separators. */
export function hintsOf(frame: string): Hint[] {
  const lines = frame.split('\n');
  const last = lines.findIndex((line) => /Ctrl-C quit\s*$/.test(line));
  if (last < 0) return [];
  let first = last;
  while (first > 0 && lines[first - 1]!.trim() !== '') first--;
  const text = lines
    .slice(first, last + 1)
    .map((line) => line.trim())
    .join(' ');
  return text
    .split(/ [·|] /)
    .map((part) => part.trim())
    .filter((part) => part !== 'Ctrl-C quit')
    .map((part) => {
      const at = part.indexOf(' ');
      return { keys: part.slice(0, at), label: part.slice(at + 1) };
    });
}

/** The header the wizard draws on a verification step, for screens rendered in the shell's frame. */
const TEST_HEADER = { target: 'Beeper Server 4.2.1 on 127.0.0.1:23373', phase: 2 };

/** The shell's frame at the fake terminal's size (following resizes): header, no debug lines, an optional panel. */
/**
 * The fake terminal's size, updated on each of its resizes: what useFrameSize reads, without the
 * clearing and Ink's redraw that a real terminal's resize needs (they would land in the frames).
 */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    onResize();
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  return size;
}

function TestShell({ finished, onWhole, children }: { finished: boolean; onWhole?: ((whole: boolean) => void) | undefined; children: ReactElement }) {
  const { columns, rows } = useTerminalSize();
  const frame: ShellFrame = {
    window: { columns, rows },
    header: (width) => <Header {...TEST_HEADER} width={width} />,
    headerRowsAt: (width) => headerRows({ ...TEST_HEADER, width }),
    debugLines: [],
  };
  return <ShellContext.Provider value={{ finished, frame, onWhole }}>{children}</ShellContext.Provider>;
}

export interface RenderOptions {
  columns?: number;
  rows?: number;
  caps?: TerminalCaps;
  finished?: boolean;
  /** Draw the screen in the shell's frame (header, room, the rule for what must be seen whole); else it has no limit. */
  shell?: boolean;
  /** With `shell`: told whether content that must be seen whole is drawn whole. */
  onWhole?: (whole: boolean) => void;
}

export function renderAt(tree: ReactElement, options: RenderOptions = {}): Rendered {
  const stdout = new FakeStdout(options.columns ?? 100, options.rows ?? 30);
  const stdin = new FakeStdin();
  const finished = options.finished ?? false;
  const wrap = (node: ReactElement) => (
    <TerminalContext.Provider value={options.caps ?? UNICODE}>
      <KeyRouterProvider>
        {options.shell ? (
          <TestShell finished={finished} onWhole={options.onWhole}>
            {node}
          </TestShell>
        ) : (
          <ShellContext.Provider value={{ finished }}>{node}</ShellContext.Provider>
        )}
      </KeyRouterProvider>
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
  const frame = () => stripAnsi(raw());
  return {
    frame,
    rawFrame: raw,
    text: () => frame().replace(/\s+/g, ' '),
    hints: () => hintsOf(frame()),
    async type(text) {
      await settleFrames(stdout);
      stdin.write(text);
      await settleFrames(stdout);
    },
    async press(key) {
      await settleFrames(stdout);
      stdin.write(KEYS[key]);
      await settleFrames(stdout);
    },
    async waitFor(expected) {
      const matches = () => {
        const current = frame();
        return typeof expected === 'string' ? current.replace(/\s+/g, ' ').includes(expected) || current.includes(expected) : expected.test(current);
      };
      for (let pass = 0; pass < 500 && !matches(); pass++) await tick();
      if (!matches()) throw new Error(`The frame never showed ${String(expected)}:\n${frame()}`);
      return frame();
    },
    async resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await settleFrames(stdout);
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

export const hintText = (hints: Hint[]) => hints.map((hint) => `${hint.keys} ${hint.label}`).join(' | ');
