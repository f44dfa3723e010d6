/** Plain mode in a real terminal (--plain, and TERM=dumb): --debug lines wait while a question is open. */
import { describe, expect, it } from 'vitest';
import { PLAIN_MODES, TIMEOUT, answer, plainAtMenu, plainReady, simulator, useBuiltCliInTmux } from './flows.js';

useBuiltCliInTmux();

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): --debug', (_mode, mode) => {
  it('--debug: request lines wait while a question is open, so they never land on its line', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = await plainAtMenu(sim, { ...mode, args: [...(mode.args ?? []), '--debug'] });
    answer(term, '1');
    await term.waitFor('Meanwhile, type r');
    sim.control.otherDevice('accept');
    await term.waitFor(/Answer yes or no:\s*$/);
    // The app is polled meanwhile: wait until a few polls happened after the question appeared.
    const asked = sim.control.requests().length;
    await expect.poll(() => sim.control.requests().length, { timeout: 10_000 }).toBeGreaterThan(asked + 2);
    const lines = term.screen().split('\n');
    expect(lines.at(-1)).toMatch(/Answer yes or no:\s*$/);
    answer(term, 'yes');
    // Let out after the answer: the last lines held, said once.
    await term.waitFor(/Answer yes or no: yes\n(?:.*\n)*GET \/v1\/app\/setup\/verifications\/\{id\} → 200/);
    sim.control.otherDevice('confirm-sas');
    await plainReady(term);
  });
});
