/** The app-setup API (`/v1/app/setup…`) and `/v1/info`, as route table over the app model. */
import { arch, platform } from 'node:process';
import type { VerificationAction } from '../api/types.js';
import { APP_NAME, APP_VERSION } from './accounts.js';
import { SimError } from './errors.js';
import { Fields } from './http.js';
import type { Simulation } from './simulation.js';
import { toWire, type VerificationRecord } from './verification.js';

/** What a handler answers: a JSON body (or nothing, 204). */
export interface Outcome {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface RouteContext {
  sim: Simulation;
  /** Decoded `:id` segment, when the route has one. */
  id: string;
  body(): Promise<unknown>;
}

interface Route {
  method: 'GET' | 'POST';
  /** Segments after /v1/app/setup; ':id' matches one URL-encoded segment. */
  path: string;
  /** 'always', 'never', or 'signed-in' (public until the app is signed in). */
  auth: 'always' | 'never' | 'signed-in';
  handle(ctx: RouteContext): Promise<Outcome> | Outcome;
}

const ok = (body: unknown): Outcome => ({ status: 200, body });

const isStrict = (ctx: RouteContext) => ctx.sim.config.profile === 'strict';

/** Reads the body with `read`, then validates it; strict also refuses fields nobody read. */
async function fields<T>(ctx: RouteContext, read: (fields: Fields) => T): Promise<T> {
  const f = new Fields(await ctx.body());
  const value = read(f);
  if (isStrict(ctx)) f.rejectUnknown();
  f.done();
  return value;
}

/** A route without a body: strict takes nothing or `{}`; lenient never looks. */
async function noBody(ctx: RouteContext): Promise<void> {
  if (isStrict(ctx)) await fields(ctx, () => undefined);
}

function envelope(sim: Simulation, record?: VerificationRecord): Outcome {
  return ok({ session: sim.app.session(), ...(record ? { verification: toWire(record, sim.config.profile) } : {}) });
}

/** `POST /verifications/{id}/<action>` for one of our verification actions. */
function action(path: string, name: VerificationAction): Route {
  return {
    method: 'POST',
    path: `verifications/:id/${path}`,
    auth: 'always',
    async handle(ctx) {
      const book = ctx.sim.app.verifications();
      const record = book.get(ctx.id);
      const cancel =
        name === 'cancel' ? await fields(ctx, (f) => ({ code: f.optionalString('code'), reason: f.optionalString('reason') })) : undefined;
      if (name !== 'cancel') await noBody(ctx);
      book.act(record, name, cancel);
      return envelope(ctx.sim, record);
    },
  };
}

const ROUTES: Route[] = [
  { method: 'GET', path: '', auth: 'signed-in', handle: ({ sim }) => ok(sim.app.session()) },
  {
    method: 'POST',
    path: 'start',
    auth: 'never',
    async handle(ctx) {
      await noBody(ctx);
      return ok(ctx.sim.signIn.start());
    },
  },
  {
    method: 'POST',
    path: 'email',
    auth: 'never',
    async handle(ctx) {
      const { setupRequestID, email } = await fields(ctx, (f) => ({ setupRequestID: f.string('setupRequestID'), email: f.string('email') }));
      ctx.sim.signIn.email(setupRequestID, email);
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: 'response',
    auth: 'never',
    async handle(ctx) {
      const input = await fields(ctx, (f) => ({ setupRequestID: f.string('setupRequestID'), response: f.string('response') }));
      return ok(ctx.sim.signIn.response(input.setupRequestID, input.response));
    },
  },
  {
    method: 'POST',
    path: 'register',
    auth: 'never',
    async handle(ctx) {
      const input = await fields(ctx, (f) => ({
        setupRequestID: f.string('setupRequestID'),
        leadToken: f.string('leadToken'),
        username: f.string('username'),
        // Anything but `true` is TERMS_NOT_ACCEPTED, not a validation error.
        acceptTerms: f.raw('acceptTerms'),
      }));
      return ok(ctx.sim.signIn.register(input));
    },
  },
  {
    method: 'POST',
    path: 'verification/recovery-key',
    auth: 'always',
    async handle(ctx) {
      const { recoveryKey } = await fields(ctx, (f) => ({ recoveryKey: f.string('recoveryKey') }));
      ctx.sim.app.useRecoveryKey(recoveryKey);
      return envelope(ctx.sim);
    },
  },
  {
    method: 'POST',
    path: 'verification/recovery-key/reset',
    auth: 'always',
    async handle(ctx) {
      const { existing } = await fields(ctx, (f) => ({ existing: f.optionalString('existingRecoveryKey') }));
      const recoveryKey = ctx.sim.app.resetRecoveryKey(existing);
      return ok({ recoveryKey, session: ctx.sim.app.session() });
    },
  },
  {
    method: 'POST',
    path: 'verification/recovery-key/reset/confirm',
    auth: 'always',
    async handle(ctx) {
      const { recoveryKey } = await fields(ctx, (f) => ({ recoveryKey: f.string('recoveryKey') }));
      ctx.sim.app.confirmRecoveryKey(recoveryKey);
      return envelope(ctx.sim);
    },
  },
  {
    method: 'GET',
    path: 'verifications',
    auth: 'always',
    handle: ({ sim }) => ok({ items: sim.app.verifications().list().map((record) => toWire(record, sim.config.profile)) }),
  },
  {
    method: 'POST',
    path: 'verifications',
    auth: 'always',
    async handle(ctx) {
      const { purpose, userID } = await fields(ctx, (f) => ({
        purpose: f.oneOf('purpose', ['login', 'device'] as const, true),
        userID: f.optionalString('userID'),
      }));
      return envelope(ctx.sim, ctx.sim.app.startVerification(purpose, userID));
    },
  },
  {
    method: 'POST',
    path: 'verifications/qr/scan',
    auth: 'always',
    async handle(ctx) {
      const { data } = await fields(ctx, (f) => ({ data: f.string('data') }));
      return envelope(ctx.sim, ctx.sim.app.verifications().scanTheirQr(data));
    },
  },
  {
    method: 'GET',
    path: 'verifications/:id',
    auth: 'always',
    handle: (ctx) => envelope(ctx.sim, ctx.sim.app.verifications().get(ctx.id)),
  },
  action('accept', 'accept'),
  action('cancel', 'cancel'),
  action('sas/start', 'sas.start'),
  action('sas/confirm', 'sas.confirm'),
  action('qr/confirm-scanned', 'qr.confirmScanned'),
];

/** Matches `segments` against a route path; returns the decoded id ('' when none), or null. */
function match(route: Route, segments: string[]): string | null {
  const parts = route.path === '' ? [] : route.path.split('/');
  if (parts.length !== segments.length) return null;
  let id = '';
  for (const [index, part] of parts.entries()) {
    const segment = segments[index]!;
    if (part !== ':id') {
      if (part !== segment) return null;
      continue;
    }
    try {
      id = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (id === '') return null;
  }
  return id;
}

export interface ApiRequest {
  method: string;
  /** Raw (still URL-encoded) path segments after /v1/app/setup. */
  segments: string[];
  authorization: string | undefined;
  body(): Promise<unknown>;
}

export async function handleSetupApi(sim: Simulation, req: ApiRequest): Promise<Outcome> {
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const id = match(route, req.segments);
    if (id === null) continue;
    if (route.method !== req.method) {
      allowed.push(route.method);
      continue;
    }
    if (route.auth === 'always' || (route.auth === 'signed-in' && sim.app.isSignedIn)) {
      sim.app.authenticate(req.authorization);
    }
    return route.handle({ sim, id, body: req.body });
  }
  if (allowed.length) {
    throw new SimError(405, 'METHOD_NOT_ALLOWED', `Use ${allowed.join(' or ')} for this route.`);
  }
  throw new SimError(404, 'NOT_FOUND', 'No such route.');
}

/** `GET /v1/info`: which app answers (snake_case, like Beeper's). */
export function appInfo(port: number): unknown {
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app: { name: APP_NAME, version: APP_VERSION, bundle_id: 'com.automattic.beeper.server' },
    platform: { os: platform, arch },
    server: { base_url: baseUrl, hostname: '127.0.0.1', port, remote_access: false, status: 'running', mcp_enabled: false },
    endpoints: {},
  };
}
