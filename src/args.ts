/**
 * Command line: `beeper-setup [command] [flags]`, parsed with node:util
 * parseArgs. Turns argv into typed options or a CliError with exit code 2.
 */
import { parseArgs } from 'node:util';
import { BEEPER_PORT, DEFAULT_BASE_URL } from './api/types.js';
import { CliError, ExitCode } from './exitCodes.js';

export type Command = 'setup' | 'verify' | 'status' | 'logout' | 'simulate';
export type VerifyChoice = 'device' | 'recovery-key' | 'reset';

export interface CliOptions {
  command: Command;
  help: boolean;
  version: boolean;
  baseUrl: string | undefined;
  demo: boolean;
  debug: boolean;
  nonInteractive: boolean;
  json: boolean;
  email: string | undefined;
  code: string | undefined;
  username: string | undefined;
  acceptTerms: boolean;
  recoveryKeyFile: string | undefined;
  recoveryKeyStdin: boolean;
  resetRecoveryKey: boolean;
  newRecoveryKeyFile: string | undefined;
  verify: VerifyChoice | undefined;
  /** Verify with a QR code for the other device to scan instead of comparing emojis (headless). */
  qr: boolean;
  /** Sending the token, codes and keys over plain HTTP beyond this machine is accepted. */
  allowInsecureHttp: boolean;
  /** In a terminal: line-by-line prompts and answers, no animation or redraws (screen readers, logs). */
  plain: boolean;
  /** Language of the emoji names (`--lang`); from the locale otherwise. */
  lang: string | undefined;
  /** verify: only accept a request from the other device (wait for one until --timeout). */
  wait: boolean;
  /** verify: the user to verify a device of (`userID`); the app decides when absent. */
  user: string | undefined;
  /** verify: a QR payload scanned from the other device, read from this file once the request is accepted ("-" for stdin). */
  qrFile: string | undefined;
  /** simulate: the strict profile, which disagrees with assumptions the documents do not make. */
  strict: boolean;
  /** Every wait (server, other device); default 10 minutes, the Matrix verification lifetime. */
  timeoutMs: number;
  saveToken: boolean;
  printToken: boolean;
  ssh: string | undefined;
  remotePort: number;
  /** simulate: undefined means the simulator's default, Beeper's own port. */
  port: number | undefined;
}

export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;
const COMMANDS: readonly Command[] = ['setup', 'verify', 'status', 'logout', 'simulate'];
const VERIFY_CHOICES: readonly VerifyChoice[] = ['device', 'recovery-key', 'reset'];

/** The --help sections flags are listed under, in order (README's Options has one table each). */
export const FLAG_SECTIONS = {
  connection: 'Connection',
  answers: 'Answers (for scripts; without a terminal they replace the prompts)',
  verify: 'verify',
  output: 'Output',
  simulate: 'simulate',
} as const;

/** One flag: how it parses, which commands take it, and how --help and "needs a value" messages show it. */
export interface FlagSpec {
  /** The long name, without its dashes. */
  name: string;
  type: 'boolean' | 'string';
  short?: string;
  section: keyof typeof FLAG_SECTIONS;
  /** What it does, for --help (wrapped there). */
  help: string;
  /** string flags: the value's name in --help ("URL") and an example of it for "needs a value" messages. */
  value?: { name: string; example: string };
  /** Only these commands take it; elsewhere it is refused rather than ignored. */
  commands?: readonly Command[];
}

/**
 * Every flag, once: the parser's options, the examples in "needs a value" messages and the
 * --help text (src/help.ts) are made from this table; README's Options lists the same flags
 * (tests/args.test.ts holds them equal).
 */
