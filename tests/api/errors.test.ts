/** Every error class of the client, and the bad inputs, against the real simulator over HTTP. */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SetupClient } from '../../src/api/client.js';
import { HttpError, InvalidResponseError, UnreachableError } from '../../src/api/errors.js';
import { encodeRecoveryKey } from '../../src/shared/recoveryKey.js';
import { toProblem } from '../../machines/problems.js';
import { explainProblem } from '../../src/wording/problems.js';
import { signIn, startHarness, waitForState, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sim.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HTTP errors carry status and the server message', () => {
  it('five wrong codes: 401 with attempts left, then 410 for the dead request', async () => {
    const client = h.client();
    const { setupRequestID } = await client.start();
    await client.sendEmail({ setupRequestID, email: 'alice@example.com' });
    const right = h.sim.control.latestCode('alice@example.com')!;
    const wrong = right === '000000' ? '111111' : '000000';
    const errors: HttpError[] = [];
    for (let i = 0; i < 5; i++) errors.push((await rejection(client.submitCode({ setupRequestID, code: wrong }))) as HttpError);
    expect(errors.slice(0, 4).map((e) => e.status)).toEqual([401, 401, 401, 401]);
    expect(errors[0]!.details?.attemptsLeft).toBe(4);
    expect(errors[0]!.serverMessage).toMatch(/4 attempts left/);
    expect(errors[4]!.status).toBe(410);
    const after = (await rejection(client.submitCode({ setupRequestID, code: right }))) as HttpError;
    expect(after).toBeInstanceOf(HttpError);
    expect(after.status).toBe(410);
    expect(after.call).toBe('POST /v1/app/setup/response');
  });

  it('bad username 400, taken username 409, terms not accepted 400', async () => {
    const client = h.client();
    const { setupRequestID } = await client.start();
    await client.sendEmail({ setupRequestID, email: 'new@example.com' });
    const reg = await client.submitCode({ setupRequestID, code: h.sim.control.latestCode('new@example.com')! });
    if (reg.kind !== 'registration-required') throw new Error('expected registration');
    const base = { setupRequestID: reg.setupRequestID, leadToken: reg.leadToken, acceptTerms: true as const };
    const bad = (await rejection(client.register({ ...base, username: 'No Spaces!' }))) as HttpError;
    expect([bad.status, bad.code]).toEqual([400, 'INVALID_USERNAME']);
    const taken = (await rejection(client.register({ ...base, username: 'alice' }))) as HttpError;
    expect([taken.status, taken.code]).toEqual([409, 'USERNAME_TAKEN']);
    expect(taken.serverMessage).toMatch(/taken/i);
    const terms = (await rejection(client.register({ ...base, acceptTerms: false as unknown as true, username: 'fresh.name' }))) as HttpError;
    expect([terms.status, terms.code]).toEqual([400, 'TERMS_NOT_ACCEPTED']);
  });

  it('a wrong recovery key is 400 WRONG_RECOVERY_KEY; a missing token is 401', async () => {
    const { client, token } = await signIn(h);
    await waitForState(h, 'needs-verification');
    const someoneElses = encodeRecoveryKey(new Uint8Array(32).fill(7));
    const wrong = (await rejection(client.verifyRecoveryKey(someoneElses, { accessToken: token }))) as HttpError;
    expect([wrong.status, wrong.code]).toEqual([400, 'WRONG_RECOVERY_KEY']);
    const anonymous = (await rejection(client.verifyRecoveryKey(someoneElses))) as HttpError;
    expect(anonymous.status).toBe(401);
    expect(anonymous.code).toBe('UNAUTHORIZED');
  });

  it('encodes verification ids; the same id unencoded does not route', async () => {
    const { client, token } = await signIn(h);
    await waitForState(h, 'needs-verification');
    const id = (await client.createVerification({}, { accessToken: token })).verification!.id;
    expect(id).toContain('/');
    await expect(client.getVerification(id, { accessToken: token })).resolves.toMatchObject({ verification: { id } });
    const raw = await fetch(`${h.sim.url}/v1/app/setup/verifications/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(raw.status).toBe(404);
  });

  it('an HTML error page becomes the status text, not markup', async () => {
    h.sim.control.setFaults({ htmlError: 1 });
    const error = (await rejection(h.client().start())) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    expect(error.serverMessage).toBe('Bad Gateway');
    expect(error.message).not.toContain('<');
  });
});

describe('invalid responses', () => {
  it('truncated JSON on a 200 names the call and the body', async () => {
    h.sim.control.setFaults({ malformedBody: 1 });
    const error = (await rejection(h.client().start())) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.call).toBe('POST /v1/app/setup/start');
    expect(error.field).toBe('body');
  });
});

describe('unreachable', () => {
  it('a refused connection names the URL and the fix', async () => {
    const port = await closedPort();
    const client = new SetupClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { limit: 0 } });
    const error = (await rejection(client.getSession())) as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.reason).toBe('refused');
    // The error carries the facts; the words are src/wording/unreachable.ts's, for the machine and `status` alike.
    const words = explainProblem(toProblem(error), { baseUrl: 'http://elsewhere:1' });
    expect(toProblem(error).message).toContain(`http://127.0.0.1:${port}`);
    expect(words.message).toContain(`http://127.0.0.1:${port}`);
    expect(words.fix).toMatch(/--base-url/);
  });

  it('a connection reset in the middle of a body is a drop while Beeper was answering, not "could not connect"', async () => {
    // Headers and half a body, then a TCP reset: the app was there and answering.
    const server = createServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"state":"ready","e2ee":');
        setImmediate(() => socket.resetAndDestroy());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const error = (await rejection(new SetupClient({ baseUrl: url, retry: { limit: 0 } }).getSession())) as UnreachableError;
      expect(error).toBeInstanceOf(UnreachableError);
      expect(error.reason).toBe('dropped');
      // One sentence for the machine's Problem, the wizard and `status` (it was worded twice, differently).
      expect(toProblem(error).message).toBe(`Beeper at ${url} was answering when the connection dropped.`);
      expect(toProblem(error).message).not.toMatch(/Could not connect|Start Beeper/);
      expect(explainProblem(toProblem(error), { baseUrl: url }).fix).not.toMatch(/Could not connect|Start Beeper/);
      expect(explainProblem(toProblem(error), { baseUrl: url })).toMatchObject({
        title: 'The connection to Beeper dropped',
        message: `Beeper at ${url} was answering when the connection dropped.`,
      });
    } finally {
      server.close();
    }
  });

  it('a request that outlives the timeout is unreachable: timeout', async () => {
    h.sim.control.setFaults({ latencyMs: 400 });
    const error = (await rejection(h.client({ timeoutMs: 50, retry: { limit: 0 } }).getSession())) as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.reason).toBe('timeout');
  });

  it('an AbortSignal cancels a call in flight', async () => {
    h.sim.control.setFaults({ latencyMs: 400 });
    const controller = new AbortController();
    const pending = h.client().getSession({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = (await rejection(pending)) as Error;
    expect(error.name).toBe('AbortError');
  });
});

