import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChooseMethodStep } from '../../components/ChooseMethodStep.js';
import { ConfirmScanStep } from '../../components/ConfirmScanStep.js';
import { EmojiCompare, gridGlyph } from '../../components/EmojiCompare.js';
import { QrStep } from '../../components/QrStep.js';
import type { SetupEvent } from '../../machines/setupMachine.js';
import { drawQr } from '../../src/shared/qr.js';
import { SAS_EMOJI_TABLE, parseSasEmojis } from '../../src/shared/sas.js';
import { noticeText } from '../../src/wording/states.js';
import { ASCII, NO_COLOR, hintText, renderAt, stripAnsi, unmountAll, widestLine } from './render.js';

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();
const byName = (name: string) => SAS_EMOJI_TABLE.find((entry) => entry.name === name)!;
/** Includes the widest names and four of the seven entries with U+FE0F. */
const SAS = ['Strawberry', 'Cloud', 'Headphones', 'Heart', 'Dog', 'Scissors', 'Aeroplane'].map(byName);
const DECIMALS = ['1234', '5678', '9012'];
const QR_DATA = `MATRIX${Buffer.alloc(54, 7).toString('base64')}`;

describe('ChooseMethodStep', () => {
  it('offers only the given choices and sends the chosen one', async () => {
    const onEvent = events();
    const ui = renderAt(<ChooseMethodStep choices={['device', 'recovery-key']} onEvent={onEvent} />);
    expect(ui.frame()).toContain('1. Use another device');
    expect(ui.frame()).toContain('2. Enter my recovery key');
    expect(ui.frame()).not.toContain('I lost my recovery key');
    await ui.press('down');
    expect(ui.frame()).toContain('› 2. Enter my recovery key');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'CHOOSE_RECOVERY_KEY' });
  });

  it('follows ↓ then Enter even when they arrive together', async () => {
    const onEvent = events();
    const ui = renderAt(<ChooseMethodStep choices={['device', 'recovery-key', 'forgot']} onEvent={onEvent} />);
    await ui.type('\u001B[B\u001B[B\r');
    expect(onEvent).toHaveBeenCalledWith({ type: 'FORGOT_RECOVERY_KEY' });
  });

  it('puts an incoming request first and highlights it', async () => {
    const onEvent = events();
    const ui = renderAt(<ChooseMethodStep choices={['device', 'recovery-key', 'forgot']} onEvent={onEvent} />, { columns: 60 });
    ui.rerender(<ChooseMethodStep choices={['incoming', 'device', 'recovery-key', 'forgot']} incomingFrom="Pixel 8" onEvent={onEvent} />);
    await vi.waitFor(() => expect(ui.frame()).toContain('› 1. Accept the request from Pixel 8'));
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    await ui.press('enter');
    expect(onEvent).toHaveBeenLastCalledWith({ type: 'ACCEPT_INCOMING' });
    await ui.type('4');
    expect(onEvent).toHaveBeenLastCalledWith({ type: 'FORGOT_RECOVERY_KEY' });
  });

  it('says a verification the user left was cancelled on the other side too', () => {
    const notice = noticeText('verification-cancelled-by-us', { email: '', signInEndedBy: undefined });
    const ui = renderAt(<ChooseMethodStep choices={['device']} notice={notice} onEvent={events()} />);
    expect(ui.text()).toContain('Stopped the verification; your other device no longer waits for it.');
  });
});

