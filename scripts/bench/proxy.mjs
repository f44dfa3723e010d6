// A pass-through HTTP proxy in front of the simulator for the waiting row: it sees each
// API request from its first byte to the end of the answer, so it counts requests in
// flight exactly, whatever the simulator's request log offers.
import { createServer, request } from 'node:http';

export async function startCountingProxy(targetUrl) {
  const target = new URL(targetUrl);
  const log = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    const entry = { method: req.method, path: (req.url ?? '/').split('?')[0], startedAt: Date.now(), endedAt: undefined, status: 0 };
    log.push(entry);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      entry.endedAt = Date.now();
    };
    res.once('finish', finish);
    res.once('close', finish);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Starts a window: forgets the log and the maximum so far (requests in flight now still count). */
    startWindow() {
      log.length = 0;
      maxInFlight = inFlight;
    },
    /** Requests that started in the window, and the most that were in flight at once. */
    window() {
      return { requests: log.map((entry) => ({ ...entry })), maxInFlight };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
