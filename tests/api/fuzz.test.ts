/**
 * Fuzzing every response guard, and the client around them.
 *
 * What must hold, whatever a server sends:
 *   - a guard returns a value or throws ShapeError — no other error, no hang;
 *   - the client resolves with a typed value or rejects with InvalidResponseError
 *     (2xx) / HttpError (non-2xx) —
 *     nothing else;
 *   - every display string it hands out (`text` / `paragraph` fields, the
 *     server's error message) is free of escapes, controls and bidi overrides,
 *     and bounded; every exact field (ids, tokens, QR payload) is byte-for-byte
 *     what the server sent. The field list is tests/api/fuzz/fields.ts.
 *
 * Run counts: 1,000 cases per response type at the guard level, twice (shaped
 * samples and arbitrary JSON). Through HTTP a case costs a real request, so
 * those properties run 200 cases per response type; the guard-level runs are
 * where the volume is. Seeds are fixed (derived from each property's name), so
 * a failure replays identically; fast-check prints the seed and counterexample.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SetupClient } from '../../src/api/client.js';
import { HttpError, InvalidResponseError } from '../../src/api/errors.js';
import * as schemas from '../../src/api/schemas.js';
import { cleanLine, hasControls } from '../../src/shared/terminalText.js';
import { ShapeError, type Guard } from '../../src/api/validate.js';
import {
  ALL_TABLES,
  APP_INFO,
  CODE_RESPONSE,
  displayProblems,
  outputProblems,
  RESET_RECOVERY_KEY_RESPONSE,
  SESSION,
  SESSION_ENVELOPE,
  show,
  SIGN_IN_SUCCESS,
  START_RESPONSE,
  VERIFICATION,
  VERIFICATION_LIST,
  type FieldTable,
} from './fuzz/fields.js';
import { arbitraryJson, errorBody, shaped, type Responses } from './fuzz/responses.js';
import { startFuzzServer, wireReason, type FuzzServer } from './fuzz/server.js';
import { hostileString } from './fuzz/strings.js';

const GUARD_RUNS = 1000;
/** Each HTTP case is a real request on loopback (1–2 ms with its checks); 200 per type keeps the file fast. */
const HTTP_RUNS = 200;
/** A guard call that takes this long on a few kB of input is a runaway regex or loop, not a slow machine. */
const GUARD_BUDGET_MS = 1000;

/** A fixed seed per property, from its name: stable when properties are added or reordered. */
function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash | 0;
}

/**
 * fc.assert parameters: the fixed seed, the run count, and a reporter that
 * escapes what fast-check's JSON leaves raw (C1, bidi, line separators, lone
 * surrogates), so a failing counterexample cannot act on the terminal showing it.
 * Silent on success.
 */
function runs<T>(name: string, numRuns: number): fc.Parameters<T> {
  return {
    seed: seedOf(name),
    numRuns,
    reporter: (details) => {
      if (!details.failed) return;
      const report = (fc.defaultReportMessage(details) ?? 'property failed').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
      throw new Error(report, { cause: details.errorInstance });
    },
  };
}

type Call = (client: SetupClient) => Promise<unknown>;

interface Case {
  name: string;
  guard: Guard<unknown>;
  pick: (r: Responses) => fc.Arbitrary<Record<string, unknown>>;
  table: FieldTable;
  /** Client methods answered by this shape; empty when no endpoint returns it on its own. */
  calls: Call[];
}

const envelopeCalls: Call[] = [
  (c) => c.getVerification('$tx/1:beeper.com'),
  (c) => c.verifyRecoveryKey('EsTc 1234 abcd'),
  (c) => c.confirmRecoveryKeyReset('EsTc 1234 abcd'),
  (c) => c.createVerification(),
  (c) => c.acceptVerification('v1'),
  (c) => c.cancelVerification('v1', { code: 'm.user', reason: 'no' }),
  (c) => c.startSas('v1'),
  (c) => c.confirmSas('v1'),
  (c) => c.scanQr('qr-payload'),
  (c) => c.confirmQrScanned('v1'),
];

