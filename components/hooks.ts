/**
 * Small UI hooks: the frame's size, a display clock, a text field's
 * checked value. Keys are read in one place, keys.tsx (useKeys). Timers here
 * only redraw (countdowns, elapsed time); they never drive the flow, which the
 * machine owns.
 */
import { useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { Size } from './shell.js';

/** The terminal's size in columns and rows, as the frame is laid out for it. */
export type TerminalSize = Size;

/** What stdout says its size is; 80×24 when it does not say (not a terminal). */
export const sizeOf = (stdout: NodeJS.WriteStream): TerminalSize => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });

/** Date.now(), refreshed every `intervalMs` while `active`. */
export function useNow(intervalMs = 1000, active = true): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
}

/** When `key` last changed (ms since epoch): the start of the current step, for elapsed times and countdowns. */
export function useSinceChange(key: string): number {
  const mark = useRef<{ key: string; at: number } | undefined>(undefined);
  if (mark.current?.key !== key) mark.current = { key, at: Date.now() };
  return mark.current.at;
}

/**
 * A text field checked when Enter is pressed: `check` says what is wrong (or
 * nothing), `onValid` gets a value that passed. The server's problem about the
 * last submitted value applies until the user edits it.
 */
export function useCheckedValue(initial: string, check: (text: string) => string | undefined, onValid: (text: string) => void) {
  const [value, setValue] = useState(initial);
  const [localProblem, setLocalProblem] = useState<string | undefined>();
  const [edited, setEdited] = useState(false);
  return {
    value,
    localProblem,
    serverProblemApplies: !edited && !localProblem,
    change(next: string) {
      setValue(next);
      setEdited(true);
      setLocalProblem(undefined);
    },
    submit(text: string) {
      const wrong = check(text);
      setLocalProblem(wrong);
      setEdited(false);
      if (!wrong) onValid(text);
    },
  };
}

/**
 * The terminal's size for the wizard's frame, redrawn cleanly after a resize. The terminal has
 * reflowed what was on screen by then, so Ink cannot know how many rows its last frame covers:
 * erasing it left an earlier header above the new frame. And Ink's own resize handler redraws
 * the tree it has, laid out for the old size (lines too wide, a frame too tall, which makes Ink
 * clear the scrollback on its next frame). So here a resize clears the visible screen (the
 * scrollback stays), gives React the new size, and only then lets Ink's handler (taken off the
 * event, Ink 6.8 registers it when it starts) redraw the tree drawn for that size.
 */
export function useFrameSize(): TerminalSize {
  const { stdout } = useStdout();
  const read = () => sizeOf(stdout);
  const [size, setSize] = useState(read);
  useEffect(() => {
    const earlier = stdout.listeners('resize') as (() => void)[];
    for (const listener of earlier) stdout.off('resize', listener);
    let redraw: NodeJS.Immediate | undefined;
    const onResize = () => {
      stdout.write('\u001b[2J\u001b[H');
      setSize(read());
      if (redraw) clearImmediate(redraw);
      redraw = setImmediate(() => {
        for (const listener of earlier) listener();
      });
    };
    stdout.on('resize', onResize);
    setSize(read());
    return () => {
      stdout.off('resize', onResize);
      if (redraw) clearImmediate(redraw);
    };
  }, [stdout]);
  return size;
}
