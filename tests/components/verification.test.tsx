import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChooseMethodStep } from '../../components/ChooseMethodStep.js';
import { ConfirmScanStep } from '../../components/ConfirmScanStep.js';
import { EmojiCompare, gridGlyph } from '../../components/EmojiCompare.js';
import { headerRows } from '../../components/Header.js';
import { OfferEmojiStep } from '../../components/OfferEmojiStep.js';
import { QrPayloadStep } from '../../components/QrPayloadStep.js';
import { QrStep, largestQr } from '../../components/QrStep.js';
import type { SetupEvent } from '../../machines/types.js';
import { drawQr } from '../../src/shared/qr.js';
import { SAS_EMOJI_TABLE, parseSasEmojis } from '../../src/shared/sas.js';
import { noticeText } from '../../src/wording/states.js';
import { ASCII, hintText, KEYS, NO_COLOR, renderAt, stripAnsi, unmountAll, useTerminalSize, widestLine } from './render.js';

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

describe('EmojiCompare must be seen whole', () => {
  /** The comparison as the wizard draws it: in the shell's frame, as wide as the window less its padding. */
  function InWindow({ onEvent, waiting = false, language = 'en' }: { onEvent: (event: SetupEvent) => void; waiting?: boolean; language?: string }) {
    const { columns } = useTerminalSize();
    return <EmojiCompare emojis={SAS} decimals={DECIMALS} deviceName="Pixel 8" waiting={waiting} language={language} width={columns - 2} onEvent={onEvent} />;
  }
  const allShown = (frame: string) => SAS.every((entry) => frame.includes(entry.name)) && frame.includes('1234  5678  9012') && frame.includes('Compare emojis');

  it('at 40×15 shows none of them, y and n do nothing and say why; at the size it names all seven are on screen and y works', async () => {
    const onEvent = events();
    const ui = renderAt(<InWindow onEvent={onEvent} />, { columns: 40, rows: 15, shell: true });
    expect(SAS.some((entry) => ui.frame().includes(entry.name))).toBe(false);
    const need = /To see the seven emojis whole, the window must be at least (\d+)×(\d+); this one is 40×15\./.exec(ui.text());
    expect(need, ui.text()).not.toBeNull();
    expect(hintText(ui.hints())).toBe('Esc back');
    await ui.type('y');
    await ui.type('n');
    expect(onEvent).not.toHaveBeenCalled();
    expect(ui.text()).toContain('n does nothing until the seven emojis can be shown whole');
    await ui.resize(Number(need![1]), Number(need![2]) - 1);
    expect(allShown(ui.frame())).toBe(false);
    await ui.resize(Number(need![1]), Number(need![2]));
    expect(allShown(ui.frame()), ui.frame()).toBe(true);
    await ui.type('y');
    expect(onEvent).toHaveBeenCalledWith({ type: 'MATCH' });
  });

  it.each([
    [100, 30, 'en'],
    [60, 30, 'de'],
    [40, 40, 'en'],
  ] as const)('at %i×%i (%s) all seven, their names and the numbers fit, or the notice stands in', (columns, rows, language) => {
    const ui = renderAt(<InWindow onEvent={events()} language={language} />, { columns, rows, shell: true });
    const frame = ui.frame();
    const notice = frame.includes('To see the seven emojis whole');
    if (!notice) expect(SAS.every((entry) => frame.includes(entry.emoji.replace(/\uFE0F/g, '')))).toBe(true);
    expect(notice || frame.includes('1234  5678  9012')).toBe(true);
    expect(frame.trimEnd().split('\n').length).toBeLessThanOrEqual(rows - 1);
    expect(widestLine(frame)).toBeLessThanOrEqual(columns);
    if (columns === 100) expect(notice).toBe(false);
  });

  it('after "they match" the emojis stay whole or are replaced, and Esc still works', async () => {
    const onEvent = events();
    const ui = renderAt(<InWindow onEvent={onEvent} waiting />, { columns: 40, rows: 15, shell: true });
    expect(ui.text()).toContain('To see the seven emojis whole');
    await ui.press('escape');
    expect(onEvent).toHaveBeenCalledWith({ type: 'BACK' });
  });
});

