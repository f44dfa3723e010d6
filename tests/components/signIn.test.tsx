import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodeStep } from '../../components/CodeStep.js';
import { EmailStep } from '../../components/EmailStep.js';
import type { SetupEvent } from '../../machines/types.js';
import { createActor } from 'xstate';
import { Wizard } from '../../components/Wizard.js';
import { createKeyStorage } from '../../components/keyStorage.js';
import { setupMachine } from '../../machines/setupMachine.js';
import { HttpError } from '../../src/api/errors.js';
import { noticeText } from '../../src/wording/states.js';
import { APP, session } from './fixtures.js';
import { hintText, renderAt, unmountAll, widestLine } from './render.js';
import { recordingPersistence } from '../support/persistence.js';

const storage = createKeyStorage(() => {});

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();

describe('EmailStep', () => {
  it('refuses an empty or malformed address with the shared messages and sends nothing', async () => {
    const onEvent = events();
    const ui = renderAt(<EmailStep email="" onEvent={onEvent} />);
    expect(ui.frame()).toContain('Sign in to Beeper');
    expect(hintText(ui.hints())).toBe('Enter send code');
    await ui.press('enter');
    expect(ui.frame()).toContain('Enter the email address of your Beeper account (or the one to create it with).');
    await ui.type('alice');
    expect(ui.frame()).not.toContain('or the one to create it with');
    await ui.press('enter');
    expect(ui.frame()).toContain('An email address needs an @, like you@example.com.');
    await ui.type('@example');
    await ui.press('enter');
    expect(ui.frame()).toContain('"alice@example" does not look like an email address.');
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('treats a burst of Backspaces as Backspaces and never keeps control characters', async () => {
    const onEvent = events();
    const ui = renderAt(<EmailStep email="" onEvent={onEvent} />);
    await ui.type('alice@example.comXXX');
    await ui.type('\x7f\x7f\x7f');
    await ui.type('\x1b\x01');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });
  });

  it('text and Enter in one burst submit the text', async () => {
    const onEvent = events();
    const ui = renderAt(<EmailStep email="" onEvent={onEvent} />);
    await ui.type('carol@example.com\r');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SUBMIT_EMAIL', email: 'carol@example.com' });
  });

  it('sends the trimmed address, even when Enter follows a paste at once', async () => {
    const onEvent = events();
    const ui = renderAt(<EmailStep email="" onEvent={onEvent} />);
    await ui.type('  alice@example.com ');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SUBMIT_EMAIL', email: 'alice@example.com' });

    const fast = events();
    const again = renderAt(<EmailStep email="" onEvent={fast} />);
    // Not awaited on purpose: Enter arrives before the paste has been drawn.
    void again.type('bob@example.com');
    await again.press('enter');
    expect(fast).toHaveBeenCalledWith({ type: 'SUBMIT_EMAIL', email: 'bob@example.com' });
  });

  it('prefills the address, shows the server refusal and why a sign-in is needed again', () => {
    const context = { email: 'carol@example.com', signInEndedBy: undefined };
    const ui = renderAt(
      <EmailStep
        email="carol@example.com"
        problem={{ kind: 'rejected', message: 'Too many requests. Try again in 30 seconds.', status: 429 }}
        notice={noticeText('token-refused', context, 'saved')}
        onEvent={events()}
      />,
    );
    expect(ui.frame()).toContain('Email: carol@example.com');
    expect(ui.frame()).toContain('Too many requests. Try again in 30 seconds.');
    expect(ui.frame()).toContain('The sign-in saved for this Beeper is no longer valid.');
    const env = renderAt(<EmailStep email="" notice={noticeText('token-refused', context, 'env')} onEvent={events()} />);
    expect(env.text()).toContain('Beeper did not accept the token in BEEPER_ACCESS_TOKEN.');
    expect(env.text()).not.toContain('saved for this Beeper');
    // Without a notice (the machine sets "token-refused" only when a token was sent) nothing is said about one.
    const none = renderAt(<EmailStep email="" onEvent={events()} />);
    expect(none.text()).not.toContain('accept the token');
    expect(none.text()).not.toContain('no longer valid');
  });

  it('fits 60 columns', () => {
    const ui = renderAt(<EmailStep email="" notice={noticeText('signed-out', { email: '', signInEndedBy: undefined })} onEvent={events()} />, { columns: 60 });
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    expect(ui.text()).toContain('Beeper signed this app out');
  });
});

