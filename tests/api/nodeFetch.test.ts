/**
 * The node:http transport under ky (src/api/nodeFetch.ts) behaves like fetch where the client
 * relies on it: bodies and headers both ways, statuses as they are, the signal at every stage,
 * failures as TypeError with the system error as `cause`, and no redirect followed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/api/nodeFetch.js';

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      switch (request.url) {
        case '/json':
          return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        case '/empty':
          return void response.writeHead(204).end();
        case '/redirect':
          return void response.writeHead(302, { location: '/json' }).end();
        case '/teapot':
          return void response.writeHead(418, 'I am a teapot').end('no');
        case '/slow':
          response.writeHead(200);
          response.write('part');
          return; // never ends
        default:
          return void response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('nodeFetch', () => {
  it('sends method, headers and body; returns status, headers and body', async () => {
    const response = await nodeFetch(new Request(`${base}/json`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"a":1}' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/json', body: '{"a":1}' });
    expect(request.headers).toMatchObject({ authorization: 'Bearer t', 'content-type': 'application/json', 'content-length': '7' });
  });

  it('a bodyless POST sends no body and no content type', async () => {
    await nodeFetch(new Request(`${base}/json`, { method: 'POST' }));
    const request = seen.at(-1)!;
    expect(request.body).toBe('');
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('statuses come as they are: 204 without a body, 418 with its reason, a redirect not followed', async () => {
    const empty = await nodeFetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const teapot = await nodeFetch(`${base}/teapot`);
    expect([teapot.status, teapot.statusText, await teapot.text()]).toEqual([418, 'I am a teapot', 'no']);
    const before = seen.length;
    const redirect = await nodeFetch(`${base}/redirect`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/json');
    expect(seen.length).toBe(before + 1);
  });

  it('an aborted signal rejects with its reason: before sending, and while the body is read', async () => {
    const early = new AbortController();
    early.abort(new Error('gone before'));
    await expect(nodeFetch(new Request(`${base}/json`, { signal: early.signal }))).rejects.toThrow('gone before');

    const late = new AbortController();
    const response = await nodeFetch(new Request(`${base}/slow`, { signal: late.signal }));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('part');
    late.abort(new Error('gone while reading'));
    await expect(reader.read()).rejects.toBeDefined();
  });

  it('a refused connection is TypeError "fetch failed" with the system error as cause, like fetch', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await nodeFetch(`http://127.0.0.1:${port}/`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('refuses anything but http: and https:', async () => {
    await expect(nodeFetch('file:///etc/passwd')).rejects.toThrow(TypeError);
  });
});
