/** The classic 80×24 window, continued: the demo's lost key, bob, and a new account reach ready. */
import { describe, it } from 'vitest';
import { TIMEOUT, useBuiltCliInTmux } from './flows.js';
import { demoSignedIn, keyFromPanel, ready } from './window80x24.js';

useBuiltCliInTmux();

describe('80×24: every demo path reaches ready, continued', () => {
  it('alice, a lost key: a new one, seen whole and typed back', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('alice@example.com');
    await term.waitFor('Verify this device');
    term.type('3');
    await term.waitFor('Make a new recovery key?');
    term.press('Enter');
    await term.waitFor('Press Enter again to make a new key');
    term.press('Enter');
    const screen = await term.waitFor('It is shown only this once');
    const key = /(?:[1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}/.exec(screen)![0];
    term.press('Enter');
    await term.waitFor('type the last two groups of your key');
    term.type(key.split(' ').slice(-2).join(' '));
    term.press('Enter');
    await ready(term);
  });

  it('bob: emojis, then his recovery key (his phone does not share it)', { timeout: TIMEOUT }, async () => {
    const term = await demoSignedIn('bob@example.com');
    await term.waitFor('Verify this device');
    term.press('Enter');
    await term.waitFor('Scan this code with your other', 20_000);
    term.press('e');
    await term.waitFor('Press y if they match');
    term.type('y');
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
    const screen = await term.waitFor('It is shown only this once');
    const key = /(?:[1-9A-HJ-NP-Za-km-z]{4} ){11}[1-9A-HJ-NP-Za-km-z]{4}/.exec(screen)![0];
    term.press('Enter');
    await term.waitFor('type the last two groups of your key');
    term.type(key.split(' ').slice(-2).join(' '));
    term.press('Enter');
    await ready(term);
  });
});
