import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoPanel, demoPanelMinRows, demoPanelRows, toAscii } from '../../components/DemoPanel.js';
import { makeTheme } from '../../components/theme.js';
import { startDemo } from '../../src/demo.js';
import { demoPanel, useDemoScan } from '../../src/interactive.js';

/** The demo phone's scan delay, as src/demo.ts sets it. */
const DEMO_SCAN_DELAY_MS = 5000;
import { SetupClient } from '../../src/api/client.js';
import { ASCII, UNICODE, renderAt, unmountAll } from './render.js';

afterEach(unmountAll);

const NOTES = ['Simulation: no real Beeper account is used. Emailed codes and the other device show up here.'];
const EVENTS = ['Email to alice@example.com: your code is 123456', 'Pixel 8: The new sign-in asks to be verified. Accepting…', 'Pixel 8: compare: 🐶 Dog, ☁️ Cloud / 1000 2000 3000'];

describe('DemoPanel', () => {
  it('shows the notes and the latest lines when there is room', () => {
    const ui = renderAt(<DemoPanel notes={NOTES} events={EVENTS} maxRows={12} width={98} />);
    expect(ui.text()).toContain('Simulation: no real Beeper account is used.');
    for (const line of EVENTS.map((event) => event.slice(0, 20))) expect(ui.frame()).toContain(line);
  });

  it('drops older lines, then shrinks to one line, to stay within its rows', () => {
    const rows = demoPanelRows(NOTES, EVENTS.slice(2), 58);
    const tight = renderAt(<DemoPanel notes={NOTES} events={EVENTS} maxRows={rows} width={58} />, { columns: 60 });
    expect(tight.frame()).not.toContain('123456');
    expect(tight.frame()).toContain('Dog');
    expect(tight.frame().split('\n').length).toBeLessThanOrEqual(rows);
    const one = renderAt(<DemoPanel notes={NOTES} events={EVENTS} maxRows={2} width={58} />, { columns: 60 });
    expect(one.frame().split('\n')).toHaveLength(1);
    expect(one.frame()).toMatch(/^demo · Pixel 8: compare/);
    expect(renderAt(<DemoPanel notes={NOTES} events={EVENTS} maxRows={0} width={58} />).frame()).toBe('');
  });

  it('never cuts a line that must be seen whole (the emailed code): at its smallest the panel is that line, wrapped', () => {
    const code = EVENTS[0]!;
    const rows = demoPanelMinRows(makeTheme(UNICODE), [code], 38);
    expect(rows).toBe(2);
    const small = renderAt(<DemoPanel notes={NOTES} events={EVENTS} whole={[code]} maxRows={rows} width={38} />, { columns: 40 });
    expect(small.frame().split('\n')).toHaveLength(2);
    expect(small.text()).toContain('demo · Email to alice@example.com: your code is 123456');
    // With room for the box but not for every line, the older lines go, never the code.
    const boxed = renderAt(<DemoPanel notes={NOTES} events={[code, ...EVENTS.slice(1)]} whole={[code]} maxRows={6} width={58} />, { columns: 60 });
    expect(boxed.text()).toContain('your code is 123456');
    expect(boxed.frame().split('\n').length).toBeLessThanOrEqual(6);
  });

  it('keeps the simulator lines readable without Unicode', () => {
    expect(toAscii(EVENTS[2]!)).toBe('Pixel 8: compare: Dog, Cloud / 1000 2000 3000');
    const ui = renderAt(<DemoPanel notes={NOTES} events={EVENTS} maxRows={12} width={98} />, { caps: ASCII });
    expect(ui.frame()).not.toMatch(/[^\x00-\x7F]/);
    expect(ui.frame()).toContain('Accepting...');
  });
});

describe('startDemo', () => {
  it('runs the simulator in-process, reports its mail as demo events, and plays the phone', async () => {
    const demo = await startDemo();
    try {
      expect(demo.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(demo.handle.banner[0]).toContain('Simulation');
      expect(demo.handle.banner.join(' ')).toMatch(/recovery key: Es[STU]/);
      const events: { kind: string; text: string }[] = [];
      const stop = demo.handle.onEvent((event) => events.push(event));
      const client = new SetupClient({ baseUrl: demo.baseUrl });
      const { setupRequestID } = await client.start();
      await client.sendEmail({ setupRequestID, email: 'alice@example.com' });
      expect(events).toEqual([{ kind: 'mail', text: expect.stringMatching(/^Email to alice@example.com: your code is \d{6}$/) }]);
      await expect(demo.handle.scanQr()).rejects.toThrow();
      stop();
      await client.sendEmail({ setupRequestID, email: 'alice@example.com' });
      expect(events).toHaveLength(1);
    } finally {
      await demo.close();
    }
  });
});

describe('the demo phone scans only a code drawn whole', () => {
  function Probe({ demo, drawn }: { demo: { scanQr(): Promise<void>; scanDelayMs: number }; drawn: boolean }) {
    useDemoScan(demo, drawn);
    return null;
  }

  it('never while the code is not drawn whole; its scan delay after it is; not if it is hidden again before', async () => {
    vi.useFakeTimers();
    try {
      const scanQr = vi.fn(async () => {});
      const phone = { scanQr, scanDelayMs: DEMO_SCAN_DELAY_MS };
      const ui = renderAt(<Probe demo={phone} drawn={false} />);
      await vi.advanceTimersByTimeAsync(DEMO_SCAN_DELAY_MS * 4);
      expect(scanQr).not.toHaveBeenCalled();
      ui.rerender(<Probe demo={phone} drawn />);
      await vi.advanceTimersByTimeAsync(DEMO_SCAN_DELAY_MS - 1);
      // Shrunk before the scan: the code is no longer whole, and the phone waits again.
      ui.rerender(<Probe demo={phone} drawn={false} />);
      await vi.advanceTimersByTimeAsync(DEMO_SCAN_DELAY_MS * 4);
      expect(scanQr).not.toHaveBeenCalled();
      ui.rerender(<Probe demo={phone} drawn />);
      await vi.advanceTimersByTimeAsync(DEMO_SCAN_DELAY_MS);
      expect(scanQr).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the panel says so while the code is not drawn whole', () => {
    const demo = { banner: ['Simulation.'], accounts: [], scanDelayMs: DEMO_SCAN_DELAY_MS };
    expect(demoPanel(demo, 'showing-qr', 'alice@example.com', [], { drawn: true }).events.at(-1)).toContain('scans this QR code in 5s');
    expect(demoPanel(demo, 'showing-qr', 'alice@example.com', [], { drawn: false }).events.at(-1)).toContain('only once it is drawn whole');
  });
});
