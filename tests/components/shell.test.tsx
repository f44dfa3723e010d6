import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { describeTarget, phaseOf } from '../../components/Header.js';
import type { KeyStorage } from '../../components/keyStorage.js';
import { StepView } from '../../components/StepView.js';
import { Wizard } from '../../components/Wizard.js';
import { setupMachine } from '../../machines/setupMachine.js';
import type { SetupEvent } from '../../machines/types.js';
import { stepOf } from '../../machines/steps.js';
import { drawQr } from '../../src/shared/qr.js';
import { Secret } from '../../src/shared/secret.js';
import { APP, session, snapshotAt, verification } from './fixtures.js';
import { hintText, renderAt, stripAnsi, unmountAll, widestLine } from './render.js';
import { recordingPersistence } from '../support/persistence.js';
import type { TokenSource } from '../../src/tokenStore.js';

afterEach(unmountAll);

const storage: KeyStorage = { defaultPath: '~/k.txt', copy: () => {}, save: async (path) => ({ ok: true, path }) };
const show = (
  snapshot: ReturnType<typeof snapshotAt>,
  options: { columns?: number; rows?: number; debug?: boolean; tokenSource?: TokenSource; language?: string } = {},
) => {
  const send = vi.fn<(event: SetupEvent) => void>();
  const columns = options.columns ?? 100;
  const rows = options.rows ?? 30;
  const ui = renderAt(
    <StepView
      snapshot={snapshot}
      send={send}
      baseUrl="http://127.0.0.1:23373"
      target="Beeper Server 4.2.1 on 127.0.0.1:23373"
      debug={options.debug ?? false}
      tokenSource={options.tokenSource}
      storage={storage}
      language={options.language ?? 'en'}
      columns={columns - 2}
    />,
    { columns, rows },
  );
  return { ui, send };
};