export const FLAGS = [
  { name: 'base-url', type: 'string', section: 'connection', value: { name: 'URL', example: DEFAULT_BASE_URL }, help: `Beeper's local API (default ${DEFAULT_BASE_URL}, or BEEPER_BASE_URL)` },
  { name: 'ssh', type: 'string', section: 'connection', value: { name: '[user@]host[:port]', example: 'admin@my-server' }, help: 'set up a remote Beeper Server through ssh' },
  { name: 'remote-port', type: 'string', section: 'connection', value: { name: 'N', example: `${BEEPER_PORT}` }, help: `the API port on the ssh host (default ${BEEPER_PORT})` },
  { name: 'allow-insecure-http', type: 'boolean', section: 'connection', help: 'send secrets over plain HTTP to another host' },
  { name: 'demo', type: 'boolean', section: 'connection', help: 'the wizard against the built-in simulator' },
  { name: 'email', type: 'string', section: 'answers', value: { name: 'EMAIL', example: 'you@example.com' }, help: "the Beeper account's email address" },
  { name: 'code', type: 'string', section: 'answers', value: { name: 'CODE', example: '123456' }, help: 'the emailed code, to continue a pending sign-in (else read from stdin when needed)' },
  { name: 'username', type: 'string', section: 'answers', value: { name: 'NAME', example: 'yourname' }, help: 'username for a new account' },
  { name: 'accept-terms', type: 'boolean', section: 'answers', help: "agree to Beeper's Terms of Use and Privacy Policy (new accounts)" },
  { name: 'verify', type: 'string', section: 'answers', value: { name: 'METHOD', example: 'recovery-key' }, help: VERIFY_CHOICES.join(' | ') },
  { name: 'qr', type: 'boolean', section: 'answers', help: 'without a full-screen UI: show a QR code to scan instead of comparing emojis' },
  { name: 'recovery-key-file', type: 'string', section: 'answers', value: { name: 'PATH', example: '~/beeper-recovery-key.txt' }, help: 'read the recovery key from a file' },
  { name: 'recovery-key-stdin', type: 'boolean', section: 'answers', help: 'read the recovery key from standard input' },
  { name: 'reset-recovery-key', type: 'boolean', section: 'answers', help: 'make a new recovery key' },
  { name: 'new-recovery-key-file', type: 'string', section: 'answers', value: { name: 'PATH', example: './beeper-recovery-key.txt' }, help: 'write a new recovery key here (mode 0600, never overwritten)' },
  { name: 'timeout', type: 'string', section: 'answers', value: { name: 'DURATION', example: '10m' }, help: 'longest wait for the app or another device, e.g. 90s, 10m (default 10m)' },
  { name: 'wait', type: 'boolean', section: 'verify', commands: ['verify'], help: 'wait for a request from the other device' },
  { name: 'user', type: 'string', section: 'verify', commands: ['verify'], value: { name: 'USER_ID', example: '@you:beeper.com' }, help: 'the user whose device to verify' },
  { name: 'qr-file', type: 'string', section: 'verify', commands: ['verify'], value: { name: 'PATH', example: 'scanned.txt' }, help: "the other device's QR payload, scanned with another app; read once the request is accepted (- for stdin)" },
  { name: 'plain', type: 'boolean', section: 'output', help: 'line by line, no animation: for screen readers and logs (script, tee)' },
  { name: 'non-interactive', type: 'boolean', section: 'output', help: 'never prompt in a full-screen UI' },
  { name: 'json', type: 'boolean', section: 'output', help: 'machine-readable NDJSON events on stdout' },
  { name: 'lang', type: 'string', section: 'output', value: { name: 'CODE', example: 'de' }, help: 'language of the emoji names (e.g. de, ja)' },
  { name: 'no-save-token', type: 'boolean', section: 'output', help: 'keep the access token in memory only' },
  { name: 'print-token', type: 'boolean', section: 'output', help: 'print BEEPER_ACCESS_TOKEN=... when done' },
  { name: 'debug', type: 'boolean', section: 'output', help: 'show request lines and error details' },
  { name: 'help', type: 'boolean', short: 'h', section: 'output', help: 'show this help' },
  { name: 'version', type: 'boolean', short: 'v', section: 'output', help: 'show the version' },
  { name: 'port', type: 'string', section: 'simulate', commands: ['simulate'], value: { name: 'N', example: `${BEEPER_PORT}` }, help: `the simulator's port (default ${BEEPER_PORT}; 0 picks a free one)` },
  { name: 'strict', type: 'boolean', section: 'simulate', commands: ['simulate'], help: 'the strict profile: disagrees wherever the API documents are silent' },
] as const satisfies readonly FlagSpec[];

