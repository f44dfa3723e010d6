/** The classic 80×24 window, continued: the demo's lost key, bob, and a new account reach ready. */
import { describe, it } from 'vitest';
import { TIMEOUT, newKeyOn, toNewKeyConfirm, typeBackKey, useBuiltCliInTmux } from './flows.js';
import { demoSignedIn, emojisInsteadOfQr, keyFromPanel, ready } from './window80x24.js';

useBuiltCliInTmux();

describe('80×24: every demo path reaches ready, continued', () => {
  it('alice, a lost key: a new one, seen whole and typed back', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await toNewKeyConfirm(term);
    term.press('Enter');
    await typeBackKey(term, newKeyOn(await term.waitFor('It is shown only this once')));
    await ready(term);
  });

  it('bob: emojis, then his recovery key (his phone does not share it)', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('bob@example.com');
    await emojisInsteadOfQr(term);
    await term.waitFor('Unlock your encrypted messages', 20_000);
    term.type(await keyFromPanel(term, 'bob'));
    await term.waitFor('This is a valid recovery key.');
    term.press('Enter');
    await ready(term);
  });

  it('a new account: username, terms, its first key seen whole and typed back', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('carol@example.com');
    await term.waitFor('Choose your username');
    term.press('Enter');
    await term.waitFor('Terms of Use');
    term.type('y');
    await term.waitFor('Create your recovery key');
    term.press('Enter');
    await typeBackKey(term, newKeyOn(await term.waitFor('It is shown only this once')));
    await ready(term);
  });
});
