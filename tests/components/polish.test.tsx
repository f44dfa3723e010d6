/**
 * The finishing touches of the restructured wizard, each pinned so a
 * regression fails here: readline editing in text fields, placeholders under
 * NO_COLOR, honest wording without Unicode, the re-type gate of a new key,
 * the username step's keys, emoji names in the user's language, the draft
 * that "I lost my key" carries, and hints that never lag their screen.
 */
import { Box, Text } from 'ink';
import { useLayoutEffect, useState } from 'react';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChooseMethodStep } from '../../components/ChooseMethodStep.js';
import { EmailStep } from '../../components/EmailStep.js';
import { EmojiCompare } from '../../components/EmojiCompare.js';
import { NO_KEY, splitKeys } from '../../components/keys.js';
import type { KeyStorage } from '../../components/keyStorage.js';
import { NewRecoveryKeyStep } from '../../components/NewRecoveryKeyStep.js';
import { RecoveryKeyStep } from '../../components/RecoveryKeyStep.js';
import { StepView } from '../../components/StepView.js';
import { TextField, type TextFieldProps } from '../../components/TextField.js';
import { UsernameStep } from '../../components/UsernameStep.js';
import type { SetupEvent } from '../../machines/types.js';
import type { StepName } from '../../machines/steps.js';
import { parseSasEmojis } from '../../src/shared/sas.js';
import { STEP_FIXTURES } from './fixtures.js';
import { ASCII, NO_COLOR, UNICODE, hintText, hintsOf, renderAt, unmountAll, widestLine, type Rendered } from './render.js';

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();
const storage: KeyStorage = { defaultPath: '~/k.txt', copy: () => {}, save: async (path) => ({ ok: true, path }) };

/** A TextField with its own state; the value is echoed on a line of its own, between markers. */
function Field({ initial = '', ...props }: Partial<TextFieldProps> & { initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <Box flexDirection="column">
      <TextField value={value} onChange={setValue} {...props} />
      <Text>value=«{value}»</Text>
    </Box>
  );
}
const valueOf = (ui: Rendered) => /value=«(.*)»/.exec(ui.frame())?.[1];

describe('TextField: readline editing keys', () => {
  it('Ctrl-A goes to the start and Ctrl-E back to the end', async () => {
    const ui = renderAt(<Field />);
    await ui.type('world');
    await ui.press('ctrlA');
    await ui.type('hello ');
    expect(valueOf(ui)).toBe('hello world');
    await ui.press('ctrlE');
    await ui.type('!');
    expect(valueOf(ui)).toBe('hello world!');
  });

  it('Ctrl-U erases everything before the cursor, Ctrl-K everything after it', async () => {
    const ui = renderAt(<Field />);
    await ui.type('hello big world');
    for (let i = 0; i < 5; i++) await ui.press('left');
    await ui.press('ctrlU');
    expect(valueOf(ui)).toBe('world');
    // The cursor is now at the start.
    await ui.type('new ');
    expect(valueOf(ui)).toBe('new world');

    await ui.press('ctrlK');
    expect(valueOf(ui)).toBe('new ');
    await ui.press('ctrlA');
    await ui.press('right');
    await ui.press('ctrlK');
    expect(valueOf(ui)).toBe('n');
  });

  it('Ctrl-W erases the word before the cursor, back to whitespace, as readline does', async () => {
    const ui = renderAt(<Field />);
    await ui.type('hello big world');
    await ui.press('ctrlW');
    expect(valueOf(ui)).toBe('hello big ');
    // Whitespace before the cursor goes with the word before it.
    await ui.press('ctrlW');
    expect(valueOf(ui)).toBe('hello ');

    const middle = renderAt(<Field initial="one two three" />);
    for (let i = 0; i < 6; i++) await middle.press('left');
    await middle.press('ctrlW');
    expect(valueOf(middle)).toBe('one  three');
  });

  it('with wordSize 4, Ctrl-W erases the last group of four (a partial one first)', async () => {
    const ui = renderAt(<Field filter={(text) => text.replace(/\s+/g, '')} wordSize={4} />);
    await ui.type('EsTc LW2K PG');
    expect(valueOf(ui)).toBe('EsTcLW2KPG');
    await ui.press('ctrlW');
    expect(valueOf(ui)).toBe('EsTcLW2K');
    await ui.press('ctrlW');
    expect(valueOf(ui)).toBe('EsTc');
    await ui.press('ctrlW');
    expect(valueOf(ui)).toBe('');
  });

  it('the recovery key field erases by group with Ctrl-W', async () => {
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={events()} />);
    await ui.type('EsTc LW2K PGiF');
    await ui.press('tab');
    expect(ui.frame()).toContain('Key: EsTc LW2K PGiF');
    await ui.press('ctrlW');
    expect(ui.frame()).toMatch(/Key: EsTc LW2K\s*$/m);
  });
});

