/**
 * Long waits redraw once a second: the spinner of a wait turns with the elapsed-time clock it
 * already shows, instead of on a timer of its own (one redraw a second, not three).
 */
import spinners from 'cli-spinners';
import { describe, expect, it } from 'vitest';
import { Busy } from '../../components/Say.js';
import { WaitingStep } from '../../components/WaitingStep.js';
import { renderAt } from './render.js';

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