describe('EmojiCompare', () => {
  it('shows the seven emojis with their names, 4 + 3, and the numbers', () => {
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} deviceName="Pixel 8" waiting={false} onEvent={events()} />);
    const lines = ui.frame().split('\n');
    const first = lines.findIndex((line) => line.includes('Strawberry'));
    expect(lines[first]).toMatch(/^Strawberry\s+Cloud\s+Headphones\s+Heart\s*$/);
    expect(lines.find((line) => line.includes('Dog'))).toMatch(/^Dog\s+Scissors\s+Aeroplane\s*$/);
    expect(lines[first - 1]).toContain('🍓');
    // Drawn without U+FE0F (text presentation), whose width terminals agree on.
    expect(lines[first - 1]).toContain('☁');
    expect(ui.frame()).not.toContain('\uFE0F');
    expect(ui.frame()).toContain('1234  5678  9012');
    expect(ui.text()).toContain('Check that your other device (Pixel 8) shows the same emojis');
  });

  it('aligns by entry: every name starts at a fixed cell boundary', () => {
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} waiting={false} onEvent={events()} />);
    const row = ui.frame().split('\n').find((line) => line.includes('Strawberry'))!;
    expect(['Strawberry', 'Cloud', 'Headphones', 'Heart'].map((name) => row.indexOf(name))).toEqual([0, 12, 24, 36]);
  });

  it('draws each emoji at the column where its name starts, the seven with U+FE0F included', () => {
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} waiting={false} onEvent={events()} />);
    const lines = ui.frame().split('\n');
    const column = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    for (const row of [SAS.slice(0, 4), SAS.slice(4)]) {
      const names = lines.findIndex((line) => line.startsWith(row[0]!.name));
      const glyphs = lines[names - 1]!;
      for (const entry of row) expect(column(glyphs, gridGlyph(entry.emoji)), entry.name).toBe(column(lines[names]!, entry.name));
    }
    expect(gridGlyph('✈️')).toBe('✈');
    expect(gridGlyph('🐶')).toBe('🐶');
  });

  it('fits 60 columns', () => {
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} deviceName="A very long device name, Pixel 8 Pro" waiting={false} onEvent={events()} />, {
      columns: 60,
    });
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('shows names and numbers only where the terminal cannot show emoji', () => {
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} waiting={false} onEvent={events()} />, { caps: ASCII });
    expect(ui.frame()).toContain('Strawberry');
    expect(ui.frame()).toContain('1234  5678  9012');
    expect(ui.frame()).not.toMatch(/[^\x00-\x7F]/);
  });

  it('y says they match, n that they do not, Esc goes back', async () => {
    const onEvent = events();
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} waiting={false} onEvent={onEvent} />);
    expect(hintText(ui.hints())).toBe("y they match | n they don't match | Esc back");
    await ui.type('y');
    await ui.type('n');
    await ui.press('escape');
    expect(onEvent.mock.calls.map(([event]) => event.type)).toEqual(['MATCH', 'NO_MATCH', 'BACK']);
  });

  it('after a match waits for the other device by name and takes no second answer', async () => {
    const onEvent = events();
    const ui = renderAt(<EmojiCompare emojis={SAS} decimals={DECIMALS} deviceName="Pixel 8" waiting onEvent={onEvent} />);
    expect(ui.text()).toContain('Waiting for your other device (Pixel 8) to confirm too');
    await ui.type('y');
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('parses what the server sends, with or without the variation selectors', () => {
    const plain = parseSasEmojis('🍓 ☁ 🎧 ❤ 🐶 ✂ ✈').map((entry) => entry.name);
    expect(plain).toEqual(SAS.map((entry) => entry.name));
  });
});