describe('CodeStep', () => {
  it('takes letters and digits only: a pasted code with spaces or dashes is cleaned', async () => {
    const onEvent = events();
    const ui = renderAt(<CodeStep email="alice@example.com" resendInSeconds={30} onEvent={onEvent} />);
    expect(ui.text()).toContain('We sent a sign-in code to alice@example.com. Enter it here.');
    expect(ui.frame()).toContain('Code: 6 digits');
    await ui.type('12-3');
    expect(ui.frame()).toContain('Code: 123');
    await ui.type(' 4 56\t');
    expect(ui.frame()).toContain('Code: 123456');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledTimes(1);
    const sent = onEvent.mock.calls[0]![0];
    expect(sent.type).toBe('SUBMIT_CODE');
    expect(sent.type === 'SUBMIT_CODE' && sent.code.reveal()).toBe('123456');
  });

  it('keeps at most 16 characters of a long paste', async () => {
    const ui = renderAt(<CodeStep email="a@b.co" resendInSeconds={30} onEvent={events()} />);
    await ui.type('12345678901234567890');
    expect(ui.frame()).toContain('Code: 1234567890123456');
    expect(ui.frame()).not.toContain('12345678901234567');
  });

  it('says what is wrong with a code too short to be one instead of sending it', async () => {
    const onEvent = events();
    const ui = renderAt(<CodeStep email="a@b.co" resendInSeconds={30} onEvent={onEvent} />);
    await ui.press('enter');
    expect(ui.frame()).toContain('Enter the code from the email.');
    await ui.type('123');
    await ui.press('enter');
    expect(ui.text()).toContain('That does not look like the code from the email (usually 6 digits; this has 3 characters).');
    await ui.press('backspace');
    expect(ui.frame()).toContain('Code: 12');
    expect(ui.frame()).not.toContain('this has 3');
    expect(onEvent).not.toHaveBeenCalled();
  });

  it("shows the server's message for a wrong code and adds the attempts left when it did not say them", () => {
    const withCount = renderAt(
      <CodeStep
        email="a@b.co"
        problem={{ kind: 'unauthorized', message: 'That code is not right. 4 attempts left.', attemptsLeft: 4, code: 'INVALID_CODE' }}
        resendInSeconds={12}
        onEvent={events()}
      />,
    );
    expect(withCount.frame()).toContain('That code is not right. 4 attempts left.');
    expect(withCount.frame()).not.toContain('left. 4 attempts');
    const bare = renderAt(
      <CodeStep email="a@b.co" problem={{ kind: 'rejected', message: 'Wrong code.', attemptsLeft: 1 }} resendInSeconds={12} onEvent={events()} />,
    );
    expect(bare.frame()).toContain('Wrong code. 1 attempt left.');
  });

  it('offers "resend code" only after the cooldown, with a countdown before', async () => {
    const onEvent = events();
    const ui = renderAt(<CodeStep email="a@b.co" resendInSeconds={23} onEvent={onEvent} />);
    expect(ui.frame()).toContain('You can ask for a new code in 23s.');
    expect(hintText(ui.hints())).toBe('Enter sign in | Esc use another email');
    await ui.press('ctrlR');
    expect(onEvent).not.toHaveBeenCalled();
    ui.rerender(<CodeStep email="a@b.co" resendInSeconds={0} onEvent={onEvent} />);
    await ui.press('ctrlR');
    expect(onEvent).toHaveBeenCalledWith({ type: 'RESEND_CODE' });
    expect(hintText(ui.hints())).toBe('Enter sign in | Ctrl-R resend code | Esc use another email');
    expect(ui.frame()).toContain('press Ctrl-R to send a new code');
  });

  it('Esc goes back to use another email', async () => {
    const onEvent = events();
    const ui = renderAt(<CodeStep email="a@b.co" resendInSeconds={5} onEvent={onEvent} />);
    expect(hintText(ui.hints())).toContain('Esc use another email');
    await ui.press('escape');
    expect(onEvent).toHaveBeenCalledWith({ type: 'CHANGE_EMAIL' });
  });

  it('words a resend and a restarted sign-in', () => {
    const resent = renderAt(
      <CodeStep email="a@b.co" notice="code-resent" noticeText={noticeText('code-resent', { email: 'a@b.co', signInEndedBy: undefined })} resendInSeconds={30} onEvent={events()} />,
    );
    expect(resent.frame()).toContain('Sent a new code. Use the newest email.');
    const problem = { kind: 'sign-in-expired', message: 'Too many wrong codes. Start over to get a new code.', status: 410 } as const;
    const restarted = renderAt(
      <CodeStep
        email="a@b.co"
        notice="sign-in-restarted"
        noticeText={noticeText('sign-in-restarted', { email: 'a@b.co', signInEndedBy: problem })}
        resendInSeconds={30}
        onEvent={events()}
      />,
      { columns: 60 },
    );
    // One sentence: the server's reason, and what was done about it; never its advice to do it again.
    expect(restarted.text()).toContain('Too many wrong codes, so beeper-setup started over: a new code was emailed to a@b.co.');
    expect(restarted.text()).not.toContain('Start over to get a new code');
    expect(restarted.text().split('Too many wrong codes').length).toBe(2);
    expect(widestLine(restarted.frame())).toBeLessThanOrEqual(60);
  });
});

describe('the resend countdown in the wizard', () => {
  it('runs from when the code was mailed, across a wrong code (it does not start over at 30s)', async () => {
    let now = 1_700_000_000_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const api = {
        info: async () => APP,
        getSession: async () => session('needs-login', { matrix: undefined }),
        start: async () => ({ setupRequestID: 'req', signInMethods: ['email'] }),
        sendEmail: async () => {},
        submitCode: async () => {
          throw new HttpError('POST /v1/app/setup/response', 401, 'INVALID_CODE', 'That code is not right.', { attemptsLeft: 4 });
        },
      };
      const actor = createActor(setupMachine, { input: { api: api as never, persistence: recordingPersistence(), email: 'a@b.co' } });
      actor.start();
      const ui = renderAt(<Wizard actor={actor} baseUrl="http://127.0.0.1:23373" tokenKey="http://127.0.0.1:23373" debug={false} storage={storage} />);
      await ui.waitFor('Sign in to Beeper');
      await ui.press('enter');
      await ui.waitFor('You can ask for a new code in 30s.');
      now += 8_000;
      await ui.type('111111');
      await ui.press('enter');
      await ui.waitFor('That code is not right. 4 attempts left.');
      expect(ui.text()).toContain('You can ask for a new code in 22s.');
      expect(ui.text()).not.toContain('in 30s');
      actor.stop();
    } finally {
      clock.mockRestore();
    }
  });
});
