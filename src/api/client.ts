/**
 * The one module that talks HTTP to Beeper's app-setup API: a typed function
 * per call, every response checked against its shape before use.
 *
 * Retries are ours, not ky's, because the rules differ by cause: GETs are
 * retried on network failures and 502/503/504; a POST never is (a second
 * `/email` would mail a second code) — except after 429, which says the
 * request was not processed, so every method waits out Retry-After.
 */
import ky, { type KyInstance } from 'ky';
import { STATUS_CODES } from 'node:http';
import { HttpError, InvalidResponseError, UnreachableError, type ServerIssue, type UnreachableReason } from './errors.js';
import * as schemas from './schemas.js';
import type {
  AppInfo,
  CodeResponse,
  ResetRecoveryKeyResponse,
  Session,
  SessionEnvelope,
  SignInSuccess,
  StartResponse,
  VerificationList,
} from './types.js';
import { DEFAULT_BASE_URL } from './types.js';
import { ShapeError, type Guard } from './validate.js';

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  limit: number;
  /** Backoff before retry n (1-based) is `min(baseDelayMs * 2^(n-1), maxDelayMs)`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we are willing to honour. */
  maxRetryAfterMs: number;
}

export interface SetupClientOptions {
  baseUrl?: string;
  /** Default token; a call's own `accessToken` wins. */
  accessToken?: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** One line per attempt, for --debug: method, path template, status, duration. Never bodies or headers. */
  onLog?: (line: string) => void;
  /** Injected for tests that need a fake clock between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  accessToken?: string;
  signal?: AbortSignal;
  /** Overrides the retry limit for this call; pollers pass 0 and back off themselves. */
  retries?: number;
}

const DEFAULT_RETRY: RetryPolicy = { limit: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30_000 };
const RETRYABLE_GET_STATUSES = new Set([502, 503, 504]);
const SETUP = 'v1/app/setup';

interface Request<T> {
  method: 'GET' | 'POST';
  /** Path template used in messages and logs, e.g. "/v1/app/setup/verifications/{id}". */
  template: string;
  /** Real path relative to the base URL, ids already encoded. */
  path: string;
  body?: unknown;
  auth: boolean;
  /** Absent for calls that return nothing. */
  shape?: Guard<T>;
  /** Values to scrub from anything the server says back (codes, keys, tokens). */
  secrets?: (string | undefined)[];
}

export function resolveBaseUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag || env.BEEPER_BASE_URL || DEFAULT_BASE_URL;
  return raw.replace(/\/+$/, '');
}

export const encodeId = (id: string) => encodeURIComponent(id);

