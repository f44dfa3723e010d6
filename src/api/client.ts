/**
 * The one module that talks HTTP to Beeper's app-setup API: a typed function
 * per call, every response checked against its shape before use.
 *
 * Retries are ky's, with our rules: GETs are retried after network failures
 * and 429/502/503/504; a POST only after 429, which says the request was not
 * processed (a second `/email` would mail a second code). Retry-After is
 * honoured up to a limit. Every attempt has a deadline for its headers and
 * another for its body, and a body may not exceed 1 MB: a server that drips
 * or floods its answer fails the call with a typed error instead of hanging.
 */
import ky, { HTTPError, type KyInstance, type Options as KyOptions } from 'ky';
import { STATUS_CODES } from 'node:http';
import { redact, scrub } from '../shared/redact.js';
import { cleanLine } from '../shared/terminalText.js';
import { HttpError, InsecureTransportError, InvalidResponseError, UnreachableError, type ServerIssue, type UnreachableReason } from './errors.js';
import * as schemas from './schemas.js';
import { nodeFetch } from './nodeFetch.js';
import { isClearTextBeyondLoopback } from './transport.js';
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
import { ShapeError, type Guard } from './validate.js';

export interface RetryPolicy {
  /** Extra attempts after the first one. */
  limit: number;
  /** Backoff before retry n (1-based) is `min(baseDelayMs * 2^(n-1), maxDelayMs)`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we are willing to honour; a longer one is cut to this. */
  maxRetryAfterMs: number;
}

export interface SetupClientOptions {
  /** Beeper's address, as the run resolved it once (src/runtime.ts): --base-url, BEEPER_BASE_URL or the default. */
  baseUrl: string;
  /** Default token; a call's own `accessToken` wins. */
  accessToken?: string;
  /** Per attempt, for the headers; the body then gets as long again. Default 15 s. */
  timeoutMs?: number;
  /** Largest answer accepted. Default 1 MB. */
  maxBodyBytes?: number;
  retry?: Partial<RetryPolicy>;
  /** Sending a token or secret over plain HTTP beyond this machine; refused unless set. */
  allowInsecureHttp?: boolean;
  /** One line per attempt, for --debug: method, path template, status, duration. Never bodies or headers. */
  onLog?: (line: string) => void;
  /** The transport under ky: node:http by default (nodeFetch.ts says why); the platform's fetch also works. */
  fetch?: (input: globalThis.Request | URL | string, init?: RequestInit) => Promise<Response>;
}

export interface CallOptions {
  accessToken?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the retry limit for this call; pollers pass 0 and back off themselves. */
  retries?: number;
}

const DEFAULT_RETRY: RetryPolicy = { limit: 3, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30_000 };
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** An error body is only read for its message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const SETUP = 'v1/app/setup';

/**
 * Which Authorization header a call carries:
 * - `none`: no header (`GET /v1/info`).
 * - `public-client`: the sign-in calls, which need no token: the public client's fixed bearer, never the token.
 * - `token`: the access token when one is held, else no header (`GET /v1/app/setup` answers before sign-in
 *   without one, as Beeper's CLI asks it: the public client's bearer is no token and does not stand in for one).
 */
type Auth = 'none' | 'public-client' | 'token';

/**
 * What Beeper's own CLI sends on start, email, response and register (beeper/cli, `setupLoginClient`), so a
 * server that wants a bearer on every route accepts us too. A public value, not a secret.
 */
const PUBLIC_CLIENT_AUTHORIZATION = 'Bearer setup-login-public-client';

interface Request<T> {
  method: 'GET' | 'POST';
  /** Path template used in messages and logs, e.g. "/v1/app/setup/verifications/{id}". */
  template: string;
  /** Real path relative to the base URL, ids already encoded. */
  path: string;
  body?: unknown;
  auth: Auth;
  /** Absent for calls that return nothing. */
  shape?: Guard<T>;
  /** Values to scrub from anything the server says back (codes, keys, tokens). */
  secrets?: (string | undefined)[];
  /**
   * Calls whose answer is issued once (the access token, a new key): give the server
   * longer, since giving up after it acted loses what it made.
   */
  once?: boolean;
}

/** How much longer a `once` call may take than an ordinary one. */
const ONCE_TIMEOUT_FACTOR = 2;

export const encodeId = (id: string) => encodeURIComponent(id);

/** A setup route without ids: its template and its path, e.g. "/email" → "/v1/app/setup/email". */
const setupRoute = (suffix = '') => ({ template: `/${SETUP}${suffix}`, path: `${SETUP}${suffix}` });

