/**
 * What headless mode says: human-readable lines on stderr, and with --json one
 * NDJSON event per line on stdout. Callers pass only what may be shown; as a
 * last guard every line and event is cleaned of terminal controls and every
 * secret the process holds is redacted, in any grouping.
 */
import type { WaitsFor } from '../../machines/steps.js';
import { CliError, errorEventCode, ExitCode } from '../exitCodes.js';
import { scrub } from '../shared/redact.js';
import { cleanText, printable, safeJson } from '../shared/terminalText.js';

/** Every event --json writes; field names are stable (README.md, "NDJSON events", lists them). */
export type HeadlessEvent =
  | { event: 'connected'; baseUrl: string; via?: string; app?: string; version?: string }
  | { event: 'step'; step: string }
  | { event: 'prompt'; for: PromptFor; message: string }
  | { event: 'notice'; code: string; message: string }
  | { event: 'waiting'; for: WaitsFor; elapsedMs: number; state?: string; stalled?: string }
  | { event: 'problem'; code: string; message: string; attemptsLeft?: number }
  | { event: 'terms'; text: string; termsUrl: string; privacyUrl: string; accepted: boolean }
  | {
      event: 'verification';
      otherDevice?: string;
      emojis: { emoji: string; name: string; english?: string }[];
      decimals: string;
      language: string;
    }
  | { event: 'qr'; data: string }
  | { event: 'recovery-key-saved'; path: string }
  | { event: 'token-saved'; path: string; mode: '0600'; repaired: string[] }
  | { event: 'ready'; userID: string; deviceID: string; homeserver: string }
  | { event: 'verified'; otherDevice: string; userID: string }
  | { event: 'status'; [field: string]: unknown }
  | { event: 'logout'; key: string; forgotten: boolean }
  | { event: 'error'; code: string; message: string; exitCode: number };

export type PromptFor = 'email' | 'code' | 'username' | 'terms' | 'method' | 'reset-confirm' | 'recovery-key' | 'new-key-file' | 'new-key-check' | 'emoji-match' | 'scan-confirm' | 'qr-payload';

export interface Reporter {
  /** A line for people (stderr). */
  say(line: string): void;
  /** Pictures we drew ourselves (the QR code), written as they are: their colours are ours. */
  art(lines: string[]): void;
  /**
   * A secret shown on purpose to the person at this terminal (a new recovery key, once): stderr,
   * cleaned of controls but not redacted, and never an event. Callers check there is a person.
   */
  reveal(lines: string[]): void;
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

/** An event ready for a pipe: every string scrubbed, C1 and line separators escaped. */
function eventLine(event: HeadlessEvent): string {
  const scrubbed = JSON.parse(JSON.stringify(event), (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value)) as HeadlessEvent;
  return `${safeJson(scrubbed)}\n`;
}

export function createReporter(options: ReporterOptions): Reporter {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  return {
    json: options.json,
    say: (line) => void stderr.write(`${printable(line)}\n`),
    art: (lines) => void stderr.write(`${lines.join('\n')}\n`),
    reveal: (lines) => void stderr.write(`${lines.map((line) => cleanText(line, 1000)).join('\n')}\n`),
    emit: (event) => {
      if (options.json) stdout.write(eventLine(event));
    },
    debug: (line) => {
      if (options.debug) stderr.write(`[debug] ${printable(line)}\n`);
    },
  };
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