type Flag = (typeof FLAGS)[number];
/** node:util parseArgs's options, typed per flag so each value comes out as a string or a boolean. */
type ParserOptions = { [F in Flag as F['name']]: { type: F['type']; short?: string } };
const PARSER_OPTIONS = Object.fromEntries(
  FLAGS.map((flag: FlagSpec) => [flag.name, { type: flag.type, ...(flag.short ? { short: flag.short } : {}) }]),
) as ParserOptions;
const flagNamed = (name: string): FlagSpec | undefined => FLAGS.find((flag) => flag.name === name);

/** Secrets never belong in argv: shell history and `ps` show them to others. */
const SECRET_FLAGS: Record<string, string> = {
  'recovery-key': 'Pass it with --recovery-key-file PATH, --recovery-key-stdin, or the BEEPER_RECOVERY_KEY variable.',
  'existing-recovery-key': 'Pass it with --recovery-key-file PATH, --recovery-key-stdin, or the BEEPER_RECOVERY_KEY variable.',
  'access-token': 'Pass it with the BEEPER_ACCESS_TOKEN variable.',
  token: 'Pass it with the BEEPER_ACCESS_TOKEN variable.',
};

/** The answer flags a run without the wizard takes; the wizard asks each question itself. */
const SCRIPT_ANSWERS: [flag: string, given: (options: CliOptions) => boolean][] = [
  ['--code', (o) => o.code !== undefined],
  ['--username', (o) => o.username !== undefined],
  ['--accept-terms', (o) => o.acceptTerms],
  ['--verify', (o) => o.verify !== undefined && !o.resetRecoveryKey],
  ['--reset-recovery-key', (o) => o.resetRecoveryKey],
  ['--recovery-key-file', (o) => o.recoveryKeyFile !== undefined],
  ['--recovery-key-stdin', (o) => o.recoveryKeyStdin],
  ['--new-recovery-key-file', (o) => o.newRecoveryKeyFile !== undefined],
];

/** The wizard would ignore these answer flags: say so before anything happens, and how to use them. */
export function refuseScriptAnswers(options: CliOptions): void {
  const given = SCRIPT_ANSWERS.filter(([, isGiven]) => isGiven(options)).map(([flag]) => flag);
  if (given.length === 0) return;
  throw usage(
    `${given.join(', ')} ${given.length === 1 ? 'answers a question' : 'answer questions'} for runs without the wizard; the wizard asks ${given.length === 1 ? 'it' : 'them'} itself.`,
    'Add --plain to answer line by line in this terminal (or --non-interactive), or leave it out.',
  );
}