/** A route of one verification: the template says {id}, the path carries the id encoded. */
const verificationRoute = (id: string, action = '') => {
  const suffix = action ? `/${action}` : '';
  return { template: `/${SETUP}/verifications/{id}${suffix}`, path: `${SETUP}/verifications/${encodeId(id)}${suffix}` };
};

export class SetupClient {
  readonly baseUrl: string;
  private readonly http: KyInstance;
  private readonly defaultToken: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly retry: RetryPolicy;
  private readonly clearText: boolean;
  private readonly onLog: ((line: string) => void) | undefined;

  constructor(options: SetupClientOptions) {
    this.baseUrl = options.baseUrl;
    this.defaultToken = options.accessToken;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.clearText = isClearTextBeyondLoopback(this.baseUrl) && !options.allowInsecureHttp;
    this.onLog = options.onLog;
    const started = new WeakMap<globalThis.Request, number>();
    const log = this.onLog;
    this.http = ky.create({
      prefixUrl: this.baseUrl,
      fetch: options.fetch ?? nodeFetch,
      timeout: this.timeoutMs,
      hooks: log
        ? {
            beforeRequest: [(request) => void started.set(request, Date.now())],
            afterResponse: [
              (request, _options, response) => {
                const ms = Date.now() - (started.get(request) ?? Date.now());
                log(`${request.method} ${templateOf(request.url, this.baseUrl)} → ${response.status} (${ms} ms)`);
              },
            ],
            beforeRetry: [({ request, retryCount }) => log(`${request.method} ${templateOf(request.url, this.baseUrl)}: retry ${retryCount}`)],
          }
        : {},
    });
  }

  // ── Which app answers ────────────────────────────────────────────────
  info(options?: CallOptions): Promise<AppInfo> {
    return this.call({ method: 'GET', template: '/v1/info', path: 'v1/info', auth: 'none', shape: schemas.appInfo }, options);
  }

  getSession(options?: CallOptions): Promise<Session> {
    // Public before sign-in; send the token whenever we have one.
    return this.call({ method: 'GET', ...setupRoute(), auth: 'token', shape: schemas.session }, options);
  }

  // ── Sign-in and account creation ─────────────────────────────────────
  start(options?: CallOptions): Promise<StartResponse> {
    return this.call({ method: 'POST', ...setupRoute('/start'), auth: 'public-client', shape: schemas.startResponse }, options);
  }

  sendEmail(input: { setupRequestID: string; email: string }, options?: CallOptions): Promise<void> {
    const body = { setupRequestID: input.setupRequestID, email: input.email };
    return this.call({ method: 'POST', ...setupRoute('/email'), body, auth: 'public-client' }, options);
  }

  submitCode(input: { setupRequestID: string; code: string }, options?: CallOptions): Promise<CodeResponse> {
    const body = { setupRequestID: input.setupRequestID, response: input.code };
    return this.call(
      { method: 'POST', ...setupRoute('/response'), body, auth: 'public-client', shape: schemas.codeResponse, secrets: [input.code], once: true },
      options,
    );
  }

  register(input: { setupRequestID: string; leadToken: string; username: string; acceptTerms: true }, options?: CallOptions): Promise<SignInSuccess> {
    const body = { acceptTerms: input.acceptTerms, leadToken: input.leadToken, setupRequestID: input.setupRequestID, username: input.username };
    return this.call(
      { method: 'POST', ...setupRoute('/register'), body, auth: 'public-client', shape: schemas.signInSuccess, secrets: [input.leadToken], once: true },
      options,
    );
  }

