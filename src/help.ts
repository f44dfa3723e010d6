/**
 * The --help text: the flags come from src/args.ts's table, wrapped to 72 columns; the rest
 * (commands, environment, exit codes) is written here. `beeper-setup --help` loads only this
 * and the table (src/cli.ts).
 */
import { FLAG_SECTIONS, FLAGS, type FlagSpec } from './args.js';

const WIDTH = 72;
/** Where descriptions start: after two spaces and the widest usual flag. */
const DESCRIPTION_COLUMN = 28;

/** `words` wrapped to `width`, greedily: as many words on a line as fit. */
function wrap(words: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of words.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** "  --base-url URL            Beeper's local API …", a flag too wide for its column on a line of its own. */
function flagLines(flag: FlagSpec): string[] {
  const usage = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ` ${flag.value.name}` : ''}`;
  const pad = ' '.repeat(DESCRIPTION_COLUMN);
  const [first = '', ...rest] = wrap(flag.help, WIDTH - DESCRIPTION_COLUMN).map((line) => `${pad}${line}`);
  const head = `  ${usage}`;
  const lines = head.length < DESCRIPTION_COLUMN - 1 ? [`${head.padEnd(DESCRIPTION_COLUMN)}${first.trimStart()}`] : [head, first];
  return [...lines, ...rest];
}

const sections = (Object.keys(FLAG_SECTIONS) as (keyof typeof FLAG_SECTIONS)[]).map((section) =>
  [FLAG_SECTIONS[section], ...(FLAGS as readonly FlagSpec[]).filter((flag) => flag.section === section).flatMap(flagLines)].join('\n'),
);

export const HELP = `beeper-setup: sign Beeper Desktop or Beeper Server in, trust this
device, and unlock encrypted messages.

Usage
  beeper-setup [flags]          the setup wizard (resumes where the app stands)
  beeper-setup verify [flags]   from a ready app, verify your other device
  beeper-setup status [--json]  what the app reports, changing nothing
  beeper-setup logout           forget the access token saved for this app
  beeper-setup simulate         run the built-in Beeper simulator

${sections.join('\n\n')}

Environment
  BEEPER_BASE_URL, BEEPER_ACCESS_TOKEN, BEEPER_RECOVERY_KEY, NO_COLOR, CI
  BEEPER_SETUP_SSH_COMMAND  ssh program and options for --ssh

Exit codes
  0 ready   1 error   2 usage   3 an answer is needed and cannot be asked
  4 not ready (timed out)   5 Beeper unreachable
  129 hung up (SIGHUP)   130 interrupted (Ctrl-C, SIGTERM)
`;
