/**
 * The client against servers that misbehave on purpose: bodies that drip or
 * never end, bodies too large, hostile text, secrets echoed back in another
 * grouping, and plain HTTP beyond loopback. Each answer is a typed error.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SetupClient } from '../../src/api/client.js';
import { HttpError, InsecureTransportError, InvalidResponseError, UnreachableError } from '../../src/api/errors.js';
import { hasControls } from '../../src/shared/terminalText.js';
import { toProblem } from '../../machines/problems.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers: { close(): void; closeAllConnections(): void }[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

const HOSTILE = 'x\u001b]52;c;aGFja2Vk\u0007\u001b]0;PWNED\u0007\u001b[2J\u009b31m';

describe('answers that never end', () => {
  it('a body dripped one byte at a time fails as stalled within the deadline', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = (await failure(new SetupClient({ baseUrl: url, timeoutMs: 300, retry: { limit: 0 } }).getSession())) as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.reason).toBe('stalled');
    expect(toProblem(error).message).toMatch(/did not finish in time/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('headers that never come fail as a timeout', async () => {
    const url = await serve(() => {});
    const error = (await failure(new SetupClient({ baseUrl: url, timeoutMs: 100, retry: { limit: 0 } }).start())) as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.reason).toBe('timeout');
  });

  it('a body larger than 1 MB is refused while streaming, without holding it', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 50 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('close', () => (sent = Infinity));
      pump();
    });
    const before = process.memoryUsage().rss;
    const error = (await failure(new SetupClient({ baseUrl: url, retry: { limit: 0 } }).getSession())) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.field).toBe('body');
    expect(error.message).toMatch(/larger than the 1 MB/);
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it('a declared Content-Length over the cap is refused before reading', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(700 * 1024 * 1024) });
      res.write('{');
    });
    const error = (await failure(new SetupClient({ baseUrl: url, retry: { limit: 0 } }).getSession())) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.problem).toMatch(/734003200 bytes/);
  });
});

describe('what the server says is cleaned before anyone prints it', () => {
  it('an error message with escape sequences and C1 controls comes out plain', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: `BAD${HOSTILE}`, message: `Nope ${HOSTILE} here` }));
    });
    const error = (await failure(new SetupClient({ baseUrl: url, retry: { limit: 0 } }).start())) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(hasControls(error.serverMessage)).toBe(false);
    expect(hasControls(error.code ?? '')).toBe(false);
    expect(hasControls(error.message)).toBe(false);
    expect(error.serverMessage).toContain('Nope x');
  });

  it('a recovery key echoed back in another grouping is redacted', async () => {
    const key = 'EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d';
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const spaced = key.match(/.{1,2}/g)!.join(' ');
      res.end(JSON.stringify({ code: 'WRONG_RECOVERY_KEY', message: `Key "${spaced}" is wrong; code ${'667133'.split('').join(' ')}` }));
    });
    const error = (await failure(new SetupClient({ baseUrl: url, accessToken: 'syt_token_1234' }).verifyRecoveryKey(key))) as HttpError;
    expect(error.serverMessage).toBe('Key "[redacted]" is wrong; code 6 6 7 1 3 3');
    expect(error.message).not.toMatch(/EsTc|LW2K/);
  });
});

describe('plain HTTP beyond this machine', () => {
  it('refuses to send a token or a secret over http to another host', async () => {
    const client = new SetupClient({ baseUrl: 'http://192.0.2.2:9', accessToken: 'syt_secret_value' });
    await expect(client.getSession()).rejects.toBeInstanceOf(InsecureTransportError);
    await expect(client.submitCode({ setupRequestID: 'r', code: '123456' })).rejects.toBeInstanceOf(InsecureTransportError);
  });

  it('allows it when told to, and always on loopback', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ seen: req.headers.authorization ?? null }));
    });
    const loopback = new SetupClient({ baseUrl: url, accessToken: 'syt_x_1234', retry: { limit: 0 } });
    await expect(loopback.getSession()).rejects.toBeInstanceOf(InvalidResponseError);
    const told = new SetupClient({ baseUrl: 'http://192.0.2.2:9', accessToken: 'syt_x_1234', allowInsecureHttp: true, timeoutMs: 50, retry: { limit: 0 } });
    await expect(told.getSession()).rejects.toBeInstanceOf(UnreachableError);
  });
});

describe('requests carry only what the contract requires', () => {
  it('creating a verification for this device sends an empty body: no purpose', async () => {
    const bodies: string[] = [];
    const url = await serve((_req, res, body) => {
      bodies.push(body);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const client = new SetupClient({ baseUrl: url, accessToken: 'syt_token_1234', retry: { limit: 0 } });
    await failure(client.createVerification());
    await failure(client.createVerification({ userID: '@a:b.c' }));
    await failure(client.cancelVerification('id'));
    await failure(client.resetRecoveryKey(undefined));
    await failure(client.acceptVerification('id'));
    await failure(client.startSas('id'));
    expect(bodies).toEqual(['{}', '{"userID":"@a:b.c"}', '{}', '{}', '', '']);
  });
});

describe('the Authorization header of each call', () => {
  const PUBLIC = 'Bearer setup-login-public-client';

  it("the sign-in calls carry the public client's bearer, as Beeper's own CLI does; the token goes only where it belongs; the log shows no header", async () => {
    const seen: string[] = [];
    const url = await serve((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '(none)'}`);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{}');
    });
    const log: string[] = [];
    const calls = async (client: SetupClient) => {
      await failure(client.info());
      await failure(client.start());
      await failure(client.sendEmail({ setupRequestID: 'r', email: 'a@example.com' }));
      await failure(client.submitCode({ setupRequestID: 'r', code: '123456' }));
      await failure(client.register({ setupRequestID: 'r', leadToken: 'lead', username: 'u', acceptTerms: true }));
      await failure(client.getSession());
      await failure(client.verifyRecoveryKey('key'));
    };
    await calls(new SetupClient({ baseUrl: url, retry: { limit: 0 }, onLog: (line) => log.push(line) }));
    await calls(new SetupClient({ baseUrl: url, accessToken: 'syt_token_1234', retry: { limit: 0 }, onLog: (line) => log.push(line) }));

    const signIn = (authorization: string) => ['start', 'email', 'response', 'register'].map((call) => `POST /v1/app/setup/${call} ${authorization}`);
    expect(seen).toEqual([
      // No token held.
      'GET /v1/info (none)',
      ...signIn(PUBLIC),
      'GET /v1/app/setup (none)',
      'POST /v1/app/setup/verification/recovery-key (none)',
      // A token held: the sign-in calls still carry the public client's bearer, never the token.
      'GET /v1/info (none)',
      ...signIn(PUBLIC),
      'GET /v1/app/setup Bearer syt_token_1234',
      'POST /v1/app/setup/verification/recovery-key Bearer syt_token_1234',
    ]);
    expect(log).toHaveLength(14);
    expect(log.join('\n')).not.toMatch(/bearer|authorization|setup-login-public-client|syt_token/i);
  });
});