/** "90s", "10m", "1h", "1500ms" or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = Math.round(value * factor);
  return ms > 0 ? ms : undefined;
}

function parsePort(text: string | undefined, flag: string, fallback: number, allowZero: boolean): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < (allowZero ? 0 : 1) || port > 65535) {
    throw new CliError(`--${flag} needs a port number${allowZero ? ' (0 picks a free one)' : ''}, not "${text}".`, ExitCode.Usage);
  }
  return port;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

const usage = (message: string, hint = 'Run beeper-setup --help to see the commands and flags.') =>
  new CliError(message, ExitCode.Usage, hint);

export function parseCli(argv: string[]): CliOptions {
  for (const arg of argv) {
    const name = /^--([^=]+)/.exec(arg)?.[1];
    if (name && SECRET_FLAGS[name]) {
      throw usage(`--${name} is refused: secrets on the command line end up in shell history and process lists.`, SECRET_FLAGS[name]);
    }
  }

  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: PARSER_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const name = unknown.replace(/^-+/, '');
      // --save-token and the like: what the flag would turn on is the default.
      if (flagNamed(`no-${name}`)) throw usage(`Unknown flag ${unknown}: beeper-setup does that by default.`, `Leave it out (--no-${name} turns it off).`);
      const suggestion = closest(name, FLAGS.map((flag) => flag.name));
      throw usage(`Unknown flag ${unknown}.`, suggestion ? `Did you mean --${suggestion}? Run beeper-setup --help for all flags.` : undefined);
    }
    // Node's own wording names the flag as "--base-url <value>": say it our way.
    const missing = /Option '(-{1,2}[\w-]+)(?:, -{1,2}[\w-]+)? <value>' argument missing/.exec(message)?.[1];
    const example = missing && flagNamed(missing.replace(/^-+/, ''))?.value?.example;
    if (missing) throw usage(`${missing} needs a value, e.g. ${missing} ${example ?? 'VALUE'}.`);
    throw usage(message.replace(/\. To specify a positional argument.*$/s, '.'));
  }

  const { values, positionals } = parsed;
  if (positionals.length > 1) throw usage(`Unexpected argument "${positionals[1]}".`);
  const commandWord = positionals[0] ?? 'setup';
  if (!COMMANDS.includes(commandWord as Command)) {
    const suggestion = closest(commandWord, COMMANDS);
    throw usage(`Unknown command "${commandWord}".`, suggestion ? `Did you mean "beeper-setup ${suggestion}"?` : undefined);
  }

  const verify = values.verify;
  if (verify !== undefined && !VERIFY_CHOICES.includes(verify as VerifyChoice)) {
    throw usage(`--verify takes device, recovery-key or reset, not "${verify}".`);
  }
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const parsedTimeout = parseDuration(values.timeout);
    if (parsedTimeout === undefined) throw usage(`--timeout needs a duration like 90s, 10m or 1h, not "${values.timeout}".`);
    timeoutMs = parsedTimeout;
  }
  if (values['recovery-key-file'] && values['recovery-key-stdin']) {
    throw usage('Use one of --recovery-key-file and --recovery-key-stdin, not both.');
  }
  if (values['print-token'] && values.json) {
    throw usage('--print-token cannot be combined with --json: with --json, stdout carries only events.');
  }
  const command = commandWord as Command;
  for (const flag of FLAGS as readonly FlagSpec[]) {
    if (flag.commands && values[flag.name as Flag['name']] !== undefined && !flag.commands.includes(command)) {
      throw usage(`--${flag.name} belongs to ${flag.commands.map((c) => `beeper-setup ${c === 'setup' ? '' : c}`.trim()).join(' and ')}.`);
    }
  }
  if (values['reset-recovery-key'] && verify && verify !== 'reset') {
    throw usage(`--reset-recovery-key contradicts --verify ${verify}.`);
  }
  // Flags that would be silently ignored are refused: the person meant something by them.
  if (values['remote-port'] !== undefined && !values.ssh) {
    throw usage('--remote-port is the API port on the --ssh host, and there is no --ssh.', 'Add --ssh [user@]host, or give a local address with --base-url http://localhost:PORT.');
  }
  if (values.demo && (values.ssh !== undefined || values['base-url'] !== undefined)) {
    throw usage(`--demo runs its own simulated Beeper, so --${values.ssh !== undefined ? 'ssh' : 'base-url'} would be ignored.`, 'Leave out --demo to set up a real Beeper.');
  }

  return {
    command,
    help: values.help ?? false,
    version: values.version ?? false,
    baseUrl: values['base-url'],
    demo: values.demo ?? false,
    debug: values.debug ?? false,
    nonInteractive: values['non-interactive'] ?? false,
    json: values.json ?? false,
    email: values.email,
    code: values.code,
    username: values.username,
    acceptTerms: values['accept-terms'] ?? false,
    recoveryKeyFile: values['recovery-key-file'],
    recoveryKeyStdin: values['recovery-key-stdin'] ?? false,
    resetRecoveryKey: values['reset-recovery-key'] ?? false,
    newRecoveryKeyFile: values['new-recovery-key-file'],
    verify: (values['reset-recovery-key'] ? 'reset' : verify) as VerifyChoice | undefined,
    qr: values.qr ?? false,
    allowInsecureHttp: values['allow-insecure-http'] ?? false,
    plain: values.plain ?? false,
    lang: values.lang,
    wait: values.wait ?? false,
    user: values.user,
    qrFile: values['qr-file'],
    strict: values.strict ?? false,
    timeoutMs,
    saveToken: !(values['no-save-token'] ?? false),
    printToken: values['print-token'] ?? false,
    ssh: values.ssh,
    remotePort: parsePort(values['remote-port'], 'remote-port', BEEPER_PORT, false),
    port: values.port === undefined ? undefined : parsePort(values.port, 'port', 0, true),
  };
}
