import { afterEach, describe, expect, it, vi } from 'vitest';
import { TermsStep } from '../../components/TermsStep.js';
import { UsernameStep } from '../../components/UsernameStep.js';
import type { SetupEvent } from '../../machines/types.js';
import { PRIVACY_URL, TERMS_URL } from '../../src/api/types.js';
import { hintText, renderAt, unmountAll, widestLine } from './render.js';

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();
const COPY = {
  title: 'Pick a handle',
  usernamePlaceholder: 'Handle',
  terms: 'By continuing you accept the Terms of Use and the Privacy Policy of Example.',
  submit: 'Create',
};

describe('UsernameStep', () => {
  it("shows the server's copy and offers the first suggestion in the empty field, as a suggestion", () => {
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42']} username="" email="carol@example.com" onEvent={events()} />);
    expect(ui.frame()).toContain('Pick a handle');
    expect(ui.frame()).toContain('Handle: carol (suggested: Tab or Enter takes it)');
    expect(ui.frame()).toContain('Suggestions: carol  carol42');
    // The server's button text, as a hint: lower-cased like every other hint.
    expect(hintText(ui.hints())).toBe('Enter create | Tab use "carol" | ↑↓ suggestions | Esc use another email');
  });

  it('typing replaces the suggestion instead of appending to it; Tab or an empty Enter takes it', async () => {
    const typed = events();
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42']} username="" email="c@x.io" onEvent={typed} />);
    await ui.type('carolsmith');
    expect(ui.frame()).toMatch(/Handle: carolsmith\s*$/m);
    expect(ui.frame()).not.toContain('suggested');
    await ui.press('enter');
    expect(typed).toHaveBeenCalledWith({ type: 'SUBMIT_USERNAME', username: 'carolsmith' });

    const tabbed = events();
    const tab = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42']} username="" email="c@x.io" onEvent={tabbed} />);
    await tab.press('tab');
    expect(tab.frame()).toMatch(/Handle: carol\s*$/m);
    await tab.press('enter');
    expect(tabbed).toHaveBeenCalledWith({ type: 'SUBMIT_USERNAME', username: 'carol' });

    const entered = events();
    const enter = renderAt(<UsernameStep copy={COPY} suggestions={['carol']} username="" email="c@x.io" onEvent={entered} />);
    await enter.press('enter');
    expect(entered).toHaveBeenCalledWith({ type: 'SUBMIT_USERNAME', username: 'carol' });
  });

  it('explains, as they are typed, the characters a username cannot hold; capitals become small letters', async () => {
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={[]} username="" email="c@x.io" onEvent={events()} />, { columns: 60 });
    await ui.type('Carol');
    expect(ui.frame()).toMatch(/Handle: carol\s*$/m);
    expect(ui.text()).toContain('Usernames are lowercase: capitals were typed as small letters.');
    await ui.type(' ');
    expect(ui.text()).toContain('Left out spaces: a username has only lowercase letters, digits, dots, dashes and underscores.');
    await ui.type('!');
    expect(ui.text()).toContain('Left out "!"');
    await ui.type('x');
    expect(ui.frame()).toMatch(/Handle: carolx\s*$/m);
    expect(ui.text()).not.toContain('Left out');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('picks suggestions with the arrows and sends the chosen one', async () => {
    const onEvent = events();
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42', 'carol.317']} username="" email="c@x.io" onEvent={onEvent} />);
    await ui.press('down');
    expect(ui.frame()).toMatch(/Handle: carol\s*$/m);
    await ui.press('down');
    expect(ui.frame()).toContain('Handle: carol42');
    await ui.press('down');
    await ui.press('down');
    expect(ui.frame()).toMatch(/Handle: carol\s*$/m);
    await ui.press('up');
    expect(ui.frame()).toContain('Handle: carol.317');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SUBMIT_USERNAME', username: 'carol.317' });
  });

  it('accepts a name typed freely, and checks it before sending', async () => {
    const onEvent = events();
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={[]} username="" email="c@x.io" onEvent={onEvent} />);
    expect(ui.frame()).toContain('Handle: Handle');
    await ui.type('da');
    await ui.press('enter');
    expect(ui.frame()).toContain('A username has at least 3 characters.');
    expect(onEvent).not.toHaveBeenCalled();
    for (let i = 0; i < 2; i++) await ui.press('backspace');
    await ui.type('dave');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SUBMIT_USERNAME', username: 'dave' });
  });

  it("keeps a taken name and shows the server's message until it is edited", async () => {
    const ui = renderAt(
      <UsernameStep
        copy={COPY}
        suggestions={['erin7']}
        username="erin"
        email="erin@x.io"
        problem={{ kind: 'rejected', message: 'That username is taken.', status: 409, code: 'USERNAME_TAKEN' }}
        onEvent={events()}
      />,
      { columns: 60 },
    );
    expect(ui.frame()).toContain('Handle: erin');
    expect(ui.frame()).toContain('That username is taken.');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    await ui.type('x');
    expect(ui.frame()).not.toContain('That username is taken.');
  });
});

describe('TermsStep', () => {
  it('shows the terms text and both links as plain URLs, and sends nothing on Enter', async () => {
    const onEvent = events();
    const ui = renderAt(<TermsStep copy={COPY} username="carol" onEvent={onEvent} />);
    expect(ui.text()).toContain(COPY.terms);
    expect(ui.frame()).toContain(`Terms of Use:   ${TERMS_URL}`);
    expect(ui.frame()).toContain(`Privacy Policy: ${PRIVACY_URL}`);
    expect(ui.rawFrame()).not.toContain('\u001B]8;;');
    await ui.press('enter');
    await ui.type(' ');
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('agrees only on y; Esc goes back to the username', async () => {
    const onEvent = events();
    const ui = renderAt(<TermsStep copy={COPY} username="carol" onEvent={onEvent} />);
    expect(hintText(ui.hints())).toContain('y agree and create');
    await ui.press('escape');
    expect(onEvent).toHaveBeenLastCalledWith({ type: 'BACK' });
    await ui.type('y');
    expect(onEvent).toHaveBeenLastCalledWith({ type: 'ACCEPT_TERMS' });
    expect(onEvent).toHaveBeenCalledTimes(2);
  });

  it('makes the links clickable with OSC 8 where the terminal supports it', () => {
    const ui = renderAt(<TermsStep copy={COPY} username="carol" onEvent={events()} />, {
      caps: { color: true, unicode: true, hyperlinks: true },
      columns: 60,
    });
    expect(ui.rawFrame()).toContain(`\u001B]8;;${TERMS_URL}\u0007${TERMS_URL}\u001B]8;;\u0007`);
    expect(ui.rawFrame()).toContain(`\u001B]8;;${PRIVACY_URL}\u0007`);
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });
});