const CASES: Case[] = [
  { name: 'session', guard: schemas.session, pick: (r) => r.session, table: SESSION, calls: [(c) => c.getSession()] },
  { name: 'sessionEnvelope', guard: schemas.sessionEnvelope, pick: (r) => r.sessionEnvelope, table: SESSION_ENVELOPE, calls: envelopeCalls },
  // No endpoint answers a bare verification: over HTTP it is fuzzed inside sessionEnvelope and verificationList.
  { name: 'verification', guard: schemas.verification, pick: (r) => r.verification, table: VERIFICATION, calls: [] },
  { name: 'verificationList', guard: schemas.verificationList, pick: (r) => r.verificationList, table: VERIFICATION_LIST, calls: [(c) => c.listVerifications()] },
  { name: 'startResponse', guard: schemas.startResponse, pick: (r) => r.startResponse, table: START_RESPONSE, calls: [(c) => c.start()] },
  {
    name: 'codeResponse (signed in)',
    guard: schemas.codeResponse,
    pick: (r) => r.codeResponseSuccess,
    table: CODE_RESPONSE,
    calls: [(c) => c.submitCode({ setupRequestID: 'req-1', code: '667133' })],
  },
  {
    name: 'codeResponse (registration required)',
    guard: schemas.codeResponse,
    pick: (r) => r.codeResponseRegistration,
    table: CODE_RESPONSE,
    calls: [(c) => c.submitCode({ setupRequestID: 'req-1', code: '667133' })],
  },
  {
    name: 'signInSuccess',
    guard: schemas.signInSuccess,
    pick: (r) => r.signInSuccess,
    table: SIGN_IN_SUCCESS,
    calls: [(c) => c.register({ setupRequestID: 'req-1', leadToken: 'lead-1', username: 'alice', acceptTerms: true })],
  },
  {
    name: 'resetRecoveryKeyResponse',
    guard: schemas.resetRecoveryKeyResponse,
    pick: (r) => r.resetRecoveryKeyResponse,
    table: RESET_RECOVERY_KEY_RESPONSE,
    calls: [(c) => c.resetRecoveryKey(undefined), (c) => c.resetRecoveryKey('EsTc 1234 abcd')],
  },
  { name: 'appInfo', guard: schemas.appInfo, pick: (r) => r.appInfo, table: APP_INFO, calls: [(c) => c.info()] },
];

/** Runs a guard the way the client does and checks the outcome; throws on any violation. */
function judge(kase: Case, value: unknown, mustAccept: boolean): void {
  let output: unknown;
  let refusal: unknown;
  const started = performance.now();
  try {
    output = kase.guard(value, 'response');
  } catch (error) {
    refusal = error;
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `guard took ${Math.round(elapsed)} ms`).toBeLessThanOrEqual(GUARD_BUDGET_MS);
  if (refusal !== undefined) {
    expect(refusal, `threw ${String(refusal)} instead of a ShapeError`).toBeInstanceOf(ShapeError);
    const error = refusal as ShapeError;
    expect(mustAccept, `rejected a well-formed response: ${error.message}`).toBe(false);
    expect(error.field, 'a ShapeError names a path under "response"').toMatch(/^response/);
    expect(hasControls(error.message), `ShapeError message holds controls: ${show(error.message)}`).toBe(false);
    return;
  }
  expect(outputProblems(output, value, kase.table)).toEqual([]);
}

describe.each(CASES)('guard: $name', (kase) => {
  it(`returns a sanitized value or throws ShapeError for shaped responses with hostile strings (${GUARD_RUNS} runs)`, () => {
    fc.assert(
      fc.property(shaped(kase.pick), ({ mustAccept, value }) => judge(kase, value, mustAccept)),
      runs(`guard shaped ${kase.name}`, GUARD_RUNS),
    );
  });

  it(`returns a sanitized value or throws ShapeError for arbitrary JSON (${GUARD_RUNS} runs)`, () => {
    fc.assert(
      fc.property(arbitraryJson, (value) => judge(kase, value, false)),
      runs(`guard json ${kase.name}`, GUARD_RUNS),
    );
  });
});

