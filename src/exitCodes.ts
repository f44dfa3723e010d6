/** Exit codes, documented in --help and the README. */
export const ExitCode = {
  Ready: 0,
  Error: 1,
  Usage: 2,
  /** An answer is needed and nobody can be asked (no TTY, no flag). */
  InputNeeded: 3,
  /** Not ready when a wait ran out (--timeout), or `status` of an unfinished setup. */
  NotReady: 4,
  Unreachable: 5,
  /** The terminal went away (SIGHUP: an SSH session dropped). */
  HungUp: 129,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: printed as one clear message (no stack) and exits with its code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** Set once an `error` event for it went out (--json), so it is not reported twice. */
  reported = false;

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** A second line: what to do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

const EVENT_CODE_BY_EXIT: Record<number, string> = {
  [ExitCode.Error]: 'error',
  [ExitCode.Usage]: 'usage',
  [ExitCode.InputNeeded]: 'input-needed',
  [ExitCode.NotReady]: 'timeout',
  [ExitCode.Unreachable]: 'unreachable',
  [ExitCode.HungUp]: 'interrupted',
  [ExitCode.Interrupted]: 'interrupted',
};

/** The `code` of a --json `error` event for an exit code. */
export function errorEventCode(exitCode: number): string {
  return EVENT_CODE_BY_EXIT[exitCode] ?? 'error';
}