describe('NO_COLOR: placeholders', () => {
  it('brackets the email placeholder, so it never looks typed', async () => {
    const ui = renderAt(<EmailStep email="" onEvent={events()} />, { caps: NO_COLOR });
    expect(ui.frame()).toContain('Email: [you@example.com]');
    await ui.type('a');
    expect(ui.frame()).toMatch(/Email: a\s*$/m);
    expect(ui.frame()).not.toContain('[');
  });

  it('with colour the placeholder is grey and not bracketed', () => {
    const ui = renderAt(<EmailStep email="" onEvent={events()} />, { caps: UNICODE });
    expect(ui.frame()).toMatch(/Email: you@example\.com\s*$/m);
    expect(ui.frame()).not.toContain('[you@example.com]');
  });
});

describe('ASCII (LANG=C): the method chooser', () => {
  it('does not promise a QR code or emojis, and says what happens instead', async () => {
    const onEvent = events();
    const ui = renderAt(<ChooseMethodStep choices={['device', 'recovery-key', 'forgot']} onEvent={onEvent} />, { caps: ASCII });
    expect(ui.text()).toContain('compare a list of words');
    expect(ui.text()).not.toMatch(/scan a QR code|compare emojis/);
    expect(ui.frame()).not.toMatch(/[^\x00-\x7F]/);
    expect(hintText(ui.hints())).toBe('Up/Down choose | 1-3 pick by number | Enter continue');
    await ui.type('1');
    expect(onEvent).toHaveBeenCalledWith({ type: 'CHOOSE_DEVICE' });
  });

  it('with Unicode it offers the QR code and emojis', () => {
    const ui = renderAt(<ChooseMethodStep choices={['device', 'recovery-key', 'forgot']} onEvent={events()} />);
    expect(ui.text()).toContain('scan a QR code or compare emojis');
    expect(hintText(ui.hints())).toBe('↑↓ choose | 1–3 pick by number | Enter continue');
  });
});

describe('the re-type gate of a new recovery key', () => {
  /** Ends in "gUMN UE4d". */
  const KEY = 'EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d';

  it('explains each wrong answer and sends KEY_SAVED only for the right groups', async () => {
    const onEvent = events();
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={KEY} reason="new-account" storage={storage} width={98} onEvent={onEvent} />);
    await ui.press('enter');
    expect(hintText(ui.hints())).toBe('Enter check | Esc show the key again');

    await ui.press('enter');
    expect(ui.text()).toContain('✗ Type the last two groups of your key (8 characters) from your saved copy.');

    await ui.type('GUMN ue4d');
    await ui.press('enter');
    expect(ui.text()).toContain('Almost: recovery keys are case-sensitive.');
    expect(ui.text()).not.toContain('does not match');

    await ui.type('\u007F'.repeat(9));
    await ui.type('gUMN UE4x');
    await ui.press('enter');
    expect(ui.text()).toContain('That does not match the end of your key.');
    expect(ui.text()).not.toContain('case-sensitive');

    await ui.type('\u007F'.repeat(9));
    await ui.type('UE4d');
    await ui.press('enter');
    expect(ui.text()).toContain('That is 4 characters; the last two groups are 8.');
    expect(onEvent).not.toHaveBeenCalled();

    // Editing clears the message; the right groups (spacing as you like) continue.
    await ui.press('ctrlU');
    expect(ui.text()).not.toContain('That is 4 characters');
    await ui.type('gUMN  UE4d');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'KEY_SAVED' });
  });
});

describe('keys that arrive in one read', () => {
  // A script, a paste or a loaded machine can deliver several keys at once: each still counts.
  it('Ctrl-U, the text after it and Enter, sent as one chunk, clear, type and submit', async () => {
    const KEY = 'EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d';
    const onEvent = events();
    const ui = renderAt(<NewRecoveryKeyStep recoveryKey={KEY} reason="new-account" storage={storage} width={98} onEvent={onEvent} />);
    await ui.press('enter');
    await ui.type('1111 2222\r');
    expect(ui.text()).toContain('That does not match the end of your key.');
    await ui.type('\u0015gUMN UE4d\r');
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'KEY_SAVED' });
  });

  it('splitKeys keeps text together and gives each control key its own event', () => {
    const plain = NO_KEY;
    expect(splitKeys('hello', plain)).toEqual([['hello', plain]]);
    const split = splitKeys('ab\u0015cd\r\u007f\t', plain);
    expect(split.map(([input, key]) => [input, key.ctrl, key.return, key.backspace, key.tab])).toEqual([
      ['ab', false, false, false, false],
      ['u', true, false, false, false],
      ['cd', false, false, false, false],
      ['', false, true, false, false],
      ['', false, false, true, false],
      ['', false, false, false, true],
    ]);
  });
});

