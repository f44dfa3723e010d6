/**
 * Plain mode in a real terminal (--plain, and TERM=dumb): the recovery key, emojis, and a wait
 * that offers the other ways, each reaching ready in one run, answering only on stdin.
 */
import { describe, expect, it } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { PLAIN_MODES, TIMEOUT, answer, plainAtMenu, plainReady, recoveryKeyOf, simulator, useBuiltCliInTmux } from './flows.js';

useBuiltCliInTmux();

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): the other ways to verify', (_mode, mode) => {
  it('the recovery key, chosen from the list and typed hidden; a typo is said once', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = await plainAtMenu(sim, mode);
    answer(term, '3');
    await term.waitFor('Enter your recovery key (48 characters');
    const key = recoveryKeyOf(sim, 'alice@example.com');
    // One character changed: the check digit catches it.
    answer(term, `${key.slice(0, -1)}${key.endsWith('2') ? '3' : '2'}`);
    await term.waitFor(/its check digit does not match.*\s+Enter your recovery key/s);
    expect(term.screen().match(/its check digit does not match/g)).toHaveLength(1);
    answer(term, key);
    await plainReady(term);
  });

  it('emojis: the other device asked, the seven compared, yes typed after they were shown', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = await plainAtMenu(sim, mode);
    answer(term, '1');
    await term.waitFor('Meanwhile, type r to use your recovery key or b to go back to the other choices, then Enter.');
    sim.control.otherDevice('accept');
    await term.waitFor('Answer yes or no:');
    for (const entry of parseSasEmojis(sim.control.session().verification!.sas!.emojis)) expect(term.text()).toContain(entry.name);
    answer(term, 'yes');
    await term.waitFor('to confirm the emojis match too');
    sim.control.otherDevice('confirm-sas');
    await plainReady(term);
  });

  it('a wait offers the other ways: r while waiting for the other device goes to the recovery key', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = await plainAtMenu(sim, mode);
    answer(term, '1');
    await term.waitFor('Meanwhile, type r');
    answer(term, 'r');
    await term.waitFor('Enter your recovery key (48 characters');
    // The request was withdrawn on the way: the other device stops waiting for it.
    expect(sim.control.requests().map((request) => `${request.method} ${request.path}`), term.screen()).toContainEqual(expect.stringMatching(/^POST .*\/cancel$/));
    answer(term, recoveryKeyOf(sim, 'alice@example.com'));
    await plainReady(term);
  });

});
