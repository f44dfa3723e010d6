/**
 * Every screen of every step, as the wizard draws it: its key hints come in
 * the same frame as its body, and no hint shows a key the screen does not
 * handle — each key shown is pressed, and must send an event or change the
 * screen. At 100 and at 60 columns nothing is wider than the terminal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyStorage } from '../../components/keyStorage.js';
import { StepView } from '../../components/StepView.js';
import type { SetupEvent } from '../../machines/types.js';
import { STEP_NAMES, stepOf, type StepName } from '../../machines/steps.js';
import { waitText } from '../../src/wording/states.js';
import { STEP_FIXTURES } from './fixtures.js';
import { KEYS, renderAt, unmountAll, widestLine, type Hint } from './render.js';

afterEach(unmountAll);

const storage: KeyStorage = { defaultPath: '~/k.txt', copy: () => {}, save: async (path) => ({ ok: true, path }) };

function show(step: StepName, columns = 100, rows = 40) {
  const send = vi.fn<(event: SetupEvent) => void>();
  const snapshot = STEP_FIXTURES[step]();
  const ui = renderAt(
    <StepView
      snapshot={snapshot}
      send={send}
      baseUrl="http://127.0.0.1:23373"
      target="Beeper Server 4.2.1 on 127.0.0.1:23373"
      debug={false}
      storage={storage}
      language="en"
      columns={columns - 2}
    />,
    { columns, rows, finished: snapshot.status !== 'active' },
  );
  return { ui, send, snapshot };
}

/** The key a hint names, as a terminal sends it. */
function keyOf(hint: Hint): string {
  const named: Record<string, keyof typeof KEYS> = { Enter: 'enter', Esc: 'escape', Tab: 'tab', 'Ctrl-R': 'ctrlR', 'Ctrl-F': 'ctrlF' };
  if (named[hint.keys]) return KEYS[named[hint.keys]!];
  if (hint.keys === '↑↓' || hint.keys === 'Up/Down') return KEYS.down;
  if (/^1[–-]\d$/.test(hint.keys)) return '2';
  if (hint.keys.length === 1) return hint.keys;
  throw new Error(`no key for the hint "${hint.keys} ${hint.label}"`);
}

describe('the step fixtures', () => {
  it.each(STEP_NAMES.map((name) => [name]))('%s is the step its snapshot declares', (name) => {
    expect(stepOf(STEP_FIXTURES[name]()).step).toBe(name);
  });
});

describe('every screen handles each key it shows', () => {
  it.each(STEP_NAMES.map((name) => [name]))('%s', async (name) => {
    const first = show(name);
    const hints = first.ui.hints();
    const frame = first.ui.text();
    first.ui.unmount();
    if (first.snapshot.status !== 'active') expect(hints, 'a finished run shows no keys').toEqual([]);
    // A screen with no keys of its own is a wait: it says what it waits for (Ctrl-C is the shell's key).
    else if (hints.length === 0) expect(frame).toContain(waitText(name, first.snapshot.context, { baseUrl: 'http://127.0.0.1:23373' }).title);
    // Pressed one at a time, each on a fresh screen, so one key's effect never hides another's.
    for (const hint of hints) {
      const { ui, send } = show(name);
      const before = ui.frame();
      await ui.type(keyOf(hint));
      const acted = send.mock.calls.length > 0 || ui.frame() !== before;
      expect(acted, `"${hint.keys} ${hint.label}" on ${name} did nothing`).toBe(true);
      ui.unmount();
    }
  });
});

describe('hints come in the same frame as the body', () => {
  it.each(['compare-emojis', 'waiting-other-device', 'code', 'showing-qr'] as const)('%s: its first frame already shows its keys', (name) => {
    const { ui } = show(name);
    // The very first frame Ink wrote, before any effect ran.
    expect(ui.hints().length).toBeGreaterThan(0);
  });
});

describe('every screen fits', () => {
  it.each(STEP_NAMES.flatMap((name) => [[name, 100] as const, [name, 60] as const]))('%s at %i columns', (name, columns) => {
    const { ui } = show(name, columns);
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(columns);
  });
});
