/**
 * Typed failures of the setup API client. Every one names the call (e.g.
 * "POST /v1/app/setup/email") and never holds a request body, header or
 * anything else a secret could hide in: messages are built only from the
 * method, the path template, the status, the address and the server's own
 * `message`. They are for logs and bug reports; src/wording words failures for people.
 */

export type ApiErrorKind = 'unreachable' | 'http' | 'invalid-response';

export abstract class ApiError extends Error {
  abstract readonly kind: ApiErrorKind;
  /** "METHOD /path/template" — ids are not interpolated. */
  readonly call: string;

  protected constructor(call: string, message: string) {
    super(message);
    this.call = call;
  }
}

/**
 * `stalled`: the answer began but did not finish in time (a body that drips or never ends).
 * `dropped`: the answer began and the connection broke in its middle: the app was there.
 */
export type UnreachableReason = 'refused' | 'dns' | 'timeout' | 'stalled' | 'dropped' | 'reset' | 'network';

/**
 * Nothing answered: the app is not running, the address is wrong, or it stopped responding.
 * It carries what happened, not words for a person: src/wording/unreachable.ts says it.
 */
export class UnreachableError extends ApiError {
  readonly kind = 'unreachable' as const;
  override readonly name = 'UnreachableError';

  constructor(
    call: string,
    readonly baseUrl: string,
    readonly reason: UnreachableReason,
  ) {
    super(call, `${call} to ${baseUrl} failed: ${reason}.`);
  }
}

export interface ServerIssue {
  code?: string;
  message?: string;
  path?: (string | number)[];
}

/** The server answered with a non-2xx status. */
export class HttpError extends ApiError {
  readonly kind = 'http' as const;
  override readonly name = 'HttpError';

  constructor(
    call: string,
    readonly status: number,
    /** The server's error `code`, when its body had one. */
    readonly code: string | undefined,
    /** The server's `message` when its body had one, else the status text. */
    readonly serverMessage: string,
    readonly details: { issues?: ServerIssue[]; attemptsLeft?: number } | undefined,
  ) {
    super(call, `${call} failed with ${status}: ${serverMessage}`);
  }
}

/** The server answered 2xx but the body is not what the contract promises. */
export class InvalidResponseError extends ApiError {
  readonly kind = 'invalid-response' as const;
  override readonly name = 'InvalidResponseError';

  constructor(
    call: string,
    /** Dotted path of the offending field, or "body" when it did not parse. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(call, `${call} returned an unexpected response: ${field} ${problem}.`);
  }
}

/** Sending a token or secret in clear text beyond this machine, without --allow-insecure-http: refused before sending. */
export class InsecureTransportError extends Error {
  override readonly name = 'InsecureTransportError';
  constructor(readonly call: string) {
    super(`${call} would send a secret over plain HTTP beyond this machine; refused.`);
  }
}
