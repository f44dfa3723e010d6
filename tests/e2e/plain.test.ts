/**
 * Plain mode in a real terminal (--plain, and TERM=dumb), as a screen-reader
 * user meets it: every path reaches ready in one run, answering only on stdin.
 * The questions are the wizard's: how to verify (a numbered list), the terms
 * (yes or no), the username with its suggestions, the new key shown once and
 * typed back in part before it is activated.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN_MODES, SHOWS_TYPED_CODE, TIMEOUT, answer, plainAtMenu, plainReady, recoveryKeyOf, signInByLine, simulator, useBuiltCliInTmux, wizard } from './flows.js';
import type { Terminal } from './terminal.js';

useBuiltCliInTmux();

/** A screen that shows the new key on purpose: from the moment it is shown. */
const showsNewKey = (screen: string) => /shown only this once/.test(screen);

/** The new key from the screen (the line after "shown only this once"), its last two groups typed back. */
async function keepNewKey(term: Terminal): Promise<string> {
  const screen = await term.waitFor('or press Enter once you have saved it elsewhere:');
  const key = /\b(Es\w{2}(?: \w{4}){11})\b/.exec(screen)?.[1];
  expect(key).toBeDefined();
  term.press('Enter');
  await term.waitFor('type the last two groups of your key');
  answer(term, 'xxxx xxxx');
  await term.waitFor('That does not match the end of your key.');
  answer(term, key!.split(' ').slice(-2).join(' '));
  return key!;
}

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): every path in one run', (_mode, options) => {
  it('a new account: username with its suggestions, the terms, the new key shown once and typed back', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { ...options, lineMode: true, allows: (screen) => showsNewKey(screen) || SHOWS_TYPED_CODE(screen) });
    await signInByLine(term, () => sim.control.latestCode('carol@example.com')!, 'carol@example.com');
    await term.waitFor(/Choose a username for the new account \(Enter for "carol"\):/);
    expect(term.text()).toMatch(/Suggested usernames: carol, /);
    answer(term, 'Carol Smith');
    await term.waitFor('Left out spaces');
    await term.waitFor(/Press Enter for "carolsmith", or type another\.\s*Choose a username for the new account \(Enter for "carolsmith"\):/);
    term.press('Enter');
    await term.waitFor('Do you agree to the Terms of Use and the Privacy Policy? Answer yes or no:');
    expect(term.text()).toContain('https://www.beeper.com/terms-onboarding');
    expect(sim.control.requests().some((request) => request.path.endsWith('/register'))).toBe(false);
    answer(term, 'yes');
    const key = await keepNewKey(term);
    await plainReady(term, '@carolsmith:beeper.com');
    expect(sim.control.accounts().find((account) => account.email === 'carol@example.com')?.recoveryKey).toBe(key);
    expect(term.colorScreen()).not.toMatch(/\u001b/);
  });

  it('a lost key: chosen from the list, agreed to, the new key kept before it is activated', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = await plainAtMenu(sim, { ...options, allows: (screen) => showsNewKey(screen) || SHOWS_TYPED_CODE(screen) });
    expect(term.text()).toContain('4. I lost my recovery key: make a new one');
    answer(term, '4');
    await term.waitFor('Make a new recovery key? Answer yes or no:');
    answer(term, 'yes');
    const key = await keepNewKey(term);
    await plainReady(term);
    expect(recoveryKeyOf(sim, 'alice@example.com')).toBe(key);
  });
});
