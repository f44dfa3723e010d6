/**
 * The transport under ky: a `fetch` made of node:http and node:https. ky keeps doing
 * everything it does (timeouts, retries, hooks, HTTPError); only the bytes travel
 * another way. Node's own fetch carries its HTTP client (undici, with llhttp as
 * WebAssembly): on Node 20 that is about 30 MB of resident memory and a first
 * request twice as slow, for a few small JSON calls on loopback.
 *
 * It does what these calls need and no more: one request, the response as a stream,
 * the signal honoured throughout. It does not follow redirects (Beeper's API sends
 * none, and a token must not travel to wherever one points) and asks for no
 * compression. Failures look like fetch's: a TypeError "fetch failed" whose `cause`
 * is the system error (ECONNREFUSED, ECONNRESET …), or the signal's reason.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** Statuses whose responses have no body, as the Fetch standard says. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export async function nodeFetch(input: Request | URL | string, init?: RequestInit): Promise<Response> {
  // ky passes its Request, with the options a Request does not know (none that apply here).
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch failed: ${url.protocol} is not http: or https:`);
  const { signal } = request;
  signal.throwIfAborted();
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  signal.throwIfAborted();

  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers['content-length'] = String(body.length);

  // TLS costs a few milliseconds to load: only an https:// address pays for it.
  const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers, signal });
    outgoing.on('response', (incoming: IncomingMessage) => {
      const status = incoming.statusCode ?? 0;
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
        try {
          responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
        } catch {
          // A header value fetch would refuse (a control character): dropped, as a browser would.
        }
      }
      const hasBody = !NULL_BODY.has(status) && request.method !== 'HEAD';
      if (!hasBody) incoming.resume();
      const stream = hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null;
      try {
        // Response refuses a reason phrase with controls; the client cleans what is left for display anyway.
        const statusText = (incoming.statusMessage ?? '').replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
        resolve(new Response(stream, { status, statusText, headers: responseHeaders }));
      } catch (error) {
        // A status fetch cannot represent (below 200 or above 599): a protocol failure.
        incoming.destroy();
        reject(new TypeError('fetch failed', { cause: error }));
      }
    });
    outgoing.on('error', (error) => {
      reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    });
    outgoing.end(body);
  });
}