describe('the field table', () => {
  /**
   * A tripwire, not a parser: every `name: text|paragraph|string` in schemas.ts
   * (optionally wrapped in optional()/array()) must appear in fields.ts with the
   * matching kind, and the other way round. Adding a field without classifying it
   * here, or changing a field's guard, fails this test.
   */
  it('classifies every string field schemas.ts declares, as schemas.ts declares it', () => {
    const source = readFileSync(new URL('../../src/api/schemas.ts', import.meta.url), 'utf8');
    const kinds: Record<string, string> = { text: 'line', paragraph: 'paragraph', string: 'exact' };
    const declared = new Set<string>();
    for (const match of source.matchAll(/\b(\w+): (?:optional\()?(?:array\()?(text|paragraph|string)\b/g)) {
      declared.add(`${match[1]} → ${kinds[match[2]!]}`);
    }
    const classified = new Set<string>();
    for (const table of ALL_TABLES) {
      for (const [path, kind] of Object.entries(table)) {
        if (kind === 'line' || kind === 'paragraph' || kind === 'exact') classified.add(`${path.split('.').at(-1)!.replace('[]', '')} → ${kind}`);
      }
    }
    expect(declared.size).toBeGreaterThan(20);
    expect([...classified].sort()).toEqual([...declared].sort());
  });
});

describe('through the client (local HTTP server)', () => {
  let server: FuzzServer;
  let client: SetupClient;
  let anonymous: SetupClient;

  beforeAll(async () => {
    server = await startFuzzServer();
    // No retries: each case is exactly one request, and a 5xx is answered at once.
    client = new SetupClient({ baseUrl: server.url, accessToken: 'fuzz-access-token', retry: { limit: 0 }, timeoutMs: 5000 });
    // No token: nothing for `redact` to replace, so error messages can be compared exactly.
    anonymous = new SetupClient({ baseUrl: server.url, retry: { limit: 0 }, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await server?.close();
  });

  /** The client's view of the bytes: it decodes UTF-8 the same way. */
  const decoded = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)).toString('utf8');

  describe.each(CASES.filter((kase) => kase.calls.length > 0))('$name', (kase) => {
    const bodies = fc.oneof(
      { weight: 6, arbitrary: shaped(kase.pick).map(({ mustAccept, value }) => ({ mustAccept, body: JSON.stringify(value) as string | Uint8Array })) },
      { weight: 2, arbitrary: arbitraryJson.map((value) => ({ mustAccept: false, body: JSON.stringify(value) as string | Uint8Array })) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          hostileString,
          fc.uint8Array({ maxLength: 200 }),
          fc.constant(''),
          // A good answer cut short.
          fc.tuple(shaped(kase.pick), fc.nat()).map(([{ value }, cut]) => {
            const json = JSON.stringify(value);
            return json.slice(0, cut % json.length);
          }),
        ).map((body) => ({ mustAccept: false, body })),
      },
    );

    it(`a 200 answer gives a typed value or InvalidResponseError (${HTTP_RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(bodies, fc.nat(), async ({ mustAccept, body }, which) => {
          const call = kase.calls[which % kase.calls.length]!;
          const text = decoded(body);
          // What the guard alone makes of the same bytes.
          let parsed: unknown;
          let expected: { ok: true; value: unknown } | { ok: false; field: string };
          try {
            parsed = JSON.parse(text);
            try {
              expected = { ok: true, value: kase.guard(parsed, 'response') };
            } catch (error) {
              if (!(error instanceof ShapeError)) throw error;
              expected = { ok: false, field: error.field };
            }
          } catch (error) {
            if (!(error instanceof SyntaxError)) throw error;
            expected = { ok: false, field: 'body' };
          }

          server.answer({ status: 200, body });
          const before = server.requests;
          let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
          try {
            outcome = { ok: true, value: await call(client) };
          } catch (error) {
            outcome = { ok: false, error };
          }
          expect(server.requests - before).toBe(1);

          if (outcome.ok) {
            expect(expected.ok).toBe(true);
            expect(outcome.value).toEqual(expected.ok ? expected.value : undefined);
            const problems = outputProblems(outcome.value, parsed, kase.table);
            if (problems.length > 0) throw new Error(problems.join('\n'));
            return;
          }
          const { error } = outcome;
          if (!(error instanceof InvalidResponseError)) throw new Error(`rejected with ${String(error)}, not an InvalidResponseError`, { cause: error });
          if (mustAccept) throw new Error(`rejected a well-formed response: ${error.message}`);
          expect(expected.ok).toBe(false);
          expect(error.field).toBe(expected.ok ? undefined : expected.field);
          expect(hasControls(error.message)).toBe(false);
        }),
        { ...runs(`http ${kase.name}`, HTTP_RUNS), timeout: 10_000 },
      );
    });
  });

  /** Contract-shaped, arbitrary-JSON, text and binary error bodies under Node's own reason phrases. */
  const errorStatus = fc.integer({ min: 400, max: 599 });
  const errorCalls: Call[] = [(c) => c.getSession(), (c) => c.start(), (c) => c.listVerifications()];

  /** An HttpError's display strings: clean and bounded, whatever the body held. */
  function httpErrorProblems(error: HttpError): string[] {
    const problems = displayProblems(error.serverMessage, false, 500).map((problem) => `serverMessage ${problem}: ${show(error.serverMessage)}`);
    if (error.serverMessage === '') problems.push('serverMessage is empty');
    if (error.code !== undefined) problems.push(...displayProblems(error.code, false, 64).map((problem) => `code ${problem}`));
    for (const issue of error.details?.issues ?? []) {
      if (issue.code !== undefined) problems.push(...displayProblems(issue.code, false, 64).map((problem) => `issue code ${problem}`));
      if (issue.message !== undefined) problems.push(...displayProblems(issue.message, false, 256).map((problem) => `issue message ${problem}`));
      for (const part of issue.path ?? []) {
        if (typeof part === 'string') problems.push(...displayProblems(part, false, 64).map((problem) => `issue path ${problem}`));
      }
    }
    if ((error.details?.issues?.length ?? 0) > 20) problems.push('more than 20 issues kept');
    if (hasControls(error.message)) problems.push('message holds controls');
    return problems;
  }

  it(`a non-2xx answer gives an HttpError with a sanitized, bounded message (${HTTP_RUNS * 2} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(errorStatus, errorBody, fc.nat(), async (status, body, which) => {
        server.answer({ status, body });
        const error = await errorCalls[which % errorCalls.length]!(anonymous).then(
          () => new Error('resolved'),
          (reason: unknown) => reason,
        );
        if (!(error instanceof HttpError)) throw new Error(`rejected with ${String(error)}, not an HttpError`, { cause: error });
        expect(error.status).toBe(status);
        const problems = httpErrorProblems(error);
        if (problems.length > 0) throw new Error(problems.join('\n'));
        // The server's message when it has a printable one, else the status text.
        let message: unknown;
        try {
          message = (JSON.parse(decoded(body)) as { message?: unknown } | null)?.message;
        } catch {
          message = undefined;
        }
        const own = typeof message === 'string' ? cleanLine(message, 500) : '';
        expect(error.serverMessage).toBe(own || STATUS_CODES[status] || 'unknown');
      }),
      { ...runs('http error bodies', HTTP_RUNS * 2), timeout: 10_000 },
    );
  });

  /**
   * The reason phrase is the server's too. With no usable `message` in the body
   * the client falls back to it (client.ts, toHttpError). Node's server sends
   * Latin-1 there, so UTF-8 C1 controls and bidi overrides get through; ESC is
   * covered by the raw-socket regression below.
   *
   * FAILS at the time of writing: the fallback is neither sanitized nor bounded.
   */
  it(`a hostile reason phrase does not reach serverMessage (${HTTP_RUNS} runs)`, async () => {
    const unusableBody = fc.constantFrom('', '<html>Bad Gateway</html>', '{"message":"\\u001b[2J"}', '{"code":"E"}', 'null');
    await fc.assert(
      fc.asyncProperty(errorStatus, hostileString, unusableBody, async (status, reason, body) => {
        server.answer({ status, reason: wireReason(reason), body });
        const error = await anonymous.getSession().then(
          () => new Error('resolved'),
          (rejection: unknown) => rejection,
        );
        expect(error, `rejected with ${String(error)}, not an HttpError`).toBeInstanceOf(HttpError);
        expect(httpErrorProblems(error as HttpError)).toEqual([]);
      }),
      { ...runs('http reason phrase', HTTP_RUNS), timeout: 10_000 },
    );
  });
});

/** Hand-written cases for what the fuzzer found; each names the property that found it. */
describe('regressions found by fuzzing', () => {
  /** A one-shot server on a raw socket, for status lines Node's http module refuses to write. */
  async function rawAnswer(statusLine: Buffer, run: (url: string) => Promise<unknown>): Promise<unknown> {
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.end(Buffer.concat([statusLine, Buffer.from('\r\ncontent-type: text/html\r\ncontent-length: 6\r\nconnection: close\r\n\r\n<html>', 'latin1')]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      return await run(`http://127.0.0.1:${port}`).then(
        () => new Error('resolved'),
        (error: unknown) => error,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  const getSession = (url: string) => new SetupClient({ baseUrl: url, retry: { limit: 0 } }).getSession();

  // Found by "a hostile reason phrase does not reach serverMessage", shrunk to status 400 with the reason
  // phrase "\u0080" (UTF-8 C2 80 on the wire) and an empty body: the C1 character came out raw in
  // serverMessage and in the error's message. An 8-bit CSI does the same. FAILS until fixed.
  it('C1 controls in the reason phrase are removed from serverMessage', async () => {
    for (const reason of ['\u0080', 'x\u009b2J']) {
      const error = await rawAnswer(Buffer.from(`HTTP/1.1 400 ${reason}`, 'utf8'), getSession);
      expect(error).toBeInstanceOf(HttpError);
      expect(show((error as HttpError).serverMessage)).not.toMatch(/\\u00[89]/);
      expect(hasControls((error as HttpError).message)).toBe(false);
    }
  });

  // Same hole, 7-bit: an OSC title change, a screen wipe and BEL in the status line (Node's http module
  // will not write these, so the property cannot send them; a raw socket can). Compared escaped, so a
  // failure report cannot retitle the terminal showing it. FAILS until fixed.
  it('ESC sequences in the reason phrase are removed from serverMessage', async () => {
    const error = await rawAnswer(Buffer.from('HTTP/1.1 502 a\u001b]0;PWNED\u0007\u001b[2Jb', 'latin1'), getSession);
    expect(error).toBeInstanceOf(HttpError);
    expect(hasControls((error as HttpError).serverMessage)).toBe(false);
    expect(hasControls((error as HttpError).message)).toBe(false);
  });

  it('an answer that is not HTTP at all is an invalid response, not "could not connect"', async () => {
    const error = await rawAnswer(Buffer.from('HTTP/1.1 abc', 'latin1'), getSession);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).message).toContain('is not well-formed HTTP');
  });

  // Same fallback, length: a 3,000-character reason phrase comes out whole. The property stops at its first
  // (C1) counterexample, so this one is written by hand from reading toHttpError. FAILS until fixed.
  it('a very long reason phrase is bounded in serverMessage', async () => {
    const error = await rawAnswer(Buffer.from(`HTTP/1.1 503 ${'y'.repeat(3000)}`, 'latin1'), getSession);
    expect(error).toBeInstanceOf(HttpError);
    expect([...(error as HttpError).serverMessage].length).toBeLessThanOrEqual(500);
  });

  // Found by the error-body property: fetch (undici) turned any 407 into a network error, so the client said
  // "Could not connect to …" for a server that did answer. The node:http transport hands the status over.
  it('a 407 answer is an HttpError with its status, not "could not connect"', async () => {
    const error = await rawAnswer(Buffer.from('HTTP/1.1 407 Proxy Authentication Required', 'latin1'), getSession);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(407);
  });
});
