import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyStorage, SaveResult } from '../../components/keyStorage.js';
import { NewRecoveryKeyStep } from '../../components/NewRecoveryKeyStep.js';
import { RecoveryKeyStep } from '../../components/RecoveryKeyStep.js';
import { ResetWarningStep } from '../../components/ResetWarningStep.js';
import type { SetupEvent } from '../../machines/types.js';
import { ASCII, hintText, renderAt, unmountAll, useTerminalSize, widestLine } from './render.js';

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();
const KEY = 'EsSz ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1';
const COMPACT = KEY.replace(/\s/g, '');
const TYPO = KEY.replace('EsSz', 'EsSZ');
const sentKey = (onEvent: ReturnType<typeof events>) => {
  const event = onEvent.mock.calls.at(-1)?.[0];
  return event?.type === 'SUBMIT_RECOVERY_KEY' ? event.recoveryKey.reveal() : undefined;
};

describe('RecoveryKeyStep', () => {
  it('masks the key by default and shows it in groups on Tab', async () => {
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={events()} />);
    await ui.type(KEY);
    expect(ui.frame()).not.toContain('ykH7');
    expect(ui.frame()).toContain('•••• ••••');
    expect(hintText(ui.hints())).toContain('Tab show');
    await ui.press('tab');
    expect(ui.frame()).toContain(KEY);
    expect(hintText(ui.hints())).toContain('Tab hide');
    await ui.press('tab');
    expect(ui.frame()).not.toContain('ykH7');
  });

  it('accepts a paste with line breaks and sends the key without whitespace', async () => {
    const onEvent = events();
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={onEvent} />);
    await ui.type('EsSz ykH7 LCZx 7Cae\r\ncmKD wcmY JRXi Ybtu\n8iQ3 t8Ez nRwK pUY1\n');
    expect(ui.frame()).toContain('This is a valid recovery key.');
    await ui.press('enter');
    expect(sentKey(onEvent)).toBe(COMPACT);
  });

  it('checks format and parity as you type, and sends nothing that is not a key', async () => {
    const onEvent = events();
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={onEvent} />);
    await ui.type('EsSz ykH7');
    expect(ui.frame()).toContain('8 of 48 characters');
    expect(ui.frame()).not.toContain('Not a recovery key');
    await ui.press('enter');
    expect(ui.text()).toContain('Not a recovery key yet: A recovery key is 48 characters: 12 groups of 4.');
    await ui.type('0');
    expect(ui.text()).toContain('Not a recovery key: A recovery key only has letters and digits (no 0, O, I or l).');
    await ui.press('backspace');
    await ui.press('enter');
    expect(onEvent).not.toHaveBeenCalled();

    const typo = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={onEvent} />, { columns: 60 });
    await typo.type(TYPO);
    expect(typo.text()).toContain('its check digit does not match');
    await typo.press('enter');
    expect(onEvent).not.toHaveBeenCalled();
    expect(widestLine(typo.frame())).toBeLessThanOrEqual(60);
  });

  it('tells "wrong recovery key" from "not a recovery key" and keeps the typed key after a wrong attempt', async () => {
    const onEvent = events();
    const ui = renderAt(
      <RecoveryKeyStep
        draft={KEY}
        problem={{ kind: 'rejected', code: 'WRONG_RECOVERY_KEY', status: 400, message: 'That recovery key does not belong to this account.' }}
        canGoBack
        unlockOnly
        onEvent={onEvent}
      />,
    );
    expect(ui.frame()).toContain('Unlock your encrypted messages');
    expect(ui.text()).toContain('That is a recovery key, but not the one for this account.');
    expect(ui.text()).not.toContain('Not a recovery key');
    await ui.press('tab');
    expect(ui.frame()).toContain(KEY);
    await ui.press('backspace');
    expect(ui.text()).not.toContain('not the one for this account');
    await ui.type('1');
    await ui.press('enter');
    expect(sentKey(onEvent)).toBe(COMPACT);
  });

  it('shows a failed call in words, offers "lost key", and Esc only where going back is allowed', async () => {
    const onEvent = events();
    const ui = renderAt(
      <RecoveryKeyStep draft={KEY} problem={{ kind: 'server', message: 'Internal error', status: 500 }} canGoBack={false} unlockOnly onEvent={onEvent} />,
    );
    expect(ui.frame()).toContain('Internal error');
    expect(hintText(ui.hints())).toBe('Enter unlock | Tab show | Ctrl-F I lost my key');
    await ui.press('escape');
    expect(onEvent).not.toHaveBeenCalled();
    await ui.press('ctrlF');
    expect(onEvent).toHaveBeenCalledTimes(1);
    const forgot = onEvent.mock.calls[0]![0];
    expect(forgot.type).toBe('FORGOT_RECOVERY_KEY');
    // What was typed goes along (as a Secret), so "back" from the reset warning can bring it back.
    expect(forgot.type === 'FORGOT_RECOVERY_KEY' && forgot.draft?.reveal()).toBe(COMPACT);

    const back = events();
    const other = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={back} />);
    expect(hintText(other.hints())).toContain('Esc back');
    await other.press('escape');
    expect(back).toHaveBeenCalledWith({ type: 'BACK' });
  });

  it('masks with ASCII where the terminal has no Unicode', async () => {
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={events()} />, { caps: ASCII });
    await ui.type(KEY);
    expect(ui.frame()).toContain('**** ****');
    expect(ui.frame()).not.toContain('•');
  });
});