describe('UsernameStep keys', () => {
  const copy = { title: 'Choose your username', usernamePlaceholder: 'Username', terms: 'Terms.', submit: 'Continue' };

  it("Esc sends CHANGE_EMAIL, and the Enter hint is the server's text in lower case", async () => {
    const onEvent = events();
    const ui = renderAt(<UsernameStep copy={copy} suggestions={['carol', 'carol42']} username="" email="carol@example.com" onEvent={onEvent} />);
    expect(ui.hints()[0]).toEqual({ keys: 'Enter', label: 'continue' });
    expect(hintText(ui.hints())).not.toContain('Continue');
    expect(hintText(ui.hints())).toContain('Esc use another email');
    await ui.press('escape');
    expect(onEvent).toHaveBeenCalledExactlyOnceWith({ type: 'CHANGE_EMAIL' });
  });

  it('has a word for Enter when the server sent none', () => {
    const blank = renderAt(<UsernameStep copy={{ ...copy, submit: '  ' }} suggestions={[]} username="" email="c@x.io" onEvent={events()} />);
    expect(blank.hints()[0]).toEqual({ keys: 'Enter', label: 'continue' });
  });
});

describe('emoji names in the user language', () => {
  const SAS = parseSasEmojis('🐶 ✈️ ☂️ 🐱 🦁 🐎 🦄');
  const compare = (language: string | undefined, options: { width?: number; emojis?: typeof SAS } = {}) =>
    renderAt(<EmojiCompare emojis={options.emojis ?? SAS} decimals={['1234', '5678', '9012']} language={language} width={options.width ?? 98} waiting={false} onEvent={events()} />, {
      columns: (options.width ?? 98) + 2,
    });
  /** The column (in cells) where `text` starts on `line`. */
  const column = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));

  it('German: "Hund" under 🐶, and "Dog" beneath it', () => {
    const ui = compare('de');
    const lines = ui.frame().split('\n');
    const names = lines.findIndex((line) => line.includes('Hund'));
    expect(lines[names - 1]).toContain('🐶');
    expect(lines[names]).toMatch(/Hund\s+Flugzeug\s+Regenschirm\s+Katze/);
    expect(lines[names + 1]).toMatch(/Dog\s+Aeroplane\s+Umbrella\s+Cat/);
    expect(column(lines[names + 1]!, 'Dog')).toBe(column(lines[names]!, 'Hund'));
    expect(column(lines[names + 1]!, 'Cat')).toBe(column(lines[names]!, 'Katze'));
  });

  it('Japanese: 犬 for 🐶', () => {
    const ui = compare('ja');
    expect(ui.frame()).toMatch(/犬\s+飛行機\s+傘\s+猫/);
    expect(ui.frame()).toContain('Dog');
  });

  it('an unknown language falls back to English, without the English twice', () => {
    for (const language of ['xx', 'tlh_QO', undefined]) {
      const ui = compare(language);
      expect(ui.frame(), String(language)).toMatch(/Dog\s+Aeroplane\s+Umbrella\s+Cat/);
      expect(ui.frame().match(/Dog/g), String(language)).toHaveLength(1);
    }
  });

  it('names too long for the grid switch to one per line, all seven shown', () => {
    // 🎅 in Albanian is "Babagjyshi i Vitit të Ri": four such cells are wider than the terminal.
    const SANTA = parseSasEmojis('🐶 🎅 ✈️ ☂️ 🐱 🦁 🦄');
    const ui = compare('sq', { width: 58, emojis: SANTA });
    const frame = ui.frame();
    expect(widestLine(frame)).toBeLessThanOrEqual(60);
    const listed = frame.split('\n').filter((line) => /^\d\. /.test(line));
    expect(listed).toHaveLength(7);
    expect(listed[0]).toMatch(/^1\. 🐶\s+Qen \(Dog\)$/);
    expect(listed[1]).toMatch(/^2\. 🎅\s+Babagjyshi i Vitit të Ri \(Santa\)$/);
    expect(listed[6]).toMatch(/^7\. 🦄\s+Njëbrirësh \(Unicorn\)$/);
    for (const [i, entry] of SANTA.entries()) expect(listed[i]).toContain(entry.emoji.replace(/\uFE0F/g, ''));
    // Wide (🐶) and narrow (✈ without U+FE0F) glyphs alike: every name starts in the same column.
    const nameColumn = (line: string) => stringWidth(line.slice(0, line.search(/\p{L}/u)));
    expect(new Set(listed.map(nameColumn)).size, listed.join('\n')).toBe(1);

    // The same emojis in English fit the grid at the same width: the names decide.
    const english = compare('en', { width: 58, emojis: SANTA });
    expect(english.frame()).not.toMatch(/^\d\. /m);
    expect(english.frame()).toMatch(/Dog\s+Santa\s+Aeroplane\s+Umbrella/);
  });
});

