/**
 * One rule for what a person must see whole: a new recovery key, the seven
 * emojis, a QR code. A screen declares it (Screen's `whole` prop): what it is,
 * and the room each of its layouts takes. Screen then draws the first layout
 * that fits the frame, or instead a notice naming the window it needs; keys
 * that would act on what is not seen (KeyAction.needsWhole) do nothing
 * meanwhile and say why. Growing the window draws it whole again.
 */
import type { ReactNode } from 'react';
import { SPARE_ROWS, stepRoom, windowFor, type ShellFrame, type Size } from './shell.js';

/** One way to draw a screen whole. */
export interface WholeLayout {
  /** The narrowest the body can be drawn, in columns. */
  columns: number;
  /** Rows of the body (everything above the keys) at `width` ≥ columns. */
  rowsAt(width: number): number;
  /** A figure drawn beside everything else, header included (the QR code in a short, wide window). */
  beside?: { node: ReactNode; columns: number; rows: number } | undefined;
  /** The keys right under the body, without the usual empty row. */
  dense?: boolean | undefined;
}

/** What a screen must show whole. */
export interface Whole {
  /** Named in the notice: "your new recovery key", "the seven emojis", "the QR code". */
  what: string;
  /** Its layouts, the preferred first. */
  layouts: WholeLayout[];
  /** A sentence for the notice, after "make the window bigger": "Or press e to compare emojis instead." */
  instead?: string | undefined;
}

export interface WholeFit {
  /** The layout drawn, or undefined: the notice instead. */
  layout: number | undefined;
  /** The smallest window each layout fits, at the current width where it is wide enough. */
  windows: Size[];
}

/**
 * Which layout fits the frame. `keysRowsAt` counts the rows under the body (the keys and
 * the empty row above them, or none when dense); `extraRows`, lines the screen adds (a warning).
 */
export function fitWhole(whole: Whole, frame: ShellFrame, keysRowsAt: (width: number, dense: boolean) => number, extraRows = 0): WholeFit {
  const rowsAt = (layout: WholeLayout, width: number) => layout.rowsAt(width) + extraRows + keysRowsAt(width, !!layout.dense);
  let chosen: number | undefined;
  const windows = whole.layouts.map((layout, index) => {
    const room = stepRoom(frame, layout.beside?.columns);
    const fits =
      room.columns >= layout.columns &&
      rowsAt(layout, room.columns) <= room.rows &&
      (!layout.beside || layout.beside.rows <= frame.window.rows - SPARE_ROWS);
    if (fits && chosen === undefined) chosen = index;
    const width = Math.max(layout.columns, room.columns);
    return windowFor(frame, { columns: width, rows: rowsAt(layout, width) }, layout.beside);
  });
  return { layout: chosen, windows };
}

/** "60×29 or 77×24": the sizes, smallest first, without repeats or any that another size beats in both directions. */
export function describeSizes(windows: Size[]): string {
  const unique = [...new Map(windows.map((size) => [`${size.columns}×${size.rows}`, size])).values()].filter(
    (size) => !windows.some((other) => other.columns <= size.columns && other.rows <= size.rows && (other.columns < size.columns || other.rows < size.rows)),
  );
  unique.sort((a, b) => a.columns * a.rows - b.columns * b.rows);
  return unique.map((size) => `${size.columns}×${size.rows}`).join(' or ');
}

/**
 * The notice that stands in for a screen that does not fit, sizes as columns×rows. After a key
 * that needs the content was pressed (`refused`), it starts with why that key did nothing.
 */
export function wholeNotice(whole: Whole, windows: Size[], window: Size, refused?: string): string {
  const needed = describeSizes(windows);
  const current = `${window.columns}×${window.rows}`;
  const instead = whole.instead ? ` ${whole.instead}` : '';
  // No longer than the notice it replaces, so the sizes still fit where the notice did.
  if (refused) return `${refused} does nothing until ${whole.what} can be shown whole: at least ${needed} (this window is ${current}).${instead}`;
  return `To see ${whole.what} whole, the window must be at least ${needed}; this one is ${current}. Make it bigger.${instead}`;
}
