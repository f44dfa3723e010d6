/**
 * What headless mode says: human-readable lines on stderr, and with --json one
 * NDJSON event per line on stdout. Nothing here ever receives a token, a code
 * or a recovery key: callers pass only what may be shown.
 */
import { CliError, errorEventCode, ExitCode } from '../exitCodes.js';

/** Every event --json writes; field names are stable (README.md, "NDJSON events", lists them). */
export type HeadlessEvent =
  | { event: 'connected'; baseUrl: string; via?: string; app?: string; version?: string }
  | { event: 'step'; step: string }
  | { event: 'prompt'; for: PromptFor; message: string }
  | { event: 'waiting'; for: 'other-device' | 'other-device-confirm' | 'server'; elapsedMs: number; state?: string }
  | { event: 'problem'; code: string; message: string; attemptsLeft?: number }
  | { event: 'terms'; text: string; termsUrl: string; privacyUrl: string; accepted: boolean }
  | { event: 'verification'; otherDevice?: string; emojis: { emoji: string; name: string }[]; decimals: string }
  | { event: 'qr'; data: string }
  | { event: 'recovery-key-saved'; path: string }
  | { event: 'ready'; userID: string; deviceID: string; homeserver: string }
  | { event: 'status'; [field: string]: unknown }
  | { event: 'logout'; key: string; forgotten: boolean }
  | { event: 'error'; code: string; message: string; exitCode: number };

export type PromptFor = 'email' | 'code' | 'username' | 'recovery-key' | 'emoji-match' | 'scan-confirm';

export interface Reporter {
  /** A line for people (stderr). */
  say(line: string): void;
  /** An event for programs (stdout, --json only). */
  emit(event: HeadlessEvent): void;
  /** Only with --debug. */
  debug(line: string): void;
  readonly json: boolean;
}

export interface ReporterOptions {
  json: boolean;
  debug: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export function createReporter(options: ReporterOptions): Reporter {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  return {
    json: options.json,
    say: (line) => void stderr.write(`${line}\n`),
    emit: (event) => {
      if (options.json) stdout.write(`${JSON.stringify(event)}\n`);
    },
    debug: (line) => {
      if (options.debug) stderr.write(`[debug] ${line}\n`);
    },
  };
}

/** "1m 05s", "42s": for elapsed-time lines. */
export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** "90s" → "1m 30s", "10m": for --timeout in messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return formatElapsed(ms);
}

/** A failure headless mode explains itself; `eventCode` is the NDJSON error event's `code`. */
export class HeadlessError extends CliError {
  constructor(
    readonly eventCode: string,
    message: string,
    exitCode: ExitCode,
    hint?: string,
  ) {
    super(message, exitCode, hint);
  }
}

export function eventCodeOf(error: CliError): string {
  return error instanceof HeadlessError ? error.eventCode : errorEventCode(error.exitCode);
}