describe('StepView picks the step from the snapshot', () => {
  it('offers only the methods the state allows, plus an incoming request', () => {
    const plain = show(snapshotAt({ chooseMethod: 'idle' }, { session: session('needs-verification') }));
    expect(plain.ui.frame()).toContain('Use another device');
    expect(plain.ui.frame()).not.toContain('Accept the request');
    const incoming = show(
      snapshotAt({ chooseMethod: 'idle' }, { session: session('needs-verification'), incomingVerification: verification({ direction: 'incoming' }) }),
    );
    expect(incoming.ui.frame()).toContain('1. Accept the request from Pixel 8');
  });

  it('counts down to "resend code" from the cooldown the machine uses', () => {
    const cooling = show(snapshotAt({ signIn: { enterCode: 'coolingDown' } }, { resendCooldownMs: 20_000 }));
    expect(cooling.ui.frame()).toContain('new code in 20s');
    expect(hintText(cooling.ui.hints())).not.toContain('Ctrl-R');
    const ready = show(snapshotAt({ signIn: { enterCode: 'resendAvailable' } }, { resendReady: true }));
    expect(ready.ui.frame()).toContain('press Ctrl-R to send a new code');
    expect(hintText(ready.ui.hints())).toContain('Ctrl-R resend code');
  });

  it('shows the QR code, the emojis, and a stopped verification from the server state', () => {
    const qr = show(
      snapshotAt(
        { deviceVerification: { tracking: { poll: 'idle', step: 'showingQr' } } },
        { session: session('needs-verification'), verification: verification({ state: 'ready', qr: { data: 'MATRIX-QR' }, availableActions: ['sas.start'] }) },
      ),
    );
    expect(qr.ui.frame()).toContain('Scan this code with your other device (Pixel 8)');
    for (const line of drawQr('MATRIX-QR', { color: true })) expect(qr.ui.frame()).toContain(stripAnsi(line));

    const sas = show(
      snapshotAt(
        { deviceVerification: { tracking: { poll: 'idle', step: 'comparingEmojis' } } },
        {
          session: session('needs-verification'),
          verification: verification({ state: 'sas_ready', sas: { emojis: '🐶 🐱 🦁 🐎 🦄 🐷 🐘', decimals: '1111 2222 3333' }, availableActions: ['sas.confirm'] }),
        },
      ),
    );
    expect(sas.ui.frame()).toMatch(/Dog\s+Cat\s+Lion\s+Horse/);
    expect(sas.ui.frame()).toContain('1111  2222  3333');

    const stopped = show(
      snapshotAt(
        { deviceVerification: 'failed' },
        { session: session('needs-verification'), verification: verification({ state: 'cancelled', error: { code: 'm.mismatched_sas', reason: 'The emojis did not match.' } }) },
      ),
    );
    expect(stopped.ui.text()).toContain('The devices did not match');
    expect(stopped.ui.text()).toContain('The emojis did not match. For your safety the verification was stopped.');

    const callFailed = show(
      snapshotAt(
        { deviceVerification: 'failed' },
        { session: session('needs-verification'), problem: { kind: 'server', status: 503, message: 'Service Unavailable' } },
      ),
    );
    expect(callFailed.ui.text()).toContain("Couldn't continue the verification");
    expect(callFailed.ui.text()).toContain('Beeper failed to answer (503 Service Unavailable).');
    expect(callFailed.ui.text()).toContain('Wait a moment and try again. If it keeps happening, restart Beeper. Or use your recovery key instead.');
  });

  it('a failed call under a field explains itself and says what to do, unlike a refused answer', () => {
    const failed = show(
      snapshotAt('enterRecoveryKey', { session: session('needs-verification'), problem: { kind: 'server', status: 503, code: 'UNAVAILABLE', message: 'Service Unavailable' } }),
    );
    expect(failed.ui.text()).toContain('Beeper said: Service Unavailable Wait a moment and try again.');
    const refused = show(
      snapshotAt('enterRecoveryKey', { session: session('needs-verification'), problem: { kind: 'rejected', status: 400, code: 'WRONG_RECOVERY_KEY', message: 'That recovery key does not belong to this account.' } }),
    );
    expect(refused.ui.text()).toContain('That is a recovery key, but not the one for this account.');
    expect(refused.ui.text()).not.toContain('Wait a moment');
  });

  it('waits with a reason and says when polling keeps failing', () => {
    const { ui } = show(
      snapshotAt({ firstSync: 'idle' }, { session: session('needs-first-sync'), pollFailures: 2, problem: { kind: 'unreachable', message: 'Nothing is listening.' } }),
    );
    expect(ui.text()).toContain('Syncing your chats for the first time');
    expect(ui.text()).toContain('Connection trouble (2 failed tries), retrying: Nothing is listening.');
  });

  it('explains a failure with a retry, and details only with --debug', async () => {
    const failed = snapshotAt('failed', { problem: { kind: 'unreachable', message: 'x', baseUrl: 'http://127.0.0.1:23373', call: 'GET /v1/app/setup' } });
    const { ui, send } = show(failed);
    expect(ui.text()).toContain('Nothing answered at http://127.0.0.1:23373.');
    expect(ui.text()).not.toContain('call: GET');
    await ui.press('enter');
    expect(send).toHaveBeenCalledWith({ type: 'RETRY' });
    expect(show(failed, { debug: true }).ui.text()).toContain('call: GET /v1/app/setup');
  });

  it('does not offer to retry a reset with a wrong old key', () => {
    const { ui } = show(
      snapshotAt({ newRecoveryKey: 'creationFailed' }, { problem: { kind: 'rejected', code: 'WRONG_RECOVERY_KEY', message: 'nope', status: 400 } }),
    );
    expect(ui.text()).toContain('That old key does not belong to this account');
    expect(ui.text()).not.toContain('try again');
  });

  it("explains a new account's first key, and makes it only on Enter", async () => {
    const { ui, send } = show(snapshotAt({ newRecoveryKey: 'intro' }, { newKeyReason: 'new-account' }));
    expect(ui.text()).toContain('Create your recovery key');
    expect(send).not.toHaveBeenCalled();
    await ui.press('enter');
    expect(send).toHaveBeenCalledWith({ type: 'CREATE_RECOVERY_KEY' });
  });

  it('shows a new key from its Secret, and the ready summary', () => {
    const key = show(snapshotAt({ newRecoveryKey: 'showingKey' }, { newRecoveryKey: new Secret('EsSzykH7LCZx7CaecmKDwcmYJRXiYbtu8iQ3t8EznRwKpUY1'), newKeyReason: 'new-account' }));
    expect(key.ui.frame()).toContain('EsSz ykH7 LCZx 7Cae cmKD wcmY JRXi Ybtu 8iQ3 t8Ez nRwK pUY1');
    const ready = show(snapshotAt('ready', { session: session('ready') }));
    expect(ready.ui.frame()).toContain('@alice:beeper.com');
  });

  it('names steps without their polling sub-states', () => {
    const at = (value: Parameters<typeof snapshotAt>[0]) => stepOf(snapshotAt(value, { session: session('needs-verification') })).step;
    expect(at({ deviceVerification: { tracking: { poll: 'checking', step: 'showingQr' } } })).toBe('showing-qr');
    expect(at({ deviceVerification: { tracking: { poll: 'idle', step: 'showingQr' } } })).toBe('showing-qr');
    expect(at({ firstSync: 'checking' })).toBe('waiting-server');
    expect(at({ waitingForServer: 'idle' })).toBe('waiting-server');
    expect(at({ signIn: { enterCode: 'resendAvailable' } })).toBe('code');
    expect(at({ signIn: { enterCode: 'coolingDown' } })).toBe('code');
  });

  it('words a refused token by where it came from', () => {
    const refused = snapshotAt({ signIn: 'enterEmail' }, { email: '', notice: 'token-refused' });
    expect(show(refused, { tokenSource: 'env' }).ui.text()).toContain('Beeper did not accept the token in BEEPER_ACCESS_TOKEN.');
    expect(show(refused, { tokenSource: 'saved' }).ui.text()).toContain('The sign-in saved for this Beeper is no longer valid.');
  });

  it('passes the language on to the emoji names', () => {
    const sas = snapshotAt(
      { deviceVerification: { tracking: { poll: 'idle', step: 'comparingEmojis' } } },
      {
        session: session('needs-verification'),
        verification: verification({ state: 'sas_ready', sas: { emojis: '🐶 🐱 🦁 🐎 🦄 🐷 🐘', decimals: '1111 2222 3333' }, availableActions: ['sas.confirm'] }),
      },
    );
    expect(show(sas, { language: 'de' }).ui.frame()).toMatch(/Hund\s+Katze\s+Löwe\s+Pferd/);
  });
});