  // ── Recovery key ─────────────────────────────────────────────────────
  verifyRecoveryKey(recoveryKey: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      {
        method: 'POST',
        ...setupRoute('/verification/recovery-key'),
        body: { recoveryKey },
        auth: 'token',
        shape: schemas.sessionEnvelope,
        secrets: [recoveryKey],
      },
      options,
    );
  }

  /** `existingRecoveryKey` is optional in the contract: absent (not empty) when the user has none. */
  resetRecoveryKey(existingRecoveryKey: string | undefined, options?: CallOptions): Promise<ResetRecoveryKeyResponse> {
    return this.call(
      {
        method: 'POST',
        ...setupRoute('/verification/recovery-key/reset'),
        body: existingRecoveryKey ? { existingRecoveryKey } : {},
        auth: 'token',
        shape: schemas.resetRecoveryKeyResponse,
        secrets: [existingRecoveryKey],
        once: true,
      },
      options,
    );
  }

  confirmRecoveryKeyReset(recoveryKey: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      {
        method: 'POST',
        ...setupRoute('/verification/recovery-key/reset/confirm'),
        body: { recoveryKey },
        auth: 'token',
        shape: schemas.sessionEnvelope,
        secrets: [recoveryKey],
      },
      options,
    );
  }

  // ── Device verification ──────────────────────────────────────────────
  listVerifications(options?: CallOptions): Promise<VerificationList> {
    return this.call({ method: 'GET', ...setupRoute('/verifications'), auth: 'token', shape: schemas.verificationList }, options);
  }

  /**
   * Sends only what is given: setting this device up sends `{}` and lets the app
   * decide (as Beeper's own CLI does); `purpose: "device"` is for vouching for
   * another device from an app that is already ready.
   */
  createVerification(input: { purpose?: 'login' | 'device'; userID?: string } = {}, options?: CallOptions): Promise<SessionEnvelope> {
    const body = {
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      ...(input.userID !== undefined ? { userID: input.userID } : {}),
    };
    return this.call({ method: 'POST', ...setupRoute('/verifications'), body, auth: 'token', shape: schemas.sessionEnvelope }, options);
  }

  getVerification(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call({ method: 'GET', ...verificationRoute(id), auth: 'token', shape: schemas.sessionEnvelope }, options);
  }

  acceptVerification(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'accept', undefined, options);
  }

  /** `code` and `reason` are optional in the contract; only what is given is sent. */
  cancelVerification(id: string, input: { code?: string; reason?: string } = {}, options?: CallOptions): Promise<SessionEnvelope> {
    const body = {
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    };
    return this.verificationAction(id, 'cancel', body, options);
  }

  startSas(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'sas/start', undefined, options);
  }

  confirmSas(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'sas/confirm', undefined, options);
  }

  scanQr(data: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      { method: 'POST', ...setupRoute('/verifications/qr/scan'), body: { data }, auth: 'token', shape: schemas.sessionEnvelope, secrets: [data] },
      options,
    );
  }

  confirmQrScanned(id: string, options?: CallOptions): Promise<SessionEnvelope> {
    return this.verificationAction(id, 'qr/confirm-scanned', undefined, options);
  }

  // ── Plumbing ─────────────────────────────────────────────────────────
  private verificationAction(id: string, action: string, body: unknown, options?: CallOptions): Promise<SessionEnvelope> {
    return this.call(
      {
        method: 'POST',
        ...verificationRoute(id, action),
        // Bodyless in the contract: nothing is sent (no body, no Content-Type), as Beeper's CLI does.
        ...(body !== undefined ? { body } : {}),
        auth: 'token',
        shape: schemas.sessionEnvelope,
      },
      options,
    );
  }

  private retryOptions(method: Request<unknown>['method'], limit: number): KyOptions['retry'] {
    const { baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.retry;
    return {
      limit,
      methods: ['get', 'post'],
      statusCodes: [429, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: maxRetryAfterMs,
      backoffLimit: maxDelayMs,
      delay: (attempt) => baseDelayMs * 2 ** (attempt - 1),
      // A POST is repeated only when the server said it did nothing with it (429); `undefined` lets
      // ky's own rules run, which honour Retry-After (a `true` here would skip them).
      shouldRetry: ({ error }) => (method === 'GET' || (error instanceof HTTPError && error.response.status === 429) ? undefined : false),
    };
  }

  private async call<T>(request: Request<T>, options: CallOptions = {}): Promise<T> {
    const call = `${request.method} ${request.template}`;
    const token = options.accessToken ?? this.defaultToken;
    const secrets = [...(request.secrets ?? []), token];
    const carriesSecret = (request.auth === 'token' && !!token) || (request.secrets ?? []).some(Boolean);
    if (this.clearText && carriesSecret) throw new InsecureTransportError(call);
    const authorization = { none: undefined, 'public-client': PUBLIC_CLIENT_AUTHORIZATION, token: token && `Bearer ${token}` }[request.auth];
    let response: Response;
    try {
      response = await this.http(request.path, {
        method: request.method,
        headers: authorization ? { authorization } : {},
        ...(request.body !== undefined ? { json: request.body } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        retry: this.retryOptions(request.method, options.retries ?? this.retry.limit),
        timeout: this.timeoutMs * (request.once ? ONCE_TIMEOUT_FACTOR : 1),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (error instanceof HTTPError) throw await this.toHttpError(call, error.response, secrets, options.signal);
      // Something answered, but not in HTTP that Node's parser accepts (controls in the status line, a broken header).
      if (isMalformedHttp(error)) throw new InvalidResponseError(call, 'response', 'is not well-formed HTTP');
      throw new UnreachableError(call, this.baseUrl, classifyNetworkError(error));
    }
    const text = await this.readBody(call, response, this.maxBodyBytes, options.signal);
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

  /**
   * The body as text, within `maxBytes` and a deadline of `timeoutMs` from now:
   * headers that arrive promptly followed by a body that never ends must not hang a run.
   */
  private async readBody(call: string, response: Response, maxBytes: number, signal?: AbortSignal): Promise<string> {
    const stream = response.body;
    if (!stream) return '';
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      void stream.cancel().catch(() => {});
      throw new InvalidResponseError(call, 'body', `is ${declared} bytes, more than the ${formatBytes(maxBytes)} an answer may be`);
    }
    const reader = stream.getReader();
    let stalled = false;
    const stop = () => void reader.cancel().catch(() => {});
    const timer = setTimeout(() => {
      stalled = true;
      stop();
    }, this.timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (error) {
          if (signal?.aborted) throw signal.reason ?? error;
          // The headers came: whatever broke the body (a reset, a closed socket) broke an answer under way.
          throw new UnreachableError(call, this.baseUrl, stalled ? 'stalled' : 'dropped');
        }
        if (signal?.aborted) throw signal.reason;
        if (stalled) throw new UnreachableError(call, this.baseUrl, 'stalled');
        if (next.done) break;
        size += next.value.byteLength;
        if (size > maxBytes) {
          stop();
          throw new InvalidResponseError(call, 'body', `is larger than the ${formatBytes(maxBytes)} an answer may be`);
        }
        chunks.push(next.value);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async toHttpError(call: string, response: Response, secrets: (string | undefined)[], signal?: AbortSignal): Promise<HttpError> {
    // The reason phrase is the server's too: cleaned like its message, and the standard one when nothing is left.
    const fallback = cleanLine(response.statusText, 120) || STATUS_CODES[response.status] || 'Unknown status';
    let code: string | undefined;
    let message = fallback;
    let details: HttpError['details'];
    try {
      const body: unknown = JSON.parse(await this.readBody(call, response, MAX_ERROR_BODY_BYTES, signal));
      if (body && typeof body === 'object') {
        const record = body as Record<string, unknown>;
        if (typeof record.code === 'string') code = cleanLine(record.code, 64);
        if (typeof record.message === 'string' && cleanLine(record.message)) message = cleanLine(record.message, 500);
        details = pickDetails(record.details);
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      // HTML from a proxy, an empty body, a crash, a body too large or too slow: the status text is all we can say.
    }
    return new HttpError(call, response.status, code, scrub(redact(message, secrets)), details);
  }
}

/** "POST https://host/v1/app/setup/verifications/abc/accept" → the path with ids as {id}. */
function templateOf(url: string, baseUrl: string): string {
  const path = url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url;
  return path.replace(/(\/verifications\/)(?!qr\/scan)[^/?]+/, '$1{id}').replace(/\?.*$/, '');
}

const formatBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} kB`);

function pickDetails(raw: unknown): HttpError['details'] {
  if (!raw || typeof raw !== 'object') return undefined;
  const record = raw as Record<string, unknown>;
  const details: NonNullable<HttpError['details']> = {};
  if (typeof record.attemptsLeft === 'number' && Number.isFinite(record.attemptsLeft)) details.attemptsLeft = record.attemptsLeft;
  if (Array.isArray(record.issues)) {
    details.issues = record.issues
      .filter((issue): issue is Record<string, unknown> => !!issue && typeof issue === 'object')
      .slice(0, 20)
      .map((issue) => {
        const out: ServerIssue = {};
        if (typeof issue.code === 'string') out.code = cleanLine(issue.code, 64);
        if (typeof issue.message === 'string') out.message = scrub(cleanLine(issue.message));
        if (Array.isArray(issue.path)) {
          out.path = issue.path
            .filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')
            .map((p) => (typeof p === 'string' ? cleanLine(p, 64) : p));
        }
        return out;
      });
  }
  return details;
}

/** llhttp's parse errors (HPE_INVALID_STATUS, HPE_INVALID_HEADER_TOKEN …), as node:http reports them. */
function isMalformedHttp(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' && code.startsWith('HPE_');
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
