import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chalk from 'chalk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Colours only show when Ink's chalk thinks the terminal has them; the NO_COLOR test must be able to fail.
// Set on chalk itself (not FORCE_COLOR), so it holds whichever file loaded chalk first in this worker.
const chalkLevel = chalk.level;
beforeAll(() => {
  chalk.level = 1;
});
afterAll(() => {
  chalk.level = chalkLevel;
});

const { EmailStep } = await import('../../components/EmailStep.js');
const { ErrorStep } = await import('../../components/ErrorStep.js');
const { EmojiCompare } = await import('../../components/EmojiCompare.js');
const { createKeyStorage, saveKeyFile } = await import('../../components/keyStorage.js');
const { expandHome } = await import('../../src/shared/keyFile.js');
const { trimContinuation } = await import('../../components/Para.js');
const { osc52 } = await import('../../components/terminalCodes.js');
const { detectTerminal, makeTheme } = await import('../../components/theme.js');
const { SAS_EMOJI_TABLE } = await import('../../src/shared/sas.js');
const { renderAt, unmountAll } = await import('./render.js');

afterEach(unmountAll);

const COLOUR = /\u001B\[(3[0-9]|9[0-7]|4[0-9])(;[0-9]+)*m/;

describe('NO_COLOR', () => {
  const steps = () => [
    <EmailStep key="e" email="x" problem={{ kind: 'rejected', message: 'No.' }} notice="signed-out" onEvent={() => {}} />,
    <ErrorStep key="r" title="Broken" message="It broke." actions={[{ key: 'Enter', label: 'retry', event: { type: 'RETRY' } }]} details={['status: 500']} onEvent={() => {}} />,
    <EmojiCompare key="s" emojis={SAS_EMOJI_TABLE.slice(0, 7)} decimals={['1000']} waiting onEvent={() => {}} />,
  ];

  it('colours the steps normally', () => {
    for (const step of steps()) expect(renderAt(step).rawFrame()).toMatch(COLOUR);
  });

  it('adds no colour at all when NO_COLOR is set', () => {
    const caps = detectTerminal({ NO_COLOR: '1', LANG: 'en_US.UTF-8' });
    expect(caps.color).toBe(false);
    for (const step of steps()) expect(renderAt(step, { caps }).rawFrame()).not.toMatch(COLOUR);
  });

  it('keeps tokens, not colour names, in the theme', () => {
    expect(makeTheme({ color: true, unicode: true, hyperlinks: false }).color.error).toBe('red');
    expect(makeTheme({ color: false, unicode: true, hyperlinks: false }).color.error).toBeUndefined();
  });
});

describe('terminal detection', () => {
  it('reads the character set from LC_ALL, then LC_CTYPE, then LANG', () => {
    expect(detectTerminal({ LANG: 'en_US.UTF-8' }).unicode).toBe(true);
    expect(detectTerminal({ LANG: 'C.utf8' }).unicode).toBe(true);
    expect(detectTerminal({ LC_ALL: 'C', LANG: 'en_US.UTF-8' }).unicode).toBe(false);
    expect(detectTerminal({ LC_CTYPE: 'en_US.ISO-8859-1', LANG: 'en_US.UTF-8' }).unicode).toBe(false);
    expect(detectTerminal({}).unicode).toBe(false);
    expect(detectTerminal({ LANG: 'en_US.UTF-8', TERM: 'linux' }).unicode).toBe(false);
  });

  it('uses OSC 8 links only where known to work, never inside tmux', () => {
    expect(detectTerminal({ TERM_PROGRAM: 'iTerm.app' }).hyperlinks).toBe(true);
    expect(detectTerminal({ VTE_VERSION: '6800' }).hyperlinks).toBe(true);
    expect(detectTerminal({ TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/x' }).hyperlinks).toBe(false);
    expect(detectTerminal({ TERM: 'xterm-256color' }).hyperlinks).toBe(false);
  });
});

describe('clipboard and files', () => {
  it('builds plain OSC 52, which tmux with set-clipboard on takes and passes on', () => {
    const b64 = Buffer.from('EsSz ykH7').toString('base64');
    expect(osc52('EsSz ykH7')).toBe(`\u001B]52;c;${b64}\u0007`);
    const written: string[] = [];
    createKeyStorage((data) => written.push(data)).copy('abc');
    expect(written).toEqual([`\u001B]52;c;${Buffer.from('abc').toString('base64')}\u0007`]);
  });

  it('saves the key as a private file and never overwrites one', async () => {
    const home = await mkdtemp(join(tmpdir(), 'beeper-setup-key-'));
    expect(expandHome('~/a.txt', home)).toBe(join(home, 'a.txt'));
    const first = await saveKeyFile('~/beeper-recovery-key.txt', 'KEY ONE', home);
    expect(first).toEqual({ ok: true, path: join(home, 'beeper-recovery-key.txt') });
    expect(await readFile(join(home, 'beeper-recovery-key.txt'), 'utf8')).toBe('KEY ONE\n');
    expect((await stat(join(home, 'beeper-recovery-key.txt'))).mode & 0o777).toBe(0o600);

    const again = await saveKeyFile('~/beeper-recovery-key.txt', 'KEY TWO', home);
    expect(again).toMatchObject({ ok: false, exists: true, suggestion: '~/beeper-recovery-key-2.txt' });
    expect(await readFile(join(home, 'beeper-recovery-key.txt'), 'utf8')).toBe('KEY ONE\n');

    await writeFile(join(home, 'beeper-recovery-key-2.txt'), 'other');
    expect(await saveKeyFile('~/beeper-recovery-key.txt', 'KEY', home)).toMatchObject({ suggestion: '~/beeper-recovery-key-3.txt' });
    expect(await saveKeyFile('~/missing/dir/key.txt', 'KEY', home)).toMatchObject({ ok: false, exists: false, message: expect.stringContaining('its folder does not exist') });
  });

  it('saving the same key to the same file again is fine; a file an earlier run wrote is said for what it holds', async () => {
    const home = await mkdtemp(join(tmpdir(), 'beeper-setup-key-'));
    const path = join(home, 'beeper-recovery-key.txt');
    expect(await saveKeyFile('~/beeper-recovery-key.txt', 'KEY ONE', home)).toEqual({ ok: true, path });
    expect(await saveKeyFile('~/beeper-recovery-key.txt', 'KEY ONE', home)).toEqual({ ok: true, path });
    // A later run, with another key: the file is recorded as written and never activated.
    const later = await saveKeyFile('~/beeper-recovery-key.txt', 'KEY TWO', home);
    expect(later).toMatchObject({ ok: false, exists: true, message: expect.stringContaining("in a run that stopped before activating it: it is not your account's key and unlocks nothing") });
    expect(await readFile(path, 'utf8')).toBe('KEY ONE\n');
  });
});

describe('wrapping', () => {
  it('drops the space a wrapped line was broken at, colour codes kept', () => {
    expect(trimContinuation(' an account.', 1)).toBe('an account.');
    expect(trimContinuation('\u001B[31m an account.', 2)).toBe('\u001B[31man account.');
    expect(trimContinuation(' first', 0)).toBe(' first');
  });
});
