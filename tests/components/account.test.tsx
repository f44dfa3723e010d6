import { afterEach, describe, expect, it, vi } from 'vitest';
import { TermsStep } from '../../components/TermsStep.js';
import { UsernameStep } from '../../components/UsernameStep.js';
import type { SetupEvent } from '../../machines/setupMachine.js';
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
  it("shows the server's copy and starts on the first suggestion", () => {
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42']} username="" email="carol@example.com" onEvent={events()} />);
    expect(ui.frame()).toContain('Pick a handle');
    expect(ui.frame()).toContain('Handle: carol');
    expect(ui.frame()).toContain('Suggestions: carol  carol42');
    // The server's button text, as a hint: lower-cased like every other hint.
    expect(hintText(ui.hints())).toBe('Enter create | ↑↓ suggestions | Esc use another email');
  });

  it('picks suggestions with the arrows and sends the chosen one', async () => {
    const onEvent = events();
    const ui = renderAt(<UsernameStep copy={COPY} suggestions={['carol', 'carol42', 'carol.317']} username="" email="c@x.io" onEvent={onEvent} />);
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
    await ui.type('Ca');
    await ui.press('enter');
    expect(ui.frame()).toContain('A username has at least 3 characters.');
    await ui.type('rol');
    await ui.press('enter');
    expect(ui.frame()).toContain('Use only lowercase letters, digits, dots, dashes and underscores.');
    expect(onEvent).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i++) await ui.press('backspace');
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
