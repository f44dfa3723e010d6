/**
 * A local server that answers every request with whatever the current fuzz
 * case says: status, optional reason phrase, body bytes. One server for the
 * whole file; cases run one after another, so a single "next answer" suffices.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  /** The reason phrase; Node's own text for the status when absent. Latin-1 characters, as on the wire. */
  reason?: string;
  body: string | Uint8Array;
  contentType?: string;
}

export interface FuzzServer {
  url: string;
  answer(next: Answer): void;
  /** Requests served so far (each fuzz case must cause exactly one). */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startFuzzServer(): Promise<FuzzServer> {
  let next: Answer = { status: 500, body: '' };
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const headers = { 'content-type': next.contentType ?? 'application/json' };
      if (next.reason === undefined) res.writeHead(next.status, headers);
      else res.writeHead(next.status, next.reason, headers);
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (answer) => void (next = answer),
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A reason phrase Node will put on the wire for `text`: its UTF-8 bytes as
 * Latin-1 characters, minus the bytes Node refuses there (C0 but tab, DEL).
 * C1 controls (U+0080–U+009F, UTF-8 C2 80–C2 9F) and bidi overrides pass.
 */
export function wireReason(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}
