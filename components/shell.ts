/**
 * What the shell (Wizard) lends every screen: its header, warning line, debug
 * lines and demo panel, the window, and the arithmetic of the frame around a
 * step. Page.tsx draws the frame; Screen.tsx decides whether what a screen
 * must show whole fits in it (whole.ts).
 */
import { createContext, type ReactNode } from 'react';

export interface Size {
  columns: number;
  rows: number;
}

/** Columns of padding left and right of the frame. */
export const PAGE_PADDING = 1;
/** Columns between a figure drawn beside the page (the QR code) and the rest. */
export const FIGURE_GAP = 2;
/** The row under the header. */
export const HEADER_GAP = 1;
/**
 * A frame never reaches the terminal's last row: output as tall as the terminal makes
 * Ink clear the whole terminal, scrollback included, on every redraw.
 */
export const SPARE_ROWS = 1;

/** The demo panel, as the page needs it: the rows its must-see lines take, and how to draw it in the rows it gets. */
export interface PanelSlot {
  /** Rows the panel takes at the least: its lines that must be seen whole (the emailed code), or one line. */
  minRowsAt(width: number): number;
  /** The panel in at most `maxRows` rows (at least minRowsAt), `width` columns. */
  render(maxRows: number, width: number): ReactNode;
  /** The rows the panel got in the last frame (kept by the shell, so a new step starts with them), and the setter. */
  rows: number;
  onRows(rows: number): void;
}

/** The frame around every step, from the shell. */
export interface ShellFrame {
  /** The whole terminal. */
  window: Size;
  /** The header at `width` columns, and the rows it takes there (the header is pre-wrapped, so this is exact). */
  header(width: number): ReactNode;
  headerRowsAt(width: number): number;
  /** --debug: the latest request lines, one row each, under the step. */
  debugLines: string[];
  /** --demo: the panel under the step. */
  panel?: PanelSlot | undefined;
}

/** What the shell lends every screen. */
export interface ShellState {
  /** Shown between the body and the keys (connection trouble while not on a wait screen). */
  warning?: ReactNode;
  /** The run ended: no keys work any more, so none are shown. */
  finished: boolean;
  /** The frame; absent when a screen is rendered alone (tests), which then has no limit. */
  frame?: ShellFrame | undefined;
  /** A screen with content that must be seen whole says whether it is drawn whole now (the demo's phone scans only then). */
  onWhole?: ((whole: boolean) => void) | undefined;
}

export const ShellContext = createContext<ShellState>({ finished: false });

/** Rows the shell's own lines take at a column width: header, the gap under it, debug lines, the panel's least. */
function chromeRowsAt(frame: ShellFrame, width: number): number {
  return frame.headerRowsAt(width) + HEADER_GAP + frame.debugLines.length + (frame.panel ? frame.panel.minRowsAt(width) : 0);
}

/** The columns left for the header, the step and the panel, with a figure of `figureColumns` beside them. */
export function columnWidth(window: Size, figureColumns?: number): number {
  return window.columns - 2 * PAGE_PADDING - (figureColumns === undefined ? 0 : figureColumns + FIGURE_GAP);
}

/** The room a step gets (its keys included), with a figure of `figureColumns` beside the page. */
export function stepRoom(frame: ShellFrame, figureColumns?: number): Size {
  const columns = columnWidth(frame.window, figureColumns);
  return { columns, rows: frame.window.rows - SPARE_ROWS - chromeRowsAt(frame, columns) };
}

/** The smallest window in which a step of `step` columns and rows fits, with `figure` beside the page. */
export function windowFor(frame: ShellFrame, step: Size, figure?: Size): Size {
  const columns = step.columns + 2 * PAGE_PADDING + (figure ? figure.columns + FIGURE_GAP : 0);
  return { columns, rows: Math.max(figure?.rows ?? 0, step.rows + chromeRowsAt(frame, step.columns)) + SPARE_ROWS };
}
