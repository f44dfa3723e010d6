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
import { STEP_NAMES, STEPS, stepOf, type StepName, type WaitStep } from '../../machines/steps.js';
import { waitText } from '../../src/wording/states.js';
import { session, snapshotAt, STEP_FIXTURES, verification } from './fixtures.js';
import { KEYS, renderAt, unmountAll, widestLine, type Hint } from './render.js';

afterEach(unmountAll);

const storage: KeyStorage = { defaultPath: '~/k.txt', copy: () => {}, save: async (path) => ({ ok: true, path }) };

function show(step: StepName, columns = 100, rows = 40, snapshot = STEP_FIXTURES[step](), debug = false) {
  const send = vi.fn<(event: SetupEvent) => void>();
  const ui = renderAt(
    <StepView
      snapshot={snapshot}
      send={send}
      baseUrl="http://127.0.0.1:23373"
      target="Beeper Server 4.2.1 on 127.0.0.1:23373"
      debug={debug}
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
    else if (hints.length === 0) {
      expect(STEPS[name]).toBe('wait');
      expect(frame).toContain(waitText(name as WaitStep, first.snapshot.context, { baseUrl: 'http://127.0.0.1:23373' }).title);
    }
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

describe('a step reached without its data shows one error screen, not a blank', () => {
  const tracking = (step: string) => ({ deviceVerification: { tracking: { poll: 'idle', step } } });
  const cases = [
    ['username', snapshotAt({ signIn: 'chooseUsername' }), 'the registration'],
    ['terms', snapshotAt({ signIn: 'reviewTerms' }), 'the registration'],
    ['creation-failed', snapshotAt({ newRecoveryKey: 'creationFailed' }), 'the problem'],
    ['save-recovery-key', snapshotAt({ newRecoveryKey: 'showingKey' }), 'the new recovery key'],
    ['showing-qr', snapshotAt(tracking('showingQr'), { verification: verification({ state: 'ready' }) }), 'the QR code'],
    ['offer-emoji', snapshotAt(tracking('offeringEmoji'), { verification: verification({ state: 'ready' }) }), 'the QR code'],
    ['compare-emojis', snapshotAt(tracking('comparingEmojis'), { verification: verification({ state: 'sas_ready' }) }), 'the emojis'],
    ['waiting-other-confirm', snapshotAt(tracking('waitingForOtherConfirm'), { verification: verification({ state: 'sas_ready' }) }), 'the emojis'],
    ['failed', snapshotAt('failed'), 'the problem'],
  ] as const;

  it.each(cases)('%s', (name, snapshot, what) => {
    expect(stepOf(snapshot).step).toBe(name);
    const { ui } = show(name, 100, 40, snapshot, true);
    expect(ui.frame()).toContain('Something went wrong in beeper-setup');
    expect(ui.frame()).toContain('This is a bug in beeper-setup, not something you did.');
    // --debug says what was missing, where.
    expect(ui.frame()).toContain(`message: The step "${name}" was reached without ${what} it shows.`);
  });

  it('without --debug, the screen says it is a bug and how to see the details', () => {
    const { ui } = show('username', 100, 40, snapshotAt({ signIn: 'chooseUsername' }));
    expect(ui.frame()).toContain('Something went wrong in beeper-setup');
    expect(ui.frame()).toContain('run with --debug');
    expect(ui.frame()).not.toContain('message:');
  });
});

describe('a wait that ran out says what it waited for, as headless mode does (src/wording/endOfRun.ts)', () => {
  it('setting up: how long, and where Beeper stands', () => {
    const snapshot = snapshotAt('timedOut', { waitTimeoutMs: 90_000, session: session('needs-first-sync') });
    const { ui } = show('timed-out', 100, 40, snapshot);
    const frame = ui.frame().replace(/\s+/g, ' ');
    expect(frame).toContain('Stopped waiting');
    expect(frame).toContain('Not ready after 1m 30s: Beeper is still verified; the first encrypted sync is running.');
    expect(frame).toContain('Run the same command again to resume, or allow longer with --timeout.');
  });

  it('verify: no request came', () => {
    const snapshot = snapshotAt('timedOut', { mode: 'vouch', waitTimeoutMs: 1000, session: session('ready') });
    const { ui } = show('timed-out', 100, 40, snapshot);
    expect(ui.frame().replace(/\s+/g, ' ')).toContain('Nothing verified after 1s: No verification request came from your other device.');
  });
});