describe('QrStep', () => {
  const lines = drawQr(QR_DATA, { color: true });
  const plain = lines.map(stripAnsi);
  /** A payload as long as the simulator's (134 bytes: a version 6 code, 45×23 drawn). */
  const MATRIX_DATA = Buffer.concat([Buffer.from('MATRIX\u0002\u0002\u0000\u001c', 'latin1'), Buffer.alloc(28, 0x41), Buffer.alloc(96, 9)]).toString('base64');
  const matrixLines = drawQr(MATRIX_DATA, { color: true }).map(stripAnsi);
  /** The step in the shell's frame, at a terminal size. */
  const qrAt = (columns: number, rows: number, onEvent = events(), data = MATRIX_DATA) =>
    renderAt(<QrStep data={data} deviceName="Pixel 8" canShowEmoji onEvent={onEvent} />, { columns, rows, shell: true });
  const drawn = (frame: string, code = matrixLines) => code.every((line) => frame.includes(line));
  const headers = (frame: string) => frame.split('\n').filter((line) => /Beeper setup/.test(line)).length;

  it('draws the whole code when it fits, dark on light in explicit colours', () => {
    const ui = renderAt(<QrStep data={QR_DATA} deviceName="Pixel 8" canShowEmoji onEvent={events()} />);
    expect(drawn(ui.frame(), plain)).toBe(true);
    // Black (30/40) and bright white (97/107), never the terminal's own default colours.
    expect(ui.rawFrame()).toContain('\u001B[107m');
    expect(ui.rawFrame()).toContain('\u001B[40m');
    expect(ui.frame()).toContain('Scan this code with your other device (Pixel 8)');
    expect(ui.frame()).not.toContain('Colours are off');
    expect(hintText(ui.hints())).toBe('e compare emojis | Esc back');
  });

  it('without colour draws plain blocks and says what they assume', () => {
    const ui = renderAt(<QrStep data={QR_DATA} canShowEmoji onEvent={events()} />, { caps: NO_COLOR, rows: 34 });
    for (const line of drawQr(QR_DATA, { color: false })) expect(ui.frame()).toContain(line);
    expect(ui.text()).toContain('Colours are off: the code assumes light text on a dark background.');
  });

  it('with room (100×40): header, title, code, instructions and keys, one under the other', () => {
    const ui = qrAt(100, 40);
    expect(drawn(ui.frame())).toBe(true);
    expect(headers(ui.frame())).toBe(1);
    expect(ui.text()).toContain('Scan this code with your other device (Pixel 8)');
    expect(ui.text()).toContain("Turn the screen's brightness up");
    expect(ui.frame().split('\n').length).toBeLessThanOrEqual(39);
  });

  it('at 80×24 the code stands beside the header, its words and its keys', () => {
    const ui = qrAt(80, 24);
    const frame = ui.frame();
    expect(drawn(frame)).toBe(true);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    expect(widestLine(frame)).toBeLessThanOrEqual(80);
    expect(headers(frame)).toBe(1);
    // The header, the words and the keys stand right of the code, on its rows.
    const lines = frame.split('\n');
    expect(lines[0]!.startsWith(` ${matrixLines[0]!}`)).toBe(true);
    expect(lines[0]).toContain('Beeper setup');
    const words = lines.map((line) => line.slice(matrixLines[0]!.length + 1).trim()).join(' ');
    expect(words).toContain('Scan this code with your other device (Pixel 8)');
    expect(words).toContain('e compare emojis · Esc back · Ctrl-C quit');
  });

  it('short and narrow (60×30): the code, one line of instruction, one of keys', () => {
    const ui = qrAt(60, 30);
    const frame = ui.frame();
    expect(drawn(frame)).toBe(true);
    expect(frame.split('\n').length).toBeLessThanOrEqual(29);
    expect(ui.text()).toContain('Scan this code with your other device (Pixel 8).');
    expect(ui.text()).not.toContain('brightness');
    expect(frame.trimEnd().split('\n').at(-1)).toContain('e compare emojis · Esc back · Ctrl-C quit');
  });

  it('never cuts the code: names the windows it needs, draws it at exactly those, and offers emojis', async () => {
    const onEvent = events();
    const ui = qrAt(60, 20, onEvent);
    expect(drawn(ui.frame())).toBe(false);
    expect(ui.frame()).not.toContain(matrixLines[3]!);
    const need = /To see the QR code whole, the window must be at least (\d+)×(\d+) or (\d+)×(\d+); this one is 60×20\./.exec(ui.text());
    expect(need, ui.text()).not.toBeNull();
    expect(ui.text()).toContain('Or press e to compare emojis instead.');
    await ui.type('e');
    expect(onEvent).toHaveBeenCalledWith({ type: 'SHOW_EMOJI' });

    const sizes = [
      [Number(need![1]), Number(need![2])],
      [Number(need![3]), Number(need![4])],
    ] as const;
    expect(sizes).toContainEqual([77, 24]);
    for (const [columns, rows] of sizes) {
      // The window it names is the real limit: at exactly that size the code is drawn, a row less and it is not.
      expect(drawn(qrAt(columns, rows).frame()), `${columns}×${rows}`).toBe(true);
      expect(drawn(qrAt(columns, rows - 1).frame()), `${columns}×${rows - 1}`).toBe(false);
    }
    // The narrowest window is the code's width and the page's padding.
    expect(drawn(qrAt(47, 60).frame())).toBe(true);
    expect(drawn(qrAt(46, 60).frame())).toBe(false);
  });

  it('growing the window draws it, shrinking it brings the notice back; each time the shell hears whether it is whole', async () => {
    const reports: boolean[] = [];
    const ui = renderAt(<QrStep data={MATRIX_DATA} canShowEmoji onEvent={events()} />, { columns: 60, rows: 20, shell: true, onWhole: (whole) => reports.push(whole) });
    expect(drawn(ui.frame())).toBe(false);
    await ui.resize(80, 24);
    expect(drawn(ui.frame())).toBe(true);
    await ui.resize(70, 24);
    expect(drawn(ui.frame())).toBe(false);
    expect(ui.text()).toContain('this one is 70×24');
    expect(reports).toEqual([false, true, false]);
  });

  it('offers emojis only when the machine allows it', async () => {
    const onEvent = events();
    const ui = renderAt(<QrStep data={QR_DATA} canShowEmoji={false} onEvent={onEvent} />);
    await ui.type('e');
    expect(onEvent).not.toHaveBeenCalled();
    expect(hintText(ui.hints())).toBe('Esc back');
  });

  it('falls back to words where the terminal cannot draw it', () => {
    const ui = renderAt(<QrStep data={QR_DATA} canShowEmoji onEvent={events()} />, {
      caps: ASCII,
    });
    expect(ui.text()).toContain('This terminal cannot draw the QR code');
    expect(ui.frame()).not.toMatch(/[█▀▄]/);
  });
});

