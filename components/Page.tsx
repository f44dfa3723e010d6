/**
 * The frame of every step: the header, the step, the --debug lines and the
 * demo panel, in a frame one row shorter than the terminal. The header is
 * always at the top and drawn once; a step taller than its room keeps its
 * bottom (its field and keys) in view and loses its top, never the header.
 * A figure (the QR code in a short, wide window) can stand beside it all.
 * Rendered alone (tests), a page is just its step.
 */
import { Box, Text, measureElement, type DOMElement } from 'ink';
import { useContext, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { FIGURE_GAP, HEADER_GAP, PAGE_PADDING, SPARE_ROWS, ShellContext, columnWidth } from './shell.js';
import { useTheme } from './theme.js';

/** Props of Page. */
export interface PageProps {
  /** Drawn left of everything else, at its own size. */
  figure?: { node: ReactNode; columns: number } | undefined;
  /** The step: its body and keys. */
  children: ReactNode;
  /** Which end of a step too tall for its room stays in view: its keys (bottom, the default) or its first lines. */
  align?: 'top' | 'bottom';
  /**
   * Redrawn often with little on it (a wait): the frame is only as tall as its lines while they
   * leave GROWTH_ROWS to spare and the window keeps its size, so each redraw lays out and erases
   * a few rows, not the window.
   */
  fitContent?: boolean | undefined;
}

/**
 * What a fitted step may grow by from one frame to the next (a stall sentence, a connection line):
 * its height is measured after each frame, so one frame may be drawn with the height before.
 */
export const GROWTH_ROWS = 10;

export function Page({ figure, children, align = 'bottom', fitContent = false }: PageProps) {
  const { frame, finished } = useContext(ShellContext);
  const theme = useTheme();
  const panelBox = useRef<DOMElement>(null);
  const stepBox = useRef<DOMElement>(null);
  // The step's own height, for the last frame (the run over): as tall as it is, unless taller than the terminal.
  const [stepRows, setStepRows] = useState<number | undefined>();
  // A resize reflows what is on screen, and Ink may still write a frame laid out for the old size: only
  // frames of the window's height erase all of that, so after a resize a fitted step fills the window.
  const windowKey = frame ? `${frame.window.columns}×${frame.window.rows}` : '';
  const firstWindow = useRef(windowKey);
  const resized = useRef(false);
  if (windowKey !== firstWindow.current) resized.current = true;
  const width = frame ? columnWidth(frame.window, figure?.columns) : 0;
  const panel = frame?.panel;
  const panelMin = panel ? panel.minRowsAt(width) : 0;
  // The panel takes what the step leaves: known once laid out, so measured after each frame.
  useLayoutEffect(() => {
    const panelRows = panelBox.current ? measureElement(panelBox.current).height : 0;
    if (panel && panelRows !== panel.rows) panel.onRows(panelRows);
    const step = stepBox.current ? measureElement(stepBox.current).height : undefined;
    if (step !== stepRows) setStepRows(step);
  });
  if (!frame) return <>{children}</>;

  const frameRows = Math.max(1, frame.window.rows - SPARE_ROWS);
  const fixed = { flexShrink: 0, flexDirection: 'column' } as const;
  const natural = stepRows === undefined ? Infinity : frame.headerRowsAt(width) + HEADER_GAP + stepRows + frame.debugLines.length;
  const asTallAsItIs = finished ? natural <= frameRows : fitContent && !panel && !resized.current && natural + GROWTH_ROWS <= frameRows;
  return (
    // While the run is on, the frame takes the terminal's height less one row: the step shrinks into
    // what the header, the debug lines and the panel leave, so no frame is ever too tall. The last
    // frame is as tall as it is (the lines printed after it follow it), within the same limit, and
    // so is a fitted step's while its lines leave room to grow.
    <Box
      width={frame.window.columns}
      height={asTallAsItIs ? undefined : frameRows}
      overflowY="hidden"
      paddingX={PAGE_PADDING}
      flexDirection="row"
    >
      {figure ? (
        <Box {...fixed} width={figure.columns} marginRight={FIGURE_GAP}>
          {figure.node}
        </Box>
      ) : null}
      <Box flexDirection="column" width={width} flexShrink={0}>
        <Box {...fixed}>{frame.header(width)}</Box>
        <Box flexDirection="column" marginTop={HEADER_GAP} flexShrink={1} overflowY="hidden" justifyContent={align === 'top' ? 'flex-start' : 'flex-end'}>
          <Box {...fixed} ref={stepBox}>
            {children}
          </Box>
        </Box>
        {frame.debugLines.map((line, i) => (
          <Box key={`${i}-${line}`} flexShrink={0}>
            <Text color={theme.color.muted} wrap="truncate-end">
              {line}
            </Text>
          </Box>
        ))}
        {panel && !finished ? (
          <Box ref={panelBox} flexGrow={1} flexShrink={0} flexBasis={0} minHeight={panelMin} flexDirection="column" overflowY="hidden">
            {panel.render(Math.max(panelMin, panel.rows), width)}
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