describe('ResetWarningStep', () => {
  it('explains what a reset costs and needs a second Enter without the old key', async () => {
    const onEvent = events();
    const ui = renderAt(<ResetWarningStep onEvent={onEvent} />, { columns: 60 });
    expect(ui.text()).toContain('your other devices must be verified again');
    expect(ui.text()).toContain('messages only kept in old backups cannot be read');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    await ui.press('enter');
    expect(onEvent).not.toHaveBeenCalled();
    expect(ui.text()).toContain('Press Enter again to make a new key');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'CONFIRM_RESET' });
  });

  it('passes the old key along when given, and refuses one that is not a key', async () => {
    const onEvent = events();
    const ui = renderAt(<ResetWarningStep onEvent={onEvent} />);
    await ui.type(TYPO);
    await ui.press('enter');
    expect(ui.text()).toContain('its check digit does not match');
    expect(onEvent).not.toHaveBeenCalled();
    await ui.type('\u007F'.repeat(48));
    expect(ui.frame()).toContain('Old key: leave empty if you lost it');
    await ui.type(KEY);
    await ui.press('enter');
    const event = onEvent.mock.calls[0]![0];
    expect(event.type === 'CONFIRM_RESET' && event.existingRecoveryKey?.reveal()).toBe(COMPACT);
  });

  it('Esc goes back', async () => {
    const onEvent = events();
    const ui = renderAt(<ResetWarningStep onEvent={onEvent} />);
    await ui.press('escape');
    expect(onEvent).toHaveBeenCalledWith({ type: 'BACK' });
  });
});

function fakeStorage(results: SaveResult[] = []): KeyStorage & { copied: string[]; saved: [string, string][] } {
  const copied: string[] = [];
  const saved: [string, string][] = [];
  return {
    defaultPath: '~/beeper-recovery-key.txt',
    copied,
    saved,
    copy: (text) => void copied.push(text),
    save: async (path, text) => {
      saved.push([path, text]);
      return results.shift() ?? { ok: true, path: `/home/me/${path.slice(2)}` };
    },
  };
}

