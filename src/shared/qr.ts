/**
 * Verification QR codes for the terminal: which bytes go in the code, and how
 * to draw it so phones can scan it whatever the terminal's colour scheme.
 *
 * Drawn with explicit colours on every cell (dark modules black, light ones
 * bright white, a light quiet zone around), because half blocks in the
 * terminal's default colours come out inverted on dark-on-light terminals and
 * many scanners refuse inverted codes. Without colour (NO_COLOR) the drawing
 * assumes light text on a dark background; the caller says so in words.
 */
import { Buffer } from 'node:buffer';
// @ts-expect-error -- qrcode-terminal ships no types for its vendored encoder; the part used is typed below.
import VendoredQRCode from 'qrcode-terminal/vendor/QRCode/index.js';

/** The part of qrcode-terminal's vendored encoder (Kazuhiko Arase's QRCode) used here. */
interface QrEncoder {
  addData(data: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
}
const QrEncoder = VendoredQRCode as new (typeNumber: number, errorCorrectLevel: number) => QrEncoder;

/** Version -1 lets the encoder pick the smallest version that fits. */
const AUTO_VERSION = -1;
/** QRErrorCorrectLevel.L in the vendored encoder (its table: L 1, M 0, Q 3, H 2). */
const ERROR_CORRECTION_L = 1;
/** Byte-mode capacity of the largest code (version 40) at level L. */
export const QR_MAX_BYTES = 2953;

/** Light modules around the code; the spec asks for 4, scanners cope with 2 and terminals are small. */
export const DEFAULT_QUIET_ZONE = 2;

/** Ends every coloured line so no colour bleeds into what follows. */
export const SGR_RESET = '\u001b[0m';

const MATRIX_MAGIC = Buffer.from('MATRIX', 'latin1');

/**
 * The bytes to put in the QR code for `verification.qr.data`.
 * (a) base64 (standard or URL-safe, padded or not, whitespace ignored) of a
 *     binary Matrix payload (starting with `MATRIX`): the decoded bytes;
 * (b) the binary payload itself as a string (`MATRIX` then code units ≤ 0xFF):
 *     one byte per code unit;
 * (c) anything else: the string's UTF-8 bytes.
 */
export function qrPayloadBytes(data: string): Uint8Array {
  const decoded = decodeBase64(data);
  if (decoded && startsWithMatrix(decoded)) return decoded;
  if (data.startsWith('MATRIX') && isLatin1(data)) return new Uint8Array(Buffer.from(data, 'latin1'));
  return new TextEncoder().encode(data);
}

/**
 * The module matrix of a QR code holding exactly `bytes` in byte mode at
 * error correction level L; `true` is a dark module. Rows top to bottom.
 * Throws a RangeError when the bytes do not fit in any QR code.
 */
export function qrModules(bytes: Uint8Array): boolean[][] {
  if (bytes.length > QR_MAX_BYTES) {
    throw new RangeError(`A QR code holds at most ${QR_MAX_BYTES} bytes; this payload has ${bytes.length}.`);
  }
  const encoder = new QrEncoder(AUTO_VERSION, ERROR_CORRECTION_L);
  // The vendored 8-bit mode counts UTF-16 code units and writes the low 8 bits
  // of each, so a string with one code unit per byte (latin1) is exact.
  encoder.addData(Buffer.from(bytes).toString('latin1'));
  encoder.make();
  const size = encoder.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => encoder.isDark(row, col)));
}

export interface RenderQrOptions {
  /** false under NO_COLOR: plain half blocks that read right only on a light-on-dark terminal. */
  color: boolean;
  /** Light modules on each side; default 2. */
  quietZone?: number;
}

/**
 * Terminal lines (one per character row, two modules stacked per cell) for a
 * module matrix from {@link qrModules}, quiet zone included. With colour every
 * cell has an explicit foreground and background, SGR codes are sent only when
 * they change, and each line ends with {@link SGR_RESET}.
 */
export function renderQr(modules: boolean[][], options: RenderQrOptions): string[] {
  const grid = withQuietZone(modules, options.quietZone ?? DEFAULT_QUIET_ZONE);
  const lightRow = new Array<boolean>(grid[0]?.length ?? 0).fill(false);
  const lines: string[] = [];
  for (let row = 0; row < grid.length; row += 2) {
    const top = grid[row] ?? lightRow;
    // An odd last row gets a light bottom half: more quiet zone, never less.
    const bottom = grid[row + 1] ?? lightRow;
    lines.push(options.color ? colourLine(top, bottom) : plainLine(top, bottom));
  }
  return lines;
}