describe('retry rules', () => {
  const attempts = (path: string) => h.sim.control.requests().filter((r) => r.path === path);

  it('GET is retried with backoff after dropped connections and 503, and succeeds', async () => {
    h.sim.control.setFaults({ dropConnections: 1 });
    await expect(h.client().getSession()).resolves.toMatchObject({ state: 'needs-login' });
    h.sim.control.setFaults({ failEvery: { n: 1, status: 503 } });
    const error = (await rejection(h.client().getSession())) as HttpError;
    expect(error.status).toBe(503);
    // First attempt + 3 retries for the 503 run, plus 2 for the dropped one.
    const log = attempts('/v1/app/setup');
    expect(log).toHaveLength(6);
    // Backoff 5, 10, 20 ms between the 503 attempts: each gap at least about that long.
    const run = log.slice(2);
    const gaps = run.slice(1).map((entry, i) => entry.at - run[i]!.at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual([5, 10, 20][i]! - 3));
  });

  it('POST is never retried after a network failure or a 5xx', async () => {
    h.sim.control.setFaults({ dropConnections: 1 });
    const dropped = (await rejection(h.client().start())) as UnreachableError;
    expect(dropped).toBeInstanceOf(UnreachableError);
    expect(dropped.reason).toBe('reset');
    h.sim.control.setFaults({ failEvery: { n: 1, status: 503 } });
    expect(((await rejection(h.client().start())) as HttpError).status).toBe(503);
    expect(attempts('/v1/app/setup/start')).toHaveLength(2);
  });

  it('429 waits out Retry-After for every method, POST included', async () => {
    h.sim.control.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    await expect(h.client().start()).resolves.toMatchObject({ signInMethods: ['email'] });
    const [limited, retried] = attempts('/v1/app/setup/start');
    expect(limited!.status).toBe(429);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
    h.sim.control.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 0 } });
    await expect(h.client().getSession()).resolves.toMatchObject({ state: 'needs-login' });
    expect(h.sim.control.requests().filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('a Retry-After longer than the limit is cut to the limit', async () => {
    h.sim.control.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 3600 } });
    const started = Date.now();
    await expect(h.client({ retry: { maxRetryAfterMs: 30 } }).getSession()).resolves.toMatchObject({ state: 'needs-login' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