describe('NewRecoveryKeyStep', () => {
  it('shows the key once, in groups of four, with the warning', () => {
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={COMPACT} reason="new-account" storage={fakeStorage()} width={98} onEvent={events()} />);
    expect(ui.frame()).toContain(KEY);
    expect(ui.text()).toContain('It is shown only this once.');
    expect(hintText(ui.hints())).toBe('c copy | s save to file | Enter I saved it');
  });

  it('splits the key over two lines at 60 columns', () => {
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={COMPACT} reason="lost-key" storage={fakeStorage()} width={58} onEvent={events()} />, {
      columns: 60,
    });
    expect(ui.frame()).toContain('EsSz ykH7 LCZx 7Cae cmKD wcmY');
    expect(ui.frame()).toContain('JRXi Ybtu 8iQ3 t8Ez nRwK pUY1');
    expect(ui.frame()).toContain('Your new recovery key');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('copies through the terminal and says the copy was sent, not confirmed', async () => {
    const storage = fakeStorage();
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={COMPACT} reason="new-account" storage={storage} width={98} onEvent={events()} />);
    await ui.type('c');
    expect(storage.copied).toEqual([KEY]);
    expect(ui.text()).toContain('Sent the key to your clipboard');
    expect(ui.text()).toContain('cannot confirm it arrived');
  });

  it('saves to the default file, and offers another name instead of overwriting', async () => {
    const storage = fakeStorage([
      {
        ok: false,
        exists: true,
        path: '/home/me/beeper-recovery-key.txt',
        message: '/home/me/beeper-recovery-key.txt already exists, and beeper-setup never overwrites a file.',
        suggestion: '~/beeper-recovery-key-2.txt',
      },
    ]);
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={COMPACT} reason="new-account" storage={storage} width={98} onEvent={events()} />);
    await ui.type('s');
    expect(ui.frame()).toContain('Save to file: ~/beeper-recovery-key.txt');
    expect(hintText(ui.hints())).toBe('Enter save | Esc cancel');
    await ui.press('enter');
    expect(storage.saved).toEqual([['~/beeper-recovery-key.txt', KEY]]);
    expect(ui.text()).toContain('never overwrites a file. Choose another name.');
    expect(ui.frame()).toContain('Save to file: ~/beeper-recovery-key-2.txt');
    await ui.press('enter');
    expect(storage.saved[1]).toEqual(['~/beeper-recovery-key-2.txt', KEY]);
    expect(ui.text()).toContain('Saved to /home/me/beeper-recovery-key-2.txt (only you can read it).');
    expect(ui.frame()).not.toContain('Save to file:');
  });

  it('continues only after the last two groups are re-typed correctly, with the key hidden meanwhile', async () => {
    const onEvent = events();
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={COMPACT} reason="new-account" storage={fakeStorage()} width={98} onEvent={onEvent} />);
    await ui.press('enter');
    expect(ui.frame()).not.toContain('nRwK');
    expect(ui.text()).toContain('type the last two groups of your key');
    await ui.type('nRwK pUY2');
    await ui.press('enter');
    expect(ui.text()).toContain('That does not match the end of your key.');
    expect(onEvent).not.toHaveBeenCalled();
    await ui.press('escape');
    expect(ui.frame()).toContain(KEY);
    await ui.press('enter');
    await ui.type(' nRwK  pUY1 ');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'KEY_SAVED' });
  });

  it('shows why confirming the key failed', () => {
    const ui = renderAt(
      <NewRecoveryKeyStep
        recoveryKey={COMPACT}
        reason="new-account"
        problem={{ kind: 'server', message: 'Could not store the key.', status: 503 }}
        storage={fakeStorage()}
        width={98}
        onEvent={events()}
      />,
    );
    expect(ui.frame()).toContain('Could not store the key.');
  });

  describe('must be seen whole before the type-back gate', () => {
    /** The step as the wizard draws it: in the shell's frame, as wide as the window less its padding. */
    function InWindow({ onEvent }: { onEvent: (event: SetupEvent) => void }) {
      const { columns } = useTerminalSize();
      return <NewRecoveryKeyStep recoveryKey={COMPACT} reason="lost-key" storage={fakeStorage()} width={columns - 2} onEvent={onEvent} />;
    }
    const groups = KEY.split(' ');
    const wholeKeyOn = (frame: string) => groups.every((group) => frame.includes(group));

    it.each([
      [40, 10],
      [60, 8],
    ])('at %i×%i: no group is shown, Enter does not open the gate and says why; at the size it names the key is whole and Enter works', async (columns, rows) => {
      const onEvent = events();
      const ui = renderAt(<InWindow onEvent={onEvent} />, { columns, rows, shell: true });
      expect(groups.some((group) => ui.frame().includes(group))).toBe(false);
      const need = /To see your new recovery key whole, the window must be at least (\d+)×(\d+); this one is (\d+)×(\d+)\./.exec(ui.text());
      expect(need, ui.text()).not.toBeNull();
      await ui.press('enter');
      expect(ui.text()).toContain(`Enter does nothing until your new recovery key can be shown whole: at least ${need![1]}×${need![2]} (this window is ${need![3]}×${need![4]}).`);
      expect(ui.text()).not.toContain('type the last two groups');
      // Typing the visible end of the key changes nothing either.
      await ui.type('nRwKpUY1');
      await ui.press('enter');
      expect(onEvent).not.toHaveBeenCalled();

      const [needColumns, needRows] = [Number(need![1]), Number(need![2])];
      await ui.resize(needColumns, needRows - 1);
      expect(wholeKeyOn(ui.frame())).toBe(false);
      await ui.resize(needColumns, needRows);
      expect(wholeKeyOn(ui.frame()), ui.frame()).toBe(true);
      expect(ui.frame().trimEnd().split('\n').length).toBeLessThanOrEqual(needRows - 1);
      expect(hintText(ui.hints())).toContain('Enter I saved it');
      // A shrink after drawing hides it again, and Enter is refused again.
      await ui.resize(columns, rows);
      expect(wholeKeyOn(ui.frame())).toBe(false);
      await ui.press('enter');
      expect(ui.text()).not.toContain('type the last two groups');
      await ui.resize(needColumns, needRows);
      await ui.press('enter');
      expect(ui.text()).toContain('type the last two groups of your key');
      await ui.type('nRwKpUY1');
      await ui.press('enter');
      expect(onEvent).toHaveBeenCalledWith({ type: 'KEY_SAVED' });
    });

    it('at 100×30 the key is drawn whole at once', () => {
      const ui = renderAt(<InWindow onEvent={events()} />, { columns: 100, rows: 30, shell: true });
      expect(ui.frame()).toContain(KEY);
      expect(ui.text()).not.toContain('needs a window');
    });
  });
});