describe('OfferEmojiStep', () => {
  const MATRIX_DATA = Buffer.concat([Buffer.from('MATRIX\u0002\u0002\u0000\u001c', 'latin1'), Buffer.alloc(28, 0x41), Buffer.alloc(96, 9)]).toString('base64');

  it('offers emojis first where the code does not fit, names the window the code needs, and has it one key away', async () => {
    const onEvent = events();
    const ui = renderAt(<OfferEmojiStep data={MATRIX_DATA} deviceName="Pixel 8" onEvent={onEvent} />, { columns: 60, rows: 24, shell: true });
    expect(ui.text()).toContain('Compare emojis with your other device (Pixel 8)');
    expect(ui.text()).toContain('The code needs a window of at least 60×29 or 77×24; this one is 60×24.');
    expect(hintText(ui.hints())).toBe('Enter compare emojis | q show the QR code | Esc back');
    await ui.type('q');
    await ui.press('enter');
    await ui.press('escape');
    expect(onEvent.mock.calls.map(([event]) => event.type)).toEqual(['SHOW_QR', 'SHOW_EMOJI', 'BACK']);
  });
});

describe('the largest QR code a window draws whole (what the wizard tells the machine)', () => {
  const frame = (columns: number, rows: number, panel = false) => ({
    window: { columns, rows },
    header: () => null,
    headerRowsAt: (width: number) => headerRows({ target: 'Beeper Server 4.2.1 on 127.0.0.1:23373', phase: 2, width }),
    debugLines: [],
    panel: panel ? { minRowsAt: () => 1, render: () => null, rows: 1, onRows: () => {} } : undefined,
  });

  it.each([
    [80, 24, false, 41],
    [80, 24, true, 41],
    [100, 30, true, 53],
    [60, 24, false, 29],
    [40, 15, false, 0],
  ] as const)('%i×%i (demo panel: %s): %i modules a side', (columns, rows, panel, modules) => {
    expect(largestQr(frame(columns, rows, panel), 'Pixel 8', { unicode: true, color: true })).toBe(modules);
  });

  it('none without Unicode, where no code can be drawn', () => {
    expect(largestQr(frame(200, 80), 'Pixel 8', { unicode: false, color: true })).toBe(0);
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

describe('QrPayloadStep (verify --qr-file)', () => {
  const PAYLOAD = Buffer.from('MATRIX\u0002\u0001payload', 'latin1').toString('base64');

  it('sends a pasted payload (spaces and line breaks dropped), and refuses an empty one saying why', async () => {
    const onEvent = events();
    const ui = renderAt(<QrPayloadStep deviceName="MacBook Air" onEvent={onEvent} />, { columns: 60 });
    expect(ui.frame()).toContain('Scan the code on your other device (MacBook Air)');
    await ui.type(KEYS.enter);
    expect(ui.text()).toContain('That is empty: paste the payload your scanner read from the code.');
    expect(onEvent).not.toHaveBeenCalled();
    await ui.type(`${PAYLOAD.slice(0, 10)} \n${PAYLOAD.slice(10)}`);
    await ui.type(KEYS.enter);
    const sent = onEvent.mock.calls.at(-1)?.[0];
    expect(sent).toMatchObject({ type: 'SUBMIT_QR' });
    expect(sent?.type === 'SUBMIT_QR' && sent.data.reveal()).toBe(PAYLOAD);
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('--qr-file PATH: names the file, sends its payload once it is there, and says why it cannot be read', async () => {
    const onEvent = events();
    let found: ((payload: string) => void) | undefined;
    let failed: ((message: string) => void) | undefined;
    const stop = vi.fn();
    const file = { path: '/tmp/scanned.txt', watch: (onFound: (payload: string) => void, onFailed: (message: string) => void) => ((found = onFound), (failed = onFailed), stop) };
    const ui = renderAt(<QrPayloadStep deviceName="MacBook Air" file={file} onEvent={onEvent} />);
    expect(ui.frame().replace(/\s+/g, ' ')).toContain('or write it to /tmp/scanned.txt: it is read as soon as it is there.');
    failed!('/tmp/scanned.txt is too large to hold a QR payload.');
    await ui.waitFor('too large to hold a QR payload');
    found!(PAYLOAD);
    const sent = onEvent.mock.calls.at(-1)?.[0];
    expect(sent).toMatchObject({ type: 'SUBMIT_QR', source: 'preset' });
    expect(sent?.type === 'SUBMIT_QR' && sent.data.reveal()).toBe(PAYLOAD);
    ui.unmount();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});
