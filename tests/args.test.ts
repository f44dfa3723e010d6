/**
 * The command line's one table of flags (src/args.ts): the parser, the "needs a value" examples and
 * --help come from it, README's Options lists the same flags, and every flag it accepts is read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAGS, parseCli, type FlagSpec } from '../src/args.js';
import { CliError } from '../src/exitCodes.js';
import { HELP } from '../src/help.js';
import { thrown } from './support/thrown.js';

const TABLE = FLAGS as readonly FlagSpec[];
const NAMES = TABLE.map((flag) => flag.name).sort();

/** Every long flag written in `text` ("--base-url", not "--"), without its dashes. */
const flagsIn = (text: string) => [...new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((match) => match[1]!))].sort();

/** The first cells of the tables under README's "## Options" (the prose around them names refused flags). */
function readmeOptionFlags(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n## ', readme.indexOf('\n## Options\n') + 1));
  const firstCells = section
    .split('\n')
    .filter((line) => line.startsWith('| `-'))
    .map((line) => line.split(' | ')[0]!);
  return flagsIn(firstCells.join('\n'));
}

/** The usage error parseCli throws for `argv`. */
const refusal = (argv: string[]): CliError => thrown(CliError, () => parseCli(argv), `parseCli ${argv.join(' ')}`);

describe('the table of flags', () => {
  it('--help lists every flag in the table, and no other', () => {
    expect(flagsIn(HELP)).toEqual(NAMES);
    for (const flag of TABLE.filter((each) => each.short)) expect(HELP).toContain(`-${flag.short}, --${flag.name}`);
  });

  it("README's Options tables list every flag in the table, and no other", () => {
    expect(readmeOptionFlags()).toEqual(NAMES);
  });

  it('the scanners find flags where they are written, and only there', () => {
    expect(flagsIn('  --base-url URL  and -- and --no-save-token, e.g. x--y')).toEqual(['base-url', 'no-save-token']);
    expect(readmeOptionFlags()).toContain('base-url');
  });

  it('every flag it accepts is read: given, it changes what parseCli returns', () => {
    const commandFor = (flag: FlagSpec) => (flag.commands ? [flag.commands[0]!] : []);
    // --remote-port needs --ssh, which changes the result by itself: compare with --ssh alone.
    const company = (flag: FlagSpec) => (flag.name === 'remote-port' ? ['--ssh', 'admin@my-server'] : []);
    // Values unlike the defaults (the examples of these three are the defaults).
    const unlike: Record<string, string> = { timeout: '90s', 'remote-port': '2222', port: '2222' };
    for (const flag of TABLE) {
      const given = flag.value ? [`--${flag.name}`, unlike[flag.name] ?? flag.value.example] : [`--${flag.name}`];
      const without = parseCli([...commandFor(flag), ...company(flag)]);
      expect(parseCli([...commandFor(flag), ...company(flag), ...given]), `--${flag.name}`).not.toEqual(without);
    }
  });

  it('a flag that needs a value says so with the example from the table', () => {
    for (const flag of TABLE.filter((each) => each.value)) {
      const error = refusal([...(flag.commands ? [flag.commands[0]!] : []), `--${flag.name}`]);
      expect(error.message).toBe(`--${flag.name} needs a value, e.g. --${flag.name} ${flag.value!.example}.`);
    }
    expect(refusal(['--base-url']).message).toBe('--base-url needs a value, e.g. --base-url http://localhost:23373.');
  });

  it('a flag only some commands take is refused elsewhere, naming them', () => {
    expect(refusal(['--wait']).message).toBe('--wait belongs to beeper-setup verify.');
    expect(refusal(['status', '--strict']).message).toBe('--strict belongs to beeper-setup simulate.');
    expect(parseCli(['simulate', '--strict']).strict).toBe(true);
  });
});

describe('--save-token', () => {
  it('is an unknown flag: saving the token is the default, and the hint names the way to turn it off', () => {
    const error = refusal(['--save-token']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('Unknown flag --save-token: beeper-setup does that by default.');
    expect(error.hint).toBe('Leave it out (--no-save-token turns it off).');
    expect(parseCli([]).saveToken).toBe(true);
    expect(parseCli(['--no-save-token']).saveToken).toBe(false);
  });

  it('other unknown flags still get the nearest known one', () => {
    const error = refusal(['--emial', 'a@b.c']);
    expect(error.message).toBe('Unknown flag --emial.');
    expect(error.hint).toBe('Did you mean --email? Run beeper-setup --help for all flags.');
  });
});
