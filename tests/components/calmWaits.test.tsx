/**
 * Long waits redraw once a second: the spinner of a wait turns with the elapsed-time clock it
 * already shows, instead of on a timer of its own (one redraw a second, not three), and in a
 * frame only as tall as its lines, so each redraw lays out and erases a few rows, not the window.
 */
import spinners from 'cli-spinners';
import { afterEach, describe, expect, it } from 'vitest';
import { GROWTH_ROWS } from '../../components/Page.js';
import { Busy } from '../../components/Say.js';
import { WaitingStep } from '../../components/WaitingStep.js';
import { renderAt, unmountAll } from './render.js';

afterEach(unmountAll);

const DOTS = spinners.dots.frames;

describe('a wait keeps one clock', () => {
  it('Busy with a tick shows that frame of the spinner; a tick before the start shows the first', () => {
    expect(renderAt(<Busy tick={0}>Waiting</Busy>).frame()).toContain(`${DOTS[0]} Waiting`);
    expect(renderAt(<Busy tick={3}>Waiting</Busy>).frame()).toContain(`${DOTS[3]} Waiting`);
    expect(renderAt(<Busy tick={DOTS.length + 1}>Waiting</Busy>).frame()).toContain(`${DOTS[1]} Waiting`);
    expect(renderAt(<Busy tick={-2}>Waiting</Busy>).frame()).toContain(`${DOTS[0]} Waiting`);
  });

  it('the waiting step shows the frame of the elapsed second next to the elapsed time', () => {
    const ui = renderAt(<WaitingStep title="Waiting for your other device" since={Date.now() - 3_400} onEvent={() => {}} />);
    expect(ui.frame()).toMatch(new RegExp(`${DOTS[3]} Waiting for your other device… 3s`));
  });
});

describe('a wait is drawn in a frame as tall as its lines', () => {
  const STALL = 'The other device has not answered for two minutes. Check that Beeper is open there, or press r to use your recovery key instead.';
  /** Rows written in the last frame, blank ones included (a frame the window's height ends in empty rows). */
  const rowsOf = (frame: string) => frame.split('\n').length;

  it('at 100×30 the frame holds the header and the wait, not the window', async () => {
    const ui = renderAt(<WaitingStep title="Waiting for your other device" since={Date.now()} onEvent={() => {}} />, { columns: 100, rows: 30, shell: true });
    await ui.waitFor('Waiting for your other device');
    const rows = rowsOf(ui.frame());
    expect(rows).toBeLessThanOrEqual(30 - 1 - GROWTH_ROWS);
    expect(ui.frame().trimEnd().split('\n')).toHaveLength(rows);
  });

  it('a stall sentence that arrives is drawn whole, the frame growing with it', async () => {
    const since = Date.now();
    const wait = (stall?: string) => <WaitingStep title="Waiting for your other device" stall={stall} since={since} onEvent={() => {}} />;
    const ui = renderAt(wait(), { columns: 60, rows: 30, shell: true });
    await ui.waitFor('Waiting for your other device');
    const before = rowsOf(ui.frame());
    ui.rerender(wait(STALL));
    await ui.waitFor(STALL);
    expect(rowsOf(ui.frame())).toBeGreaterThan(before);
  });

  it('in a window without rows to spare the frame keeps the window less a row, so no frame is ever too tall', async () => {
    const ui = renderAt(<WaitingStep title="Waiting for your other device" stall={STALL} since={Date.now()} onEvent={() => {}} />, { columns: 60, rows: 14, shell: true });
    await ui.waitFor('Waiting for your other device');
    expect(rowsOf(ui.frame())).toBe(14 - 1);
  });
});