describe('header', () => {
  it('names the app and the address, or the address alone', () => {
    expect(describeTarget(APP, 'http://127.0.0.1:23373')).toBe('Beeper Server 4.2.1 on 127.0.0.1:23373');
    expect(describeTarget(undefined, 'http://10.0.0.2:23373')).toBe('http://10.0.0.2:23373');
    expect(describeTarget(APP, 'http://127.0.0.1:40001', 'ssh://me@box:23373')).toBe('Beeper Server 4.2.1 on me@box:23373 (over ssh)');
  });

  it('counts the steps a person goes through: sign in, encrypted messages, finish (connecting is not one)', () => {
    expect(phaseOf(snapshotAt('probing'))).toBeUndefined();
    expect(phaseOf(snapshotAt({ signIn: 'enterEmail' }))).toBe(0);
    expect(phaseOf(snapshotAt({ chooseMethod: 'idle' }, { session: session('needs-verification') }))).toBe(1);
    expect(phaseOf(snapshotAt({ startingEncryption: 'idle' }, { session: session('initializing') }))).toBe(1);
    expect(phaseOf(snapshotAt({ firstSync: 'idle' }, { session: session('needs-first-sync') }))).toBe(2);
    expect(phaseOf(snapshotAt('ready', { session: session('ready') }))).toBe(2);
  });
});

/** A machine whose calls answer at once: Beeper Server, signed out. */
function signedOutActor() {
  const api = {
    info: async () => APP,
    getSession: async () => session('needs-login', { matrix: undefined }),
    start: async () => ({ setupRequestID: 'req', signInMethods: ['email'] }),
  };
  return createActor(setupMachine, { input: { api: api as never, persistence: recordingPersistence() } });
}

