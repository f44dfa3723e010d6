import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorStep } from '../../components/ErrorStep.js';
import { ReadyStep } from '../../components/ReadyStep.js';
import { WaitingStep } from '../../components/WaitingStep.js';
import type { Problem, ProblemKind } from '../../machines/problems.js';
import type { SetupEvent } from '../../machines/types.js';
import { formatDuration, formatElapsed } from '../../src/wording/format.js';
import { explainProblem, problemDetails } from '../../src/wording/problems.js';
import { ASCII, hintText, renderAt, unmountAll, widestLine } from './render.js';

afterEach(unmountAll);

const events = () => vi.fn<(event: SetupEvent) => void>();

describe('WaitingStep', () => {
  it('shows what it waits for and the elapsed time', async () => {
    const ui = renderAt(<WaitingStep title="Syncing your chats for the first time" since={Date.now() - 65_000} onEvent={events()} />);
    expect(ui.frame()).toMatch(/Syncing your chats for the first time… 1m 0[56]s/);
    expect(formatElapsed(42_000)).toBe('42s');
    expect(formatElapsed(185_000)).toBe('3m 05s');
    expect(formatElapsed(3_723_000)).toBe('1h 02m');
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(600_000)).toBe('10m');
  });

  it('says when the connection keeps failing and it is retrying', () => {
    const ui = renderAt(
      <WaitingStep title="Waiting" since={Date.now()} retrying={{ failures: 3, reason: 'Nothing is listening at http://x.' }} onEvent={events()} />,
      { columns: 60 },
    );
    expect(ui.text()).toContain('Connection trouble (3 failed tries), retrying: Nothing is listening at http://x.');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('offers its ways out as keys', async () => {
    const onEvent = events();
    const ui = renderAt(
      <WaitingStep
        title="Waiting for your other device to accept"
        since={Date.now()}
        actions={[
          { key: 'Esc', label: 'back', event: { type: 'BACK' } },
          { key: 'r', label: 'use recovery key instead', event: { type: 'USE_RECOVERY_KEY' } },
        ]}
        onEvent={onEvent}
      />,
    );
    expect(hintText(ui.hints())).toBe('Esc back | r use recovery key instead');
    await ui.type('r');
    await ui.press('escape');
    expect(onEvent.mock.calls.map(([event]) => event.type)).toEqual(['USE_RECOVERY_KEY', 'BACK']);
  });

  it('spins with ASCII where there is no Unicode', async () => {
    const ui = renderAt(<WaitingStep title="Checking the code" since={Date.now()} onEvent={events()} />, { caps: ASCII });
    await ui.waitFor(/^[-\\|/] Checking the code\.\.\. \ds/);
    expect(ui.frame()).not.toMatch(/[^\x00-\x7F]/);
  });
});

describe('ReadyStep', () => {
  it('says who is signed in, which device, where, and what next', () => {
    const ui = renderAt(
      <ReadyStep userID="@alice:beeper.com" deviceID="ABCDEFGHIJ" homeserver="https://matrix.beeper.com" target="Beeper Server 4.2.1 on 127.0.0.1:23373" />,
      { columns: 60 },
    );
    for (const text of ['Beeper is ready', '@alice:beeper.com', 'ABCDEFGHIJ', 'https://matrix.beeper.com', 'Beeper Server 4.2.1 on 127.0.0.1:23373', 'beeper-setup status']) {
      expect(ui.frame()).toContain(text);
    }
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
  });

  it('after the demo, points at a real setup instead of a status check that has nothing to talk to', () => {
    const ui = renderAt(<ReadyStep userID="@alice:beeper.com" target="Beeper Server 4.2.1 on 127.0.0.1:23373 (simulated)" simulated />, { columns: 60 });
    expect(ui.frame().replace(/\s+/g, ' ')).toContain('That was the simulation: no access token was kept, and it stops now.');
    expect(ui.frame()).not.toContain('beeper-setup status');
  });
});

/** Every kind, and whether its words pass the message on as sent (the server's, or the machine's own sentence). */
const KINDS: Record<ProblemKind, { echoes: boolean }> = {
  unreachable: { echoes: false },
  'unsupported-build': { echoes: false },
  'not-beeper': { echoes: false },
  rejected: { echoes: true },
  unauthorized: { echoes: true },
  'sign-in-expired': { echoes: true },
  server: { echoes: true },
  'invalid-response': { echoes: false },
  insecure: { echoes: false },
  'too-many-attempts': { echoes: true },
  'verification-keeps-ending': { echoes: true },
  'not-set-up': { echoes: true },
  'already-signed-in': { echoes: true },
  'key-not-activated': { echoes: true },
  'key-outcome-unknown': { echoes: true },
  unexpected: { echoes: false },
};

describe('problems in words', () => {
  it('explains every kind with a fix, and no stack or internals', () => {
    for (const [kind, { echoes }] of Object.entries(KINDS) as [ProblemKind, { echoes: boolean }][]) {
      const text = explainProblem({ kind, message: 'at Object.<anonymous> (/x.js:1:1)', call: 'POST /v1/app/setup/email', status: 500, code: 'X' }, { baseUrl: 'http://b:1' });
      const words = `${text.title} ${text.message} ${text.fix}`;
      expect(text.title.length, kind).toBeGreaterThan(5);
      expect(text.fix, kind).toBeTruthy();
      if (!echoes) expect(words, kind).not.toContain('Object.<anonymous>');
      expect(words, kind).not.toContain('POST /v1');
    }
  });

  it('unreachable: names the URL tried and how to point elsewhere', () => {
    const text = explainProblem({ kind: 'unreachable', message: '…', baseUrl: 'http://localhost:23373' }, { baseUrl: 'http://other' });
    expect(text.message).toContain('http://localhost:23373');
    expect(text.fix).toContain('--base-url');
    expect(text.fix).toContain('BEEPER_BASE_URL');
  });

  it('unsupported-build: says this build has no terminal setup and updating fixes it', () => {
    const text = explainProblem({ kind: 'unsupported-build', message: 'Not found.', status: 404 }, { baseUrl: 'http://b' });
    expect(text.title).toBe('This Beeper build has no terminal setup');
    expect(text.fix).toContain('Update Beeper');
  });

  it("server: Beeper's own words when it sent a code, else the status (and a proxy for 502/504)", () => {
    expect(explainProblem({ kind: 'server', message: 'Boom', status: 500, code: 'E_BOOM' }, { baseUrl: 'http://b' }).message).toBe('Beeper said: Boom');
    const proxy = explainProblem({ kind: 'server', message: 'Bad Gateway', status: 502 }, { baseUrl: 'http://b' });
    expect(proxy.message).toContain('or a proxy in front of it');
    expect(proxy.message).toContain('502 Bad Gateway');
    expect(proxy.message).not.toContain('Beeper said');
  });

  it('--debug details name the call, status and code', () => {
    const problem: Problem = { kind: 'server', message: 'boom', call: 'GET /v1/app/setup', status: 502, code: 'BAD_GATEWAY' };
    expect(problemDetails(problem)).toEqual(['call: GET /v1/app/setup', 'status: 502', 'code: BAD_GATEWAY', 'message: boom']);
    expect(problemDetails({ kind: 'unreachable', message: 'refused', reason: 'refused' })).toEqual(['reason: refused', 'message: refused']);
  });
});

describe('ErrorStep', () => {
  it('shows the words, retries on Enter, and shows details only when given', async () => {
    const onEvent = events();
    const text = explainProblem({ kind: 'unreachable', message: 'x', baseUrl: 'http://127.0.0.1:9' }, { baseUrl: 'http://127.0.0.1:9' });
    const ui = renderAt(<ErrorStep {...text} actions={[{ key: 'Enter', label: 'try again', event: { type: 'RETRY' } }]} onEvent={onEvent} />, {
      columns: 60,
    });
    expect(ui.text()).toContain("Can't reach Beeper");
    expect(ui.text()).toContain('Nothing answered at http://127.0.0.1:9.');
    expect(ui.text()).not.toContain('call:');
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    expect(hintText(ui.hints())).toBe('Enter try again');
    await ui.press('enter');
    expect(onEvent).toHaveBeenCalledWith({ type: 'RETRY' });

    const debug = renderAt(<ErrorStep {...text} details={['call: GET /v1/app/setup', 'status: 502']} actions={[]} onEvent={events()} />);
    expect(debug.frame()).toContain('call: GET /v1/app/setup');
    expect(debug.frame()).toContain('status: 502');
  });
});