/** Columns and rows {@link renderQr} takes for a code of `moduleCount` modules a side. */
export function qrSize(moduleCount: number, quietZone = DEFAULT_QUIET_ZONE): { columns: number; rows: number } {
  const side = moduleCount + 2 * quietZone;
  return { columns: side, rows: Math.ceil(side / 2) };
}

let lastCount: { data: string; modules: number } | undefined;

/** Modules a side of the code for `verification.qr.data` (remembered for the last payload: the flow asks every poll). */
export function qrModuleCount(data: string): number {
  if (lastCount?.data !== data) lastCount = { data, modules: qrModules(qrPayloadBytes(data)).length };
  return lastCount.modules;
}

/** `verification.qr.data` to terminal lines: payload rule, encoder and drawing in one call. */
export function drawQr(data: string, options: RenderQrOptions): string[] {
  return renderQr(qrModules(qrPayloadBytes(data)), options);
}

/** Base64 in either alphabet, padded or not; undefined when `text` is not base64. */
function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  const body = compact.replace(/={1,2}$/, '');
  // Padding, when present, completes the last group of four.
  if (body !== compact && compact.length % 4 !== 0) return undefined;
  if (body.length % 4 === 1 || !/^[A-Za-z0-9+/_-]*$/.test(body)) return undefined;
  return new Uint8Array(Buffer.from(body.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function startsWithMatrix(bytes: Uint8Array): boolean {
  return bytes.length >= MATRIX_MAGIC.length && MATRIX_MAGIC.every((byte, i) => bytes[i] === byte);
}

function isLatin1(text: string): boolean {
  return /^[\u0000-\u00ff]*$/.test(text);
}

function withQuietZone(modules: boolean[][], quietZone: number): boolean[][] {
  if (!Number.isInteger(quietZone) || quietZone < 0) {
    throw new RangeError(`The quiet zone must be a whole number of modules, not ${quietZone}.`);
  }
  const width = (modules[0]?.length ?? 0) + 2 * quietZone;
  const margin = new Array<boolean>(quietZone).fill(false);
  const blank = () => new Array<boolean>(width).fill(false);
  return [
    ...Array.from({ length: quietZone }, blank),
    ...modules.map((row) => [...margin, ...row, ...margin]),
    ...Array.from({ length: quietZone }, blank),
  ];
}

/** 16-colour SGR parameters every terminal has; `true` is dark. */
const FG = { dark: 30, light: 97 } as const;
const BG = { dark: 40, light: 107 } as const;
const fgCode = (dark: boolean) => (dark ? FG.dark : FG.light);
const bgCode = (dark: boolean) => (dark ? BG.dark : BG.light);

/**
 * A cell row in explicit colours. Uniform cells are spaces in the background
 * colour (no glyph edges to show); mixed cells use ▀ or ▄, whichever needs
 * fewer colour changes from the colours already in effect.
 */
function colourLine(top: boolean[], bottom: boolean[]): string {
  let fg: boolean | undefined;
  let bg: boolean | undefined;
  let line = '';
  top.forEach((upper, col) => {
    const lower = bottom[col] ?? false;
    let glyph: string;
    let wantFg: boolean;
    let wantBg: boolean;
    if (upper === lower) {
      glyph = ' ';
      wantBg = upper;
      // The foreground is invisible here; keep it, or start it opposite the background as the next mixed cell needs.
      wantFg = fg ?? !upper;
    } else {
      const changes = (f: boolean, b: boolean) => Number(fg !== f) + Number(bg !== b);
      const upperHalf = changes(upper, lower) <= changes(lower, upper);
      glyph = upperHalf ? '▀' : '▄';
      wantFg = upperHalf ? upper : lower;
      wantBg = upperHalf ? lower : upper;
    }
    const params: number[] = [];
    if (fg !== wantFg) params.push(fgCode(wantFg));
    if (bg !== wantBg) params.push(bgCode(wantBg));
    if (params.length > 0) line += `\u001b[${params.join(';')}m`;
    fg = wantFg;
    bg = wantBg;
    line += glyph;
  });
  return line + SGR_RESET;
}

/** A cell row in the default colours, taking the foreground (ink) as light. */
function plainLine(top: boolean[], bottom: boolean[]): string {
  return top
    .map((upperDark, col) => {
      const lowerDark = bottom[col] ?? false;
      if (!upperDark && !lowerDark) return '█';
      if (!upperDark) return '▀';
      if (!lowerDark) return '▄';
      return ' ';
    })
    .join('');
}
