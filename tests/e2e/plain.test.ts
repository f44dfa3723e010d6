/**
 * Plain mode in a real terminal (--plain, and TERM=dumb), as a screen-reader
 * user meets it: every path reaches ready in one run, answering only on stdin.
 * The questions are the wizard's: how to verify (a numbered list), the terms
 * (yes or no), the username with its suggestions, the new key shown once and
 * typed back in part before it is activated.
 */
import { describe, expect, it } from 'vitest';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { PLAIN_MODES, TIMEOUT, answer, recoveryKeyOf, signInByLine, simulator, useBuiltCliInTmux, wizard, type WizardOptions } from './flows.js';
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
  await term.waitFor('type the last two groups of the key');
  answer(term, 'xxxx xxxx');
  await term.waitFor('That does not match the end of your key.');
  answer(term, key!.split(' ').slice(-2).join(' '));
  return key!;
}

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): every path in one run', (_mode, options) => {
  it('a new account: username with its suggestions, the terms, the new key shown once and typed back', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { ...options, lineMode: true, allows: (screen) => showsNewKey(screen) || /emailed to .*: \d{6}$/m.test(screen) });
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
    await term.waitFor('Ready: @carolsmith:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
    expect(sim.control.accounts().find((account) => account.email === 'carol@example.com')?.recoveryKey).toBe(key);
    expect(term.colorScreen()).not.toMatch(/\u001b/);
  });

  it('a lost key: chosen from the list, agreed to, the new key kept before it is activated', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, { ...options, lineMode: true, allows: (screen) => showsNewKey(screen) || /emailed to .*: \d{6}$/m.test(screen) });
    await signInByLine(term, () => sim.control.latestCode('alice@example.com')!, 'alice@example.com');
    await term.waitFor(/Choose 1–\d:/);
    expect(term.text()).toContain('4. I lost my recovery key: make a new one');
    answer(term, '4');
    await term.waitFor('Make a new recovery key? Answer yes or no:');
    answer(term, 'yes');
    const key = await keepNewKey(term);
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
    expect(recoveryKeyOf(sim, 'alice@example.com')).toBe(key);
  });
});

describe.each(PLAIN_MODES)('plain mode in a terminal (%s): the other ways to verify', (_mode, mode) => {
  const options: WizardOptions = { ...mode, lineMode: true, allows: (screen) => /emailed to .*: \d{6}$/m.test(screen) };

  it('the recovery key, chosen from the list and typed hidden; a typo is said once', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, options);
    await signInByLine(term, () => sim.control.latestCode('alice@example.com')!, 'alice@example.com');
    await term.waitFor(/Choose 1–\d:/);
    answer(term, '3');
    await term.waitFor('Enter your recovery key (48 characters');
    const key = recoveryKeyOf(sim, 'alice@example.com');
    // One character changed: the check digit catches it.
    answer(term, `${key.slice(0, -1)}${key.endsWith('2') ? '3' : '2'}`);
    await term.waitFor(/its check digit does not match.*\s+Enter your recovery key/s);
    expect(term.screen().match(/its check digit does not match/g)).toHaveLength(1);
    answer(term, key);
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
  });

  it('emojis: the other device asked, the seven compared, yes typed after they were shown', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, options);
    await signInByLine(term, () => sim.control.latestCode('alice@example.com')!, 'alice@example.com');
    await term.waitFor(/Choose 1–\d:/);
    answer(term, '1');
    await term.waitFor('Meanwhile, type r to use your recovery key or b to go back to the other choices, then Enter.');
    sim.control.otherDevice('accept');
    await term.waitFor('Answer yes or no:');
    for (const entry of parseSasEmojis(sim.control.session().verification!.sas!.emojis)) expect(term.text()).toContain(entry.name);
    answer(term, 'yes');
    await term.waitFor('to confirm the emojis match too');
    sim.control.otherDevice('confirm-sas');
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
  });

  it('a wait offers the other ways: r while waiting for the other device goes to the recovery key', { timeout: TIMEOUT }, async () => {
    const sim = await simulator();
    const term = wizard(sim, options);
    await signInByLine(term, () => sim.control.latestCode('alice@example.com')!, 'alice@example.com');
    await term.waitFor(/Choose 1–\d:/);
    answer(term, '1');
    await term.waitFor('Meanwhile, type r');
    answer(term, 'r');
    await term.waitFor('Enter your recovery key (48 characters');
    // The request was withdrawn on the way: the other device stops waiting for it.
    expect(sim.control.requests().map((request) => `${request.method} ${request.path}`), term.screen()).toContainEqual(expect.stringMatching(/^POST .*\/cancel$/));
    answer(term, recoveryKeyOf(sim, 'alice@example.com'));
    await term.waitFor('Ready: @alice:beeper.com', 20_000);
    expect(await term.exitCode()).toBe(0);
  });

});
