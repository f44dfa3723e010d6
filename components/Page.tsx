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
}

export function Page({ figure, children, align = 'bottom' }: PageProps) {
  const { frame, finished } = useContext(ShellContext);
  const theme = useTheme();
  const panelBox = useRef<DOMElement>(null);
  const stepBox = useRef<DOMElement>(null);
  // The step's own height, for the last frame (the run over): as tall as it is, unless taller than the terminal.
  const [stepRows, setStepRows] = useState<number | undefined>();
  const width = frame ? columnWidth(frame.window, figure?.columns) : 0;
  const panel = frame?.panel;
  const panelMin = panel ? panel.minRowsAt(width) : 0;
  // The panel takes what the step leaves: known once laid out, so measured after each frame.
  useLayoutEffect(() => {
    const measured = panelBox.current ? measureElement(panelBox.current).height : 0;
    if (panel && measured !== panel.rows) panel.onRows(measured);
    const step = stepBox.current ? measureElement(stepBox.current).height : undefined;
    if (step !== stepRows) setStepRows(step);
  });
  if (!frame) return <>{children}</>;

  const frameRows = Math.max(1, frame.window.rows - SPARE_ROWS);
  const fixed = { flexShrink: 0, flexDirection: 'column' } as const;
  const natural = stepRows === undefined ? Infinity : frame.headerRowsAt(width) + HEADER_GAP + stepRows + frame.debugLines.length;
  return (
    // While the run is on, the frame takes the terminal's height less one row: the step shrinks into
    // what the header, the debug lines and the panel leave, so no frame is ever too tall. The last
    // frame is as tall as it is (the lines printed after it follow it), within the same limit.
    <Box
      width={frame.window.columns}
      height={finished && natural <= frameRows ? undefined : frameRows}
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
