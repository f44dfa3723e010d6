/**
 * The run context: the command line read once (planRun) into the front end, the address and the
 * key its token is filed under. Nothing below it resolves the address or picks the front end again.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/args.js';
import { CliError } from '../src/exitCodes.js';
import type { ProgramIO } from '../src/io.js';
import { planRun, type Mode } from '../src/runtime.js';
import { StopSignals } from '../src/signals.js';
import { thrown } from './support/thrown.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TERMINAL = { stdin: true, stdout: true, stderr: true };
const PIPES = { stdin: false, stdout: false, stderr: false };

/** The plan for `argv`, with the given terminals and environment; `said` collects its warning. */
function plan(argv: string[], { tty = TERMINAL, env = {} }: { tty?: ProgramIO['tty']; env?: NodeJS.ProcessEnv } = {}) {
  const said: string[] = [];
  const io = { env, tty } as ProgramIO;
  return { plan: planRun(parseCli(argv), io, new StopSignals(), (line) => void said.push(line)), said };
}

const refusal = (run: () => unknown): CliError => thrown(CliError, run, 'the command line');

describe('planRun', () => {
  it.each<[string, Mode, string[], { tty?: ProgramIO['tty']; env?: NodeJS.ProcessEnv }]>([
    ['a person at a terminal', 'wizard', [], {}],
    ['verify at a terminal', 'wizard', ['verify'], {}],
    ['pipes', 'plain', [], { tty: PIPES }],
    ['stdout a pipe', 'plain', [], { tty: { ...TERMINAL, stdout: false } }],
    ['--plain', 'plain', ['--plain'], {}],
    ['--non-interactive', 'plain', ['--non-interactive'], {}],
    ['--json', 'json', ['--json'], {}],
    ['CI set', 'plain', [], { env: { CI: 'true' } }],
    ['CI=false', 'wizard', [], { env: { CI: 'false' } }],
    ['TERM=dumb', 'plain', [], { env: { TERM: 'dumb' } }],
    ['status at a terminal', 'status', ['status'], {}],
    ['status --json', 'status', ['status', '--json'], {}],
    ['logout', 'logout', ['logout'], {}],
  ])('picks the front end once: %s → %s', (_name, mode, argv, world) => {
    expect(plan(argv, world).plan.mode).toBe(mode);
  });

  it('resolves the address once: --base-url, else BEEPER_BASE_URL, else Beeper’s own, without trailing slashes', () => {
    expect(plan(['status']).plan).toMatchObject({ baseUrl: 'http://localhost:23373', tokenKey: 'http://localhost:23373' });
    expect(plan(['status'], { env: { BEEPER_BASE_URL: 'http://127.0.0.1:9000/' } }).plan.baseUrl).toBe('http://127.0.0.1:9000');
    expect(plan(['status', '--base-url', 'http://127.0.0.1:9001'], { env: { BEEPER_BASE_URL: 'http://127.0.0.1:9000' } }).plan.baseUrl).toBe('http://127.0.0.1:9001');
  });

  it('files the token of an ssh run under the ssh address, for the run and for logout alike', () => {
    expect(plan(['--ssh', 'admin@box', '--remote-port', '23374'], { tty: PIPES }).plan.tokenKey).toBe('ssh://admin@box:23374');
    expect(plan(['logout', '--ssh', 'admin@box']).plan.tokenKey).toBe('ssh://admin@box:23373');
  });

  it('refuses what the command line cannot mean before anything opens', () => {
    expect(refusal(() => plan(['--base-url', 'http://192.0.2.2:9'], { tty: PIPES })).message).toContain('is plain HTTP to another machine');
    expect(refusal(() => plan(['logout', '--base-url', 'http://alice:pw@localhost:1'])).message).toContain('holds a user name or password');
    // The wizard asks its own questions: answer flags for scripts are refused there, and only there.
    expect(refusal(() => plan(['--code', '123456'])).message).toContain('for runs without the wizard');
    expect(plan(['--code', '123456'], { tty: PIPES }).plan.mode).toBe('plain');
  });

  it('says once that plain HTTP beyond this machine was accepted', () => {
    const { said } = plan(['--base-url', 'http://192.0.2.2:9', '--allow-insecure-http'], { tty: PIPES });
    expect(said).toEqual([expect.stringContaining('Warning: http://192.0.2.2:9 is plain HTTP to another machine.')]);
  });

  it('keeps nothing for the demo, whose simulator ends with the run', () => {
    expect(plan(['--demo']).plan.options.saveToken).toBe(false);
    expect(plan([]).plan.options.saveToken).toBe(true);
  });
});

describe('nothing below the run context re-derives it', () => {
  /** Every module of src/, as a path and its text. */
  const sources = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[])
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => ({ path: `src/${name.split('\\').join('/')}`, text: readFileSync(join(ROOT, 'src', name), 'utf8') }));
  const calling = (pattern: RegExp) => sources.filter((source) => pattern.test(source.text)).map((source) => source.path).sort();

  it('the address is resolved (flag, variable, default) only in src/runtime.ts', () => {
    expect(calling(/\bresolveBaseUrl\(/)).toEqual(['src/api/transport.ts', 'src/runtime.ts']);
    expect(calling(/\benv\.BEEPER_BASE_URL\b/)).toEqual(['src/api/transport.ts']);
  });

  it('the front end is picked only in src/runtime.ts', () => {
    expect(calling(/\.tty\.stdin\b/)).toEqual(['src/runtime.ts']);
    expect(calling(/\bTERM === 'dumb'/)).toEqual(['src/runtime.ts']);
  });
});
