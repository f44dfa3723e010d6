/** Existing account, verified from the other device by comparing emojis: yes, no, timeout, Ctrl-C. */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { qrPayloadBytes } from '../../src/shared/qr.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { DARK_ON_LIGHT, LIGHT_ON_DARK, decodeDrawing } from '../shared/qr/rasterise.js';
import { scanOutputsAfterEach, SIGNED_IN_BY_CODE, cliEnv, feedCodes, findSecrets, mailedCodes, recoveryKeyOf, runCli, savedTokens, simulator, stepsOf, tempDir } from './helpers.js';

scanOutputsAfterEach();

const EMAIL = 'alice@example.com';
let sim: RunningSimulator;

afterEach(async () => {
  await sim?.close();
});

/** What the simulated other device shows: "compare: 🐶 Dog, 🐱 Cat, … / 1234 5678 9012". */
function otherDeviceSas(sim: RunningSimulator): Promise<string> {
  return new Promise((resolve) => {
    const off = sim.control.on('other-device', (text) => {
      if (!text.startsWith('compare: ')) return;
      off();
      resolve(text.slice('compare: '.length));
    });
  });
}

describe('headless: device verification', () => {
  it('--qr: prints the payload, waits for the scan, confirms only after "yes"', async () => {
    sim = await simulator();
    const config = join(tempDir(), 'config');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--qr', '--json'], cliEnv(config));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    sim.control.otherDevice('accept');
    await run.waitFor('"event":"qr"');
    const data = sim.control.session().verification?.qr?.data;
    expect(data).toEqual(expect.any(String));
    sim.control.otherDevice('scan-qr');
    await run.waitFor('"for":"scan-confirm"');
    expect(sim.control.session().verification).toMatchObject({ state: 'qr_scanned' });
    run.write('yes');
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.events).toContainEqual({ event: 'qr', data });
    expect(result.stderr).toContain(`QR payload: ${data}`);
    expect(stepsOf(result.events)).toEqual(expect.arrayContaining(['showing-qr', 'confirm-scan', 'confirming-scan']));
    expect(stepsOf(result.events)).not.toContain('compare-emojis');
    expect(result.events.at(-1)).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
  });

  it.each([
    ['in colour', {}, [LIGHT_ON_DARK, DARK_ON_LIGHT]],
    ['with NO_COLOR', { NO_COLOR: '1' }, [LIGHT_ON_DARK]],
  ] as const)('--qr on a terminal: the drawing %s decodes to the payload bytes', async (_, colour, themes) => {
    sim = await simulator();
    const env = { ...cliEnv(join(tempDir(), 'config')), NO_COLOR: undefined, ...colour };
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--qr', '--json'], env, { stderrIsTTY: true });
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    sim.control.otherDevice('accept');
    await run.waitFor('"event":"qr"');
    const data = sim.control.session().verification!.qr!.data;
    const lines = run.stderr().split('\n').filter((line) => /[▀▄█]/.test(line));
    expect(lines.length).toBeGreaterThan(15);
    for (const theme of themes) expect(decodeDrawing(lines, theme), theme.name).toEqual([...qrPayloadBytes(data)]);
    run.signal('SIGINT');
    await run.result;
  });

  it('shows the emojis and decimals, confirms only after "yes", and reaches ready', async () => {
    sim = await simulator();
    const config = join(tempDir(), 'config');
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--json'], cliEnv(config));
    feedCodes(sim, run, EMAIL);
    const sas = otherDeviceSas(sim);

    await run.waitFor('"step":"waiting-other-device"');
    sim.control.otherDevice('accept');
    await run.waitFor('"for":"emoji-match"');
    // Nothing is confirmed before the answer.
    expect(sim.control.session().verification).toMatchObject({ state: 'sas_ready', availableActions: ['sas.confirm', 'cancel'] });
    run.write('yes');
    await run.waitFor('"step":"waiting-other-confirm"');
    sim.control.otherDevice('confirm-sas');
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    // The first sync (30 ms here) may be over before the next poll: the last wait is optional.
    expect(stepsOf(result.events).filter((step, i, all) => !(i === all.length - 1 && step === 'waiting-server'))).toEqual([
      ...SIGNED_IN_BY_CODE,
      'waiting-server',
      'choose-method',
      'starting-verification',
      'waiting-other-device',
      'starting-sas',
      'compare-emojis',
      'confirming-sas',
      'waiting-other-confirm',
    ]);
    expect(result.events).toContainEqual(expect.objectContaining({ event: 'waiting', for: 'other-device', elapsedMs: expect.any(Number) }));
    const shown = result.events.find((event) => event.event === 'verification');
    const [emojiText, decimals] = (await sas).split(' / ');
    expect(shown).toEqual({
      event: 'verification',
      otherDevice: 'Pixel 8',
      emojis: emojiText!.split(', ').map((pair) => {
        const [emoji, ...name] = pair.split(' ');
        return { emoji, name: name.join(' ') };
      }),
      decimals,
      language: 'en',
    });
    expect(shown!.emojis).toHaveLength(7);
    expect(result.stderr).toContain(`(or the numbers: ${decimals})`);
    expect(result.stderr).toContain(`1. ${shown!.emojis[0].emoji} ${shown!.emojis[0].name}`);
    expect(result.events.at(-1)).toMatchObject({ event: 'ready', userID: '@alice:beeper.com' });
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], recoveryKeyOf(sim, EMAIL), ...mailedCodes(sim)])).toEqual([]);
  });

  it('rejects on "no": cancels as a mismatch and exits 1', async () => {
    sim = await simulator({ autoOtherDevice: true });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"for":"emoji-match"');
    run.write('maybe');
    // A confirmation only takes what is typed after it is asked: wait for the question again.
    await run.waitFor(/Please answer yes or no\.\n[^\n]*Answer yes or no:/);
    run.write('no');
    const result = await run.result;

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The verification stopped: The emojis did not match.');
    expect(result.events.filter((event) => event.event === 'prompt' && event.for === 'emoji-match')).toHaveLength(2);
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'verification-failed', exitCode: 1 });
    expect(sim.control.session()).toMatchObject({ state: 'needs-verification', verification: { state: 'cancelled', error: { code: 'm.mismatched_sas' } } });
  });

  it('never confirms on its own: stdin ending at the emojis exits 3', async () => {
    sim = await simulator({ autoOtherDevice: true });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('Answer yes or no:');
    run.end();
    const result = await run.result;

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('A yes or no is needed on stdin');
    expect(sim.control.requests().some((request) => request.path.endsWith('/sas/confirm'))).toBe(false);
  });

  it('exits 4 when the other device never answers within --timeout', async () => {
    sim = await simulator();
    // Real time: --timeout is the subject here.
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--timeout', '1s', '--json'], cliEnv(join(tempDir(), 'config')), { scale: 1 });
    feedCodes(sim, run, EMAIL);
    const started = Date.now();
    const result = await run.result;

    expect(result.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.stderr).toContain('Not ready after 1s: Your other device (Pixel 8) did not finish the verification.');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'timeout', exitCode: 4 });
    // Stopping to wait is not a cancel: the request stays open on the other device.
    expect(sim.control.session().verification?.state).toBe('requested');
  });

  it('a long wait says "Still waiting" at most every 15 s, and once that the other device is silent', async () => {
    sim = await simulator();
    // The fast clock: 3 minutes pass in under 4 s.
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--timeout', '3m', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    const result = await run.result;

    expect(result.code).toBe(4);
    const beats = result.events.filter((event) => event.event === 'waiting' && event.for === 'other-device').map((event) => event.elapsedMs as number);
    expect(beats.length).toBeGreaterThanOrEqual(10);
    const gaps = beats.slice(1).map((at, i) => at - beats[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(14_000);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('Still waiting ('));
    // Elapsed times as a person reads them. The fast clock (15 s in 300 ms) drifts under load, so the
    // first beat is checked to come no sooner than 15 s and within a second beat, not to the second.
    const first = Number(/^Still waiting \((\d+)s\)…$/.exec(lines[0] ?? '')?.[1]);
    expect(first).toBeGreaterThanOrEqual(15);
    expect(first).toBeLessThan(30);
    expect(lines.some((line) => /^Still waiting \(1m \d{1,2}s\)…$/.test(line))).toBe(true);
    const silent = result.stderr.split('\n').filter((line) => line.includes('has not answered for a while'));
    expect(silent).toEqual(['Your other device (Pixel 8) has not answered for a while. Make sure Beeper is open there, or run again with --recovery-key-file PATH.']);
    const stalledBeats = result.events.filter((event) => event.event === 'waiting' && event.for === 'other-device' && event.stalled);
    expect(stalledBeats.length).toBeGreaterThan(0);
    // The machine times the silence from the request; a beat counts from the wait that follows it
    // (the request itself takes a moment, which the fast clock stretches under load): within one beat of 2 minutes.
    const firstStalled = Math.min(...stalledBeats.map((event) => event.elapsedMs as number));
    expect(firstStalled).toBeGreaterThanOrEqual(120_000 - 15_000);
  });

  it('exits 130 on SIGINT without cancelling the verification', async () => {
    sim = await simulator();
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"step":"waiting-other-device"');
    run.signal('SIGINT');
    const result = await run.result;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain('(nothing was cancelled)');
    expect(result.events.at(-1)).toMatchObject({ event: 'error', code: 'interrupted', exitCode: 130 });
    expect(sim.control.session().verification?.state).toBe('requested');
    expect(sim.control.requests().some((request) => request.path.endsWith('/cancel'))).toBe(false);
  });

  it('asks for the recovery key after the device is verified when the secrets did not come along (bob)', async () => {
    sim = await simulator({ autoOtherDevice: true });
    const key = recoveryKeyOf(sim, 'bob@example.com');
    const config = join(tempDir(), 'config');
    const run = runCli(['--base-url', sim.url, '--email', 'bob@example.com', '--json'], cliEnv(config));
    // One pipe: the code, "yes" once the emojis are shown, then the recovery key.
    feedCodes(sim, run, 'bob@example.com');
    await run.waitFor('"for":"emoji-match"');
    run.write('yes');
    await run.waitFor('"for":"recovery-key"');
    run.write(key);
    run.end();
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.events.filter((event) => event.event === 'prompt').map((event) => event.for)).toEqual(['code', 'emoji-match', 'recovery-key']);
    expect(result.stderr).toContain('This device is verified; the recovery key unlocks the encrypted messages.');
    expect(findSecrets(result.stdout + result.stderr, [savedTokens(config)[sim.url], key, ...mailedCodes(sim)])).toEqual([]);
  });

  it('a "yes" piped in before the emojis were shown never confirms them', async () => {
    sim = await simulator({ autoOtherDevice: true });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json'], cliEnv(join(tempDir(), 'config')));
    feedCodes(sim, run, EMAIL, ['yes', 'yes'], true);
    const result = await run.result;

    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toContain('Nothing was confirmed.');
    expect(sim.control.requests().filter((request) => request.path.endsWith('/sas/confirm'))).toEqual([]);
    expect(sim.control.session().e2ee?.verified).toBe(false);
  });

  it('accepts an incoming request from the other device with --verify device', async () => {
    sim = await simulator({ autoOtherDevice: false });
    // Real time (1 s polls): the other device asks the moment the app needs verification, before the first poll.
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device'], cliEnv(join(tempDir(), 'config')), { scale: 1 });
    feedCodes(sim, run, EMAIL);
    await vi.waitFor(() => expect(sim.control.session().state).toBe('needs-verification'), { timeout: 10_000, interval: 5 });
    sim.control.otherDevice('request');
    await run.waitFor('Answer yes or no:');
    run.write('yes');
    await run.waitFor('to confirm the emojis match too');
    sim.control.otherDevice('confirm-sas');
    const result = await run.result;

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Accepting the verification request from Pixel 8.');
    expect(sim.control.requests().some((request) => request.path.endsWith('/accept'))).toBe(true);
  });
});

