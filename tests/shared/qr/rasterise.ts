/**
 * A tiny terminal emulator for QR tests: reads lines of half blocks and SGR
 * colour codes the way a terminal would show them under a given colour
 * scheme, and turns them into a grey image a QR decoder can read.
 */
import jsQR from 'jsqr';

/** Grey levels (0 black … 255 white) a terminal uses where no colour is set. */
export interface TerminalTheme {
  name: string;
  defaultFg: number;
  defaultBg: number;
}

export const LIGHT_ON_DARK: TerminalTheme = { name: 'light-on-dark', defaultFg: 255, defaultBg: 0 };
export const DARK_ON_LIGHT: TerminalTheme = { name: 'dark-on-light', defaultFg: 0, defaultBg: 255 };

/** Grey level of the 16-colour codes QR drawings may use (xterm's palette). */
const FG_GREY = new Map([
  [30, 0],
  [37, 229],
  [90, 127],
  [97, 255],
]);
const BG_GREY = new Map([...FG_GREY].map(([code, grey]) => [code + 10, grey]));

export type Token = { sgr: number[] } | { glyph: string };

/** Splits a line into SGR sequences and single characters; any other escape is an error. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\u001b\[([0-9;]*)m|\u001b|[^\u001b]/gu;
  for (const match of line.matchAll(pattern)) {
    if (match[0] === '\u001b') throw new Error(`Unsupported escape sequence at ${match.index}: ${JSON.stringify(line.slice(match.index))}`);
    if (match[1] !== undefined) tokens.push({ sgr: match[1] === '' ? [0] : match[1].split(';').map(Number) });
    else tokens.push({ glyph: match[0] });
  }
  return tokens;
}

/** One character cell: its glyph and the SGR colour codes in effect (undefined: the theme's default). */
export interface Cell {
  glyph: string;
  fg: number | undefined;
  bg: number | undefined;
}

/** The cells of one line, applying SGR codes as a terminal does. */
export function parseCells(line: string): Cell[] {
  let fg: number | undefined;
  let bg: number | undefined;
  const cells: Cell[] = [];
  for (const token of tokenize(line)) {
    if ('glyph' in token) {
      cells.push({ glyph: token.glyph, fg, bg });
      continue;
    }
    for (const code of token.sgr) {
      if (code === 0) [fg, bg] = [undefined, undefined];
      else if (code === 39) fg = undefined;
      else if (code === 49) bg = undefined;
      else if (FG_GREY.has(code)) fg = code;
      else if (BG_GREY.has(code)) bg = code;
      else throw new Error(`Unsupported SGR code ${code} in ${JSON.stringify(line)}`);
    }
  }
  return cells;
}

/** Grey levels of a cell's top and bottom halves under `theme`. */
export function cellHalves(cell: Cell, theme: TerminalTheme): [top: number, bottom: number] {
  const fg = cell.fg === undefined ? theme.defaultFg : (FG_GREY.get(cell.fg) ?? theme.defaultFg);
  const bg = cell.bg === undefined ? theme.defaultBg : (BG_GREY.get(cell.bg) ?? theme.defaultBg);
  switch (cell.glyph) {
    case ' ':
      return [bg, bg];
    case '█':
      return [fg, fg];
    case '▀':
      return [fg, bg];
    case '▄':
      return [bg, fg];
    default:
      throw new Error(`Unexpected glyph ${JSON.stringify(cell.glyph)} in a QR drawing`);
  }
}

/** The picture as module-sized grey squares, one row per half cell. Rows may differ in length if lines do. */
export function halfCellGrid(lines: string[], theme: TerminalTheme): number[][] {
  return lines.flatMap((line) => {
    const halves = parseCells(line).map((cell) => cellHalves(cell, theme));
    return [halves.map(([top]) => top), halves.map(([, bottom]) => bottom)];
  });
}

export interface RasteriseOptions {
  /** Pixels per module side. */
  scale?: number;
  /** Modules of margin around the drawing, as a generous camera frame would include. */
  marginModules?: number;
  /** Grey level of that margin; light by default. */
  marginGrey?: number;
}

export interface GreyImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** RGBA pixels of `lines` as shown under `theme`: each cell is one module wide and two tall. */
export function rasterise(lines: string[], theme: TerminalTheme, options: RasteriseOptions = {}): GreyImage {
  const { scale = 4, marginModules = 8, marginGrey = 255 } = options;
  const grid = halfCellGrid(lines, theme);
  const columns = Math.max(0, ...grid.map((row) => row.length));
  const width = (columns + 2 * marginModules) * scale;
  const height = (grid.length + 2 * marginModules) * scale;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const row = Math.floor(y / scale) - marginModules;
      const col = Math.floor(x / scale) - marginModules;
      const grey = grid[row]?.[col] ?? marginGrey;
      data.set([grey, grey, grey, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** The decoded bytes, reading only dark-on-light codes as most phone scanners do; null when nothing decodes. */
export function decodeDrawing(lines: string[], theme: TerminalTheme, options: RasteriseOptions = {}): number[] | null {
  const image = rasterise(lines, theme, options);
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.binaryData ?? null;
}