describe('Wizard shell', () => {
  it('shows the header, the step and the keys that work, and Ctrl-C interrupts', async () => {
    const actor = signedOutActor();
    actor.start();
    const ui = renderAt(<Wizard actor={actor} baseUrl="http://127.0.0.1:23373" tokenKey="http://127.0.0.1:23373" debug={false} storage={storage} />);
    await ui.waitFor('Sign in to Beeper');
    expect(ui.frame()).toMatch(/Beeper setup\s+Step 1 of 3 · Sign in/);
    expect(ui.frame()).toContain('Beeper Server 4.2.1 on 127.0.0.1:23373');
    expect(ui.frame()).toContain('Sign in to Beeper');
    expect(ui.frame()).toContain('Enter send code · Ctrl-C quit');
    await ui.press('ctrlC');
    expect(actor.getSnapshot().value).toBe('interrupted');
    expect(actor.getSnapshot().output?.outcome).toBe('interrupted');
    expect(ui.frame().trim()).toBe('');
  });

  it('reflows on resize and stays within 60 columns', async () => {
    const actor = signedOutActor();
    actor.start();
    const ui = renderAt(
      <Wizard
        actor={actor}
        baseUrl="http://127.0.0.1:23373"
        tokenKey="http://127.0.0.1:23373"
        debug={false}
        storage={storage}
        demo={{ notes: ['Simulation: no real Beeper account is used. Emailed codes and the other device show up here.'], events: ['Email to alice@example.com: your code is 123456'] }}
      />,
    );
    await ui.waitFor('Sign in to Beeper');
    const wide = ui.frame();
    expect(widestLine(wide)).toBeGreaterThan(60);
    await ui.resize(60, 30);
    expect(widestLine(ui.frame())).toBeLessThanOrEqual(60);
    expect(ui.text()).toContain('your code is 123456');
    expect(ui.text()).toContain('(simulated)');
    actor.stop();
  });

  it('never writes as many lines as the terminal has: a tall step keeps its bottom in view, and the header its place', async () => {
    for (const demo of [undefined, { notes: ['Simulation.'], events: [] }]) {
      const actor = signedOutActor();
      actor.start();
      const ui = renderAt(<Wizard actor={actor} baseUrl="http://x:1" tokenKey="http://x:1" debug={false} storage={storage} demo={demo} />, { columns: 60, rows: 12 });
      await ui.waitFor('Enter send code');
      await ui.type('x');
      await ui.press('enter');
      await ui.waitFor('An email address needs an @');
      const lines = ui.frame().trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(11);
      expect(ui.frame()).toContain('An email address needs an @');
      expect(lines.filter((line) => /^\s*Beeper setup/.test(line))).toHaveLength(1);
      expect(lines[0]).toMatch(/^\s*Beeper setup/);
      // The keys end the step; the demo panel, when there is one, keeps its line under them.
      expect(lines.at(demo ? -2 : -1)).toContain('Enter send code · Ctrl-C quit');
      if (demo) expect(lines.at(-1)).toContain('demo · Simulation.');
      await ui.resize(60, 30);
      expect(ui.frame()).toContain('Beeper setup');
      if (demo) expect(ui.frame()).toContain('Simulation.');
      actor.stop();
    }
  });

  it('keeps the demo\'s emailed code whole under the step, however small the window (40×15, 40×10)', async () => {
    const code = 'Email to alice@example.com: your code is 123456';
    for (const rows of [15, 10]) {
      const actor = signedOutActor();
      actor.start();
      const ui = renderAt(
        <Wizard actor={actor} baseUrl="http://x:1" tokenKey="http://x:1" debug={false} storage={storage} demo={{ notes: ['Simulation.'], events: [code], whole: [code] }} />,
        { columns: 40, rows },
      );
      await ui.waitFor('Enter send code');
      expect(ui.text()).toContain(code);
      expect(ui.frame().trimEnd().split('\n').length).toBeLessThanOrEqual(rows - 1);
      expect(ui.frame().split('\n').filter((line) => /^\s*Beeper setup/.test(line))).toHaveLength(1);
      actor.stop();
    }
  });
});