describe('QrStep', () => {
  const lines = drawQr(QR_DATA, { color: true });
  const plain = lines.map(stripAnsi);
  /** The step as the shell lays it out: 2 columns of padding, 6 rows of header, gaps and spare. */
  const qrAt = (columns: number, rows: number, onEvent = events()) =>
    renderAt(<QrStep data={QR_DATA} canShowEmoji columns={columns - 2} rows={rows - 6} window={{ columns, rows }} onEvent={onEvent} />, { columns, rows });
  const drawn = (frame: string) => plain.every((line) => frame.includes(line));

  it('draws the whole code when it fits, dark on light in explicit colours', () => {
    const ui = renderAt(
      <QrStep data={QR_DATA} deviceName="Pixel 8" canShowEmoji columns={98} rows={26} window={{ columns: 100, rows: 30 }} onEvent={events()} />,
    );
    expect(drawn(ui.frame())).toBe(true);
    // Black (30/40) and bright white (97/107), never the terminal's own default colours.
    expect(ui.rawFrame()).toContain('\u001B[107m');
    expect(ui.rawFrame()).toContain('\u001B[40m');
    expect(ui.frame()).toContain('Scan this code with your other device (Pixel 8)');
    expect(ui.frame()).not.toContain('Colours are off');
    expect(hintText(ui.hints())).toBe('e compare emojis instead | Esc back');
  });

  it('without colour draws plain blocks and says what they assume', () => {
    const ui = renderAt(
      <QrStep data={QR_DATA} canShowEmoji columns={98} rows={30} window={{ columns: 100, rows: 34 }} onEvent={events()} />,
      { caps: NO_COLOR, rows: 34 },
    );
    for (const line of drawQr(QR_DATA, { color: false })) expect(ui.frame()).toContain(line);
    expect(ui.text()).toContain('Colours are off: the code assumes light text on a dark background.');
  });

  it('never cuts the code: says how big the window must be and offers emojis', async () => {
    const onEvent = events();
    const ui = qrAt(60, 20, onEvent);
    expect(drawn(ui.frame())).toBe(false);
    expect(ui.frame()).not.toContain(plain[3]!);
    const need = /needs a window of at least (\d+) columns and (\d+) rows; this one is 60×20/.exec(ui.text());
    expect(need, ui.text()).not.toBeNull();
    const [needColumns, needRows] = [Number(need![1]), Number(need![2])];
    expect(ui.text()).toContain('Press e to compare emojis instead.');
    await ui.type('e');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SHOW_EMOJI' });

    // The window it names is the real limit: at exactly that size the code is drawn, a row or a column less and it is not.
    expect(drawn(qrAt(needColumns, needRows).frame())).toBe(true);
    expect(drawn(qrAt(needColumns, needRows - 1).frame())).toBe(false);
    // …and asks for the same size again there, not for more than it said before.
    expect(qrAt(needColumns, needRows - 1).text()).toContain(`at least ${needColumns} columns and ${needRows} rows`);
    expect(drawn(qrAt(needColumns - 1, 60).frame())).toBe(false);
    // Any wider window needs no more rows than it named.
    expect(drawn(qrAt(60, needRows).frame())).toBe(true);
  });

  it('offers emojis only when the machine allows it', async () => {
    const onEvent = events();
    const ui = renderAt(<QrStep data={QR_DATA} canShowEmoji={false} columns={98} rows={26} window={{ columns: 100, rows: 30 }} onEvent={onEvent} />);
    await ui.type('e');
    expect(onEvent).not.toHaveBeenCalled();
    expect(hintText(ui.hints())).toBe('Esc back');
  });

  it('falls back to words where the terminal cannot draw it', () => {
    const ui = renderAt(<QrStep data={QR_DATA} canShowEmoji columns={98} rows={26} window={{ columns: 100, rows: 30 }} onEvent={events()} />, {
      caps: ASCII,
    });
    expect(ui.text()).toContain('This terminal cannot draw the QR code');
    expect(ui.frame()).not.toMatch(/[█▀▄]/);
  });
});

describe('ConfirmScanStep', () => {
  it('asks whether the other device shows success before confirming', async () => {
    const onEvent = events();
    const ui = renderAt(<ConfirmScanStep deviceName="Pixel 8" onEvent={onEvent} />, { columns: 60 });
    expect(ui.text()).toContain('Your other device (Pixel 8) scanned the code. Does it say the verification succeeded');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    await ui.type('y');
    await ui.type('n');
    await ui.press('escape');
    expect(onEvent.mock.calls.map(([event]) => event.type)).toEqual(['SCAN_CONFIRMED', 'SCAN_DENIED', 'BACK']);
  });
});
