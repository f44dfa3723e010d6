/**
 * What went wrong, as plain data the front ends can explain (src/wording/problems.ts).
 * The machine stores a Problem in context instead of the thrown object so a
 * snapshot stays printable and never carries a stack or a request.
 */
import { HttpError, InsecureTransportError, InvalidResponseError, UnreachableError, type UnreachableReason } from '../src/api/errors.js';
import { explainUnreachable } from '../src/wording/unreachable.js';

export type ProblemKind =
  /** Nothing answered at the base URL. */
  | 'unreachable'
  /** The app answers but has no setup routes: an old Beeper build. */
  | 'unsupported-build'
  /** Something answers at the address, but neither /v1/info nor the setup routes: not Beeper. */
  | 'not-beeper'
  /** The server refused what was sent (4xx); `message` is the server's. */
  | 'rejected'
  /** The access token is missing, wrong or revoked. */
  | 'unauthorized'
  /** The sign-in request is gone (too many wrong codes, or expired). */
  | 'sign-in-expired'
  /** The server failed (5xx). */
  | 'server'
  /** The server answered something the contract does not allow. */
  | 'invalid-response'
  /** A secret would have crossed a network in clear text. */
  | 'insecure'
  /** Too many wrong answers of one kind (recovery keys); `message` says which. */
  | 'too-many-attempts'
  /** A verification started by a preset choice keeps ending unfinished. */
  | 'verification-keeps-ending'
  /** `verify` needs an app that is set up (ready). */
  | 'not-set-up'
  /** The app is signed in already and we hold no token for it; the setup API cannot sign it out. */
  | 'already-signed-in'
  /** The confirm of a new recovery key lost its answer, and the session shows it was not taken. */
  | 'key-not-activated'
  /** The confirm of a new recovery key lost its answer, and Beeper did not answer again to say. */
  | 'key-outcome-unknown'
  /** A bug on our side. */
  | 'unexpected';

export interface Problem {
  kind: ProblemKind;
  /** One sentence a person can read. For 'rejected' it is the server's own message. */
  message: string;
  /** "METHOD /path/template" when an API call failed. */
  call?: string;
  status?: number;
  /** The server's machine-readable code, e.g. "USERNAME_TAKEN". */
  code?: string;
  /** For wrong sign-in codes, when the server said. */
  attemptsLeft?: number;
  /** For 'unreachable': the URL that was tried, and why it failed ('tunnel-closed': the --ssh tunnel's ssh exited). */
  baseUrl?: string;
  reason?: UnreachableReason | 'tunnel-closed';
  /** The refused answer was given up front (a flag, a file, a variable), so nobody can retype it: which one. */
  preset?: PresetAnswer;
}

/** The answers a run can be given up front; a refusal of one names it (headless words it as its flag). */
export type PresetAnswer = 'email' | 'code' | 'username' | 'recovery-key' | 'qr-file';

export function toProblem(error: unknown): Problem {
  if (error instanceof UnreachableError) {
    const { message } = explainUnreachable(error.baseUrl, error.reason);
    return { kind: 'unreachable', message, call: error.call, baseUrl: error.baseUrl, reason: error.reason };
  }
  if (error instanceof HttpError) {
    const base = { message: error.serverMessage, call: error.call, status: error.status, ...(error.code ? { code: error.code } : {}) };
    if (error.details?.attemptsLeft !== undefined) Object.assign(base, { attemptsLeft: error.details.attemptsLeft });
    if (error.status === 401) return { ...base, kind: 'unauthorized' };
    if (error.status === 410) return { ...base, kind: 'sign-in-expired' };
    if (error.status >= 500) return { ...base, kind: 'server' };
    return { ...base, kind: 'rejected' };
  }
  if (error instanceof InvalidResponseError) {
    return { kind: 'invalid-response', message: error.message, call: error.call };
  }
  if (error instanceof InsecureTransportError) {
    return { kind: 'insecure', message: error.message, call: error.call };
  }
  return { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) };
}