export class SetupClient {
  readonly baseUrl: string;
  private readonly http: KyInstance;
  private readonly retry: RetryPolicy;
  private readonly defaultToken: string | undefined;
  private readonly onLog: ((line: string) => void) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: SetupClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.defaultToken = options.accessToken;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.onLog = options.onLog;
    this.sleep = options.sleep ?? abortableSleep;
    this.http = ky.create({
      prefixUrl: this.baseUrl,
      timeout: options.timeoutMs ?? 15_000,
      retry: 0,
      throwHttpErrors: false,
    });
  }

  // ── Which app answers ────────────────────────────────────────────────
  info(options?: CallOptions): Promise<AppInfo> {
    return this.call({ method: 'GET', template: '/v1/info', path: 'v1/info', auth: false, shape: schemas.appInfo }, options);
  }

  getSession(options?: CallOptions): Promise<Session> {
    // Public before sign-in; send the token whenever we have one.
    return this.call({ method: 'GET', template: `/${SETUP}`, path: SETUP, auth: true, shape: schemas.session }, options);
  }

  // ── Sign-in and account creation ─────────────────────────────────────
  start(options?: CallOptions): Promise<StartResponse> {
    return this.post('/start', undefined, schemas.startResponse, false, options);
  }

  sendEmail(input: { setupRequestID: string; email: string }, options?: CallOptions): Promise<void> {
    return this.post('/email', input, undefined, false, options);
  }

  submitCode(input: { setupRequestID: string; code: string }, options?: CallOptions): Promise<CodeResponse> {
    const body = { setupRequestID: input.setupRequestID, response: input.code };
    return this.post('/response', body, schemas.codeResponse, false, options, [input.code]);
  }

  register(input: { setupRequestID: string; leadToken: string; username: string; acceptTerms: true }, options?: CallOptions): Promise<SignInSuccess> {
    return this.post('/register', input, schemas.signInSuccess, false, options, [input.leadToken]);
  }

  // ── Recovery key ─────────────────────────────────────────────────────
  verifyRecoveryKey(recoveryKey: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.post('/verification/recovery-key', { recoveryKey }, schemas.sessionEnvelope, true, options, [recoveryKey]);
  }

  resetRecoveryKey(existingRecoveryKey: string | undefined, options?: CallOptions): Promise<ResetRecoveryKeyResponse> {
    const body = existingRecoveryKey ? { existingRecoveryKey } : {};
    return this.post('/verification/recovery-key/reset', body, schemas.resetRecoveryKeyResponse, true, options, [existingRecoveryKey]);
  }

  confirmRecoveryKeyReset(recoveryKey: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.post('/verification/recovery-key/reset/confirm', { recoveryKey }, schemas.sessionEnvelope, true, options, [recoveryKey]);
  }

  // ── Device verification ──────────────────────────────────────────────
  listVerifications(options?: CallOptions): Promise<VerificationList> {
    return this.call(
      { method: 'GET', template: `/${SETUP}/verifications`, path: `${SETUP}/verifications`, auth: true, shape: schemas.verificationList },
      options,
    );
  }

  createVerification(input: { purpose?: 'login' | 'device'; userID?: string } = {}, options?: CallOptions): Promise<SessionEnvelope> {
    return this.post('/verifications', input, schemas.sessionEnvelope, true, options);
  }

  getVerification(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      {
        method: 'GET',
        template: `/${SETUP}/verifications/{id}`,
        path: `${SETUP}/verifications/${encodeId(id)}`,
        auth: true,
        shape: schemas.sessionEnvelope,
      },
      options,
    );
  }

  acceptVerification(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'accept', undefined, options);
  }

  cancelVerification(id: string, input: { code?: string; reason?: string } = {}, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'cancel', input, options);
  }

  startSas(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'sas/start', undefined, options);
  }

  confirmSas(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'sas/confirm', undefined, options);
  }

  scanQr(data: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.post('/verifications/qr/scan', { data }, schemas.sessionEnvelope, true, options);
  }

  confirmQrScanned(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'qr/confirm-scanned', undefined, options);
  }

  // ── Plumbing ─────────────────────────────────────────────────────────
  private verificationAction(id: string, action: string, body: unknown, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      {
        method: 'POST',
        template: `/${SETUP}/verifications/{id}/${action}`,
        path: `${SETUP}/verifications/${encodeId(id)}/${action}`,
        body: body ?? {},
        auth: true,
        shape: schemas.sessionEnvelope,
      },
      options,
    );
  }

  private post<T>(
    suffix: string,
    body: unknown,
    shape: Guard<T> | undefined,
    auth: boolean,
    options?: CallOptions,
    secrets?: (string | undefined)[],
  ): Promise<T> {
    const request: Request<T> = { method: 'POST', template: `/${SETUP}${suffix}`, path: `${SETUP}${suffix}`, body, auth };
    if (shape) request.shape = shape;
    if (secrets) request.secrets = secrets;
    return this.call(request, options);
  }

  private async call<T>(request: Request<T>, options: CallOptions = {}): Promise<T> {
    const call = `${request.method} ${request.template}`;
    const token = options.accessToken ?? this.defaultToken;
    const secrets = [...(request.secrets ?? []), token].filter((s): s is string => !!s && s.length >= 4);
    const limit = options.retries ?? this.retry.limit;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let response: Response;
      try {
        response = await this.http(request.path, {
          method: request.method,
          headers: request.auth && token ? { authorization: `Bearer ${token}` } : {},
          ...(request.body !== undefined ? { json: request.body } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const reason = classifyNetworkError(error);
        this.onLog?.(`${call} → ${reason} (${Date.now() - started} ms)`);
        if (request.method === 'GET' && attempt < limit) {
          await this.sleep(this.backoff(attempt + 1), options.signal);
          continue;
        }
        throw new UnreachableError(call, this.baseUrl, reason);
      }
      this.onLog?.(`${call} → ${response.status} (${Date.now() - started} ms)`);
      if (response.ok) return this.parse(call, request, response);

      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const canRetry = attempt < limit;
      if (response.status === 429 && canRetry) {
        await this.sleep(Math.min(retryAfterMs ?? this.backoff(attempt + 1), this.retry.maxRetryAfterMs), options.signal);
        continue;
      }
      if (request.method === 'GET' && RETRYABLE_GET_STATUSES.has(response.status) && canRetry) {
        const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, this.retry.maxRetryAfterMs) : this.backoff(attempt + 1);
        await this.sleep(wait, options.signal);
        continue;
      }
      throw await toHttpError(call, response, retryAfterMs, secrets);
    }
  }

  private backoff(retry: number): number {
    return Math.min(this.retry.baseDelayMs * 2 ** (retry - 1), this.retry.maxDelayMs);
  }

  private async parse<T>(call: string, request: Request<T>, response: Response): Promise<T> {
    const text = await response.text();
    if (!request.shape) return undefined as T;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new InvalidResponseError(call, 'body', text.trim() === '' ? 'is empty' : 'is not valid JSON');
    }
    try {
      return request.shape(body, 'response');
    } catch (error) {
      if (error instanceof ShapeError) throw new InvalidResponseError(call, error.field, error.problem);
      throw error;
    }
  }
}

async function toHttpError(call: string, response: Response, retryAfterMs: number | undefined, secrets: string[]): Promise<HttpError> {
  const fallback = response.statusText || STATUS_CODES[response.status] || 'Unknown status';
  let code: string | undefined;
  let message = fallback;
  let details: HttpError['details'];
  try {
    const body: unknown = JSON.parse(await response.text());
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      if (typeof record.code === 'string') code = record.code;
      if (typeof record.message === 'string' && record.message.trim()) message = record.message.trim();
      details = pickDetails(record.details);
    }
  } catch {
    // HTML from a proxy, an empty body, a crash: the status text is all we can say.
  }
  return new HttpError(call, response.status, code, redact(message, secrets), details, retryAfterMs);
}

function pickDetails(raw: unknown): HttpError['details'] {
  if (!raw || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const details: NonNullable<HttpError['details']> = {};
  if (typeof record.attemptsLeft === 'number') details.attemptsLeft = record.attemptsLeft;
  if (Array.isArray(record.issues)) {
    details.issues = record.issues
      .filter((issue): issue is Record<string, unknown> => !!issue && typeof issue === 'object')
      .map((issue) => {
        const out: ServerIssue = {};
        if (typeof issue.code === 'string') out.code = issue.code;
        if (typeof issue.message === 'string') out.message = issue.message;
        if (Array.isArray(issue.path)) out.path = issue.path.filter((p) => typeof p === 'string' || typeof p === 'number');
        return out;
      });
  }
  return details;
}

/** A server that echoes what it was sent must not get a secret into our messages. */
function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function classifyNetworkError(error: unknown): UnreachableReason {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'reset';
    default:
      return 'network';
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