describe('headless: emoji names in the user\'s language', () => {
  /** Runs to the emoji question with the first seven emojis of the table (🐶 🐱 🦁 …), answers no. */
  async function verificationEvent(args: string[], env: Record<string, string>) {
    sim = await simulator({ autoOtherDevice: true });
    sim.control.configure({ sasNumbers: [0, 1, 2, 3, 4, 5, 6] });
    const run = runCli(['--base-url', sim.url, '--email', EMAIL, '--verify', 'device', '--json', ...args], cliEnv(join(tempDir(), 'config'), env));
    feedCodes(sim, run, EMAIL);
    await run.waitFor('"for":"emoji-match"');
    run.write('no');
    const result = await run.result;
    return { result, event: result.events.find((event) => event.event === 'verification')! };
  }

  it('LC_ALL=de_DE.UTF-8: German names, the English one beside each, language "de"', async () => {
    const { result, event } = await verificationEvent([], { LC_ALL: 'de_DE.UTF-8', LANG: 'C.UTF-8' });
    expect(event.language).toBe('de');
    expect(event.emojis[0]).toEqual({ emoji: '🐶', name: 'Hund', english: 'Dog' });
    expect(result.stderr).toContain('1. 🐶 Hund (Dog)');
  });

  it('--lang ja wins over the locale; an unknown --lang falls back to English with a notice', async () => {
    const ja = await verificationEvent(['--lang', 'ja'], { LANG: 'de_DE.UTF-8' });
    expect(ja.event.language).toBe('ja');
    expect(ja.event.emojis[0]).toMatchObject({ emoji: '🐶', name: '犬', english: 'Dog' });
    await sim.close();

    const unknown = await verificationEvent(['--lang', 'tlh'], { LANG: 'de_DE.UTF-8' });
    expect(unknown.event.language).toBe('en');
    expect(unknown.result.stderr).toContain('No emoji names in "tlh"; showing them in English.');
    expect(unknown.event.emojis[0]).toEqual({ emoji: '🐶', name: 'Dog' });
  });
});
