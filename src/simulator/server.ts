/**
 * The HTTP side: one node:http server on 127.0.0.1. API requests go through the
 * fault plan, the request log and the presenter (hostile text, strict extras);
 * `/_sim/` control requests go through none of them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatorControl } from './control.js';
import { handleControl } from './controlRoutes.js';
import { SimError } from './errors.js';
import { injectedFailure, type FaultDecision } from './faults.js';
import { readJsonBody, receiveBody, sendEmpty, sendJson } from './http.js';
import { present } from './present.js';
import { appInfo, handleSetupApi, type Outcome } from './routes.js';
import { Simulation } from './simulation.js';
import type { SimulatorOptions } from './types.js';

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  control: SimulatorControl;
  close(): Promise<void>;
}

const SETUP_PREFIX = '/v1/app/setup';
const HTML_502 =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n';
const TRUNCATED_JSON = '{"session":{"state":"needs-verif';

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulation(options);
  const control = new SimulatorControl(sim);
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug, not an API answer; keep the server alive and say so.
      sim.log(`[simulator] internal error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, present({ code: 'INTERNAL_ERROR', message: 'The simulator hit a bug.' }, sim.config));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);

    if (path.startsWith('/_sim/')) {
      const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
      const body = () => readJsonBody(req);
      const outcome = await answer(() => handleControl(control, { method, path: path.slice(6), query, body }));
      return write(res, outcome);
    }

    const startedAt = sim.now();
    res.once('close', sim.requestStarted());
    // Read up front so the log names the fields even of routes that never look at the body.
    const body = await receiveBody(req);
    const record = (status: number) => sim.recordRequest({ method, path, status, fields: body.fields, startedAt });

    if (sim.faults.latencyMs > 0) await sleep(sim.faults.latencyMs, undefined, { ref: false });
    const fault = sim.faults.next();
    if (fault.kind !== 'none') return injectFault(req, res, record, fault);

    const outcome = await answer(() => route(method, path, req.headers.authorization, body.read));
    record(outcome.status);
    write(res, { ...outcome, body: present(outcome.body, sim.config) });
  }

  function route(method: string, path: string, authorization: string | undefined, body: () => Promise<unknown>): Promise<Outcome> | Outcome {
    if (path === '/v1/info') {
      // Optional in the contract: strict is a build without it.
      if (sim.config.profile === 'strict') throw new SimError(404, 'NOT_FOUND', 'No such route.');
      if (method !== 'GET') throw new SimError(405, 'METHOD_NOT_ALLOWED', 'Use GET for this route.');
      return { status: 200, body: appInfo(port) };
    }
    if (path === SETUP_PREFIX || path.startsWith(`${SETUP_PREFIX}/`)) {
      if (sim.config.legacyBuild) throw new SimError(404, 'NOT_FOUND', 'Not found.');
      const segments = path === SETUP_PREFIX ? [] : path.slice(SETUP_PREFIX.length + 1).split('/');
      return handleSetupApi(sim, { method, segments, authorization, body });
    }
    throw new SimError(404, 'NOT_FOUND', 'No such route.');
  }

  function injectFault(req: IncomingMessage, res: ServerResponse, record: (status: number) => void, fault: FaultDecision): void {
    switch (fault.kind) {
      case 'drop':
        record(0);
        req.socket.destroy();
        return;
      case 'html':
        record(502);
        res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        res.end(HTML_502);
        return;
      case 'malformed':
        record(200);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(TRUNCATED_JSON);
        return;
      case 'rate-limit': {
        record(429);
        const message = `Too many requests. Try again in ${fault.retryAfterSeconds} seconds.`;
        sendJson(res, 429, present({ code: 'RATE_LIMITED', message }, sim.config), { 'retry-after': String(fault.retryAfterSeconds) });
        return;
      }
      case 'fail': {
        record(fault.status);
        const error = injectedFailure(fault.status);
        sendJson(res, error.status, present(error.toBody(), sim.config));
        return;
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        sim.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Runs a handler, turning a SimError into its JSON answer. */
async function answer(run: () => Promise<Outcome> | Outcome): Promise<Outcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SimError) return { status: error.status, body: error.toBody() };
    throw error;
  }
}

function write(res: ServerResponse, outcome: Outcome): void {
  if (outcome.body === undefined) sendEmpty(res, outcome.status);
  else sendJson(res, outcome.status, outcome.body, outcome.headers);
}