describe('RecoveryKeyStep: "I lost my key"', () => {
  it('Ctrl-F sends FORGOT_RECOVERY_KEY carrying what was typed, as a Secret', async () => {
    const onEvent = events();
    const ui = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={onEvent} />);
    expect(hintText(ui.hints())).toContain('Ctrl-F I lost my key');
    await ui.type('EsTc LW2K PG');
    await ui.press('ctrlF');
    expect(onEvent).toHaveBeenCalledTimes(1);
    const event = onEvent.mock.calls[0]![0];
    expect(event.type).toBe('FORGOT_RECOVERY_KEY');
    const draft = event.type === 'FORGOT_RECOVERY_KEY' ? event.draft : undefined;
    expect(draft?.reveal()).toBe('EsTcLW2KPG');
    expect(String(draft)).toBe('[redacted]');
    expect(JSON.stringify(event)).not.toContain('EsTc');
  });

  it('an untouched field sends an empty draft, and a kept one comes back as typed', async () => {
    const onEvent = events();
    const ui = renderAt(<RecoveryKeyStep draft="EsTc LW2K" canGoBack unlockOnly={false} onEvent={onEvent} />);
    await ui.press('ctrlF');
    const event = onEvent.mock.calls[0]![0];
    expect(event.type === 'FORGOT_RECOVERY_KEY' && event.draft?.reveal()).toBe('EsTcLW2K');

    const empty = events();
    const fresh = renderAt(<RecoveryKeyStep draft="" canGoBack unlockOnly={false} onEvent={empty} />);
    await fresh.press('ctrlF');
    const none = empty.mock.calls[0]![0];
    expect(none.type === 'FORGOT_RECOVERY_KEY' && none.draft?.reveal()).toBe('');
  });
});

/** Calls `onCommit` in the layout phase of every commit it takes part in: after Ink wrote that commit's frame, before any effect. */
function CommitProbe({ onCommit }: { onCommit: () => void }) {
  useLayoutEffect(() => onCommit());
  return null;
}

describe('hints change in the same frame as the body', () => {
  function stepView(step: StepName, onCommit: () => void) {
    return (
      <>
        <StepView
          snapshot={STEP_FIXTURES[step]()}
          send={() => {}}
          baseUrl="http://127.0.0.1:23373"
          target="Beeper Server 4.2.1 on 127.0.0.1:23373"
          debug={false}
          storage={storage}
          language="en"
          columns={98}
        />
        <CommitProbe onCommit={onCommit} />
      </>
    );
  }

  /** Renders `from`, then `to` in its place; returns the first frame Ink wrote for `to`. */
  function firstFrameAfter(from: StepName, to: StepName): string {
    const frames: string[] = [];
    let ui: Rendered | undefined;
    const record = () => void (ui && frames.push(ui.frame()));
    ui = renderAt(stepView(from, record), { columns: 100, rows: 40 });
    frames.length = 0;
    ui.rerender(stepView(to, record));
    expect(frames.length).toBeGreaterThan(0);
    return frames[0]!;
  }

  it('compare-emojis → waiting-other-confirm: the first frame already offers only Esc', () => {
    const frame = firstFrameAfter('compare-emojis', 'waiting-other-confirm');
    expect(frame.replace(/\s+/g, ' ')).toContain('You said they match. Waiting for your other device (Pixel 8) to confirm too');
    expect(hintText(hintsOf(frame))).toBe('Esc stop and choose another way');
    expect(frame).not.toContain('y they match');
  });

  /** A spinner keeps turning across steps that share it: its glyph is not part of the comparison. */
  const withoutSpinner = (frame: string) => frame.replace(/^[\u2800-\u28FF] /gm, '');

  it.each([
    // The same screen component stays mounted across these: only new props.
    ['waiting-other-device', 'cancelling'],
    ['starting-verification', 'waiting-other-device'],
    // A different screen.
    ['code', 'checking-code'],
    ['waiting-other-device', 'showing-qr'],
    ['showing-qr', 'compare-emojis'],
    ['recovery-key', 'reset-warning'],
  ] as const)('%s → %s: the first frame shows the new step and its hints', (from, to) => {
    const frame = firstFrameAfter(from, to);
    const fresh = renderAt(stepView(to, () => {}), { columns: 100, rows: 40 });
    expect(hintsOf(frame)).toEqual(fresh.hints());
    expect(withoutSpinner(frame)).toBe(withoutSpinner(fresh.frame()));
  });
});
