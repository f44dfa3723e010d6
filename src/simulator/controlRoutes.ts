/**
 * The HTTP control API under `/_sim/` (no auth; the server only listens on 127.0.0.1).
 * Same operations as SimulatorControl, for tests in other processes and the demo.
 */
import type { SimulatorControl } from './control.js';
import { SimError } from './errors.js';
import { Fields } from './http.js';
import type { Outcome } from './routes.js';
import { OTHER_DEVICE_ACTIONS, SIMULATOR_PROFILES, type ConfigChange, type SeedAccount } from './types.js';

export interface ControlRequest {
  method: string;
  /** Path after `/_sim/`, e.g. `other-device/qr`. */
  path: string;
  query: URLSearchParams;
  body(): Promise<unknown>;
}

type Handler = (control: SimulatorControl, req: ControlRequest) => Promise<Outcome> | Outcome;

const ok = (body: unknown): Outcome => ({ status: 200, body });

/** A control body: a misspelt field is refused (400), never silently ignored. */
async function read<T>(req: ControlRequest, pick: (fields: Fields) => T): Promise<T> {
  const fields = new Fields(await req.body());
  const value = pick(fields);
  fields.rejectUnknown();
  fields.done();
  return value;
}

/** `sasNumbers`: seven entries of the SAS emoji table (0–63), to make the emojis shown predictable; [] for random again. */
function sasNumbersOf(fields: Fields): number[] | undefined {
  const raw = fields.raw('sasNumbers');
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || (raw.length !== 7 && raw.length !== 0) || !raw.every((n) => Number.isInteger(n) && n >= 0 && n <= 63)) {
    throw new SimError(400, 'VALIDATION_ERROR', 'sasNumbers must be seven integers from 0 to 63 (or [] for random emojis).');
  }
  return raw as number[];
}

const HANDLERS: Record<string, Handler> = {
  'GET outbox': (control) => ok({ messages: control.outbox() }),
  'GET code': (control, req) => {
    const email = req.query.get('email') ?? undefined;
    const code = control.latestCode(email);
    if (code === undefined) throw new SimError(404, 'NOT_FOUND', `No code was sent${email ? ` to ${email}` : ''}.`);
    return ok({ code });
  },
  'GET accounts': (control) => ok({ accounts: control.accounts() }),
  'POST accounts': async (control, req) => {
    const seed = await read(req, (f): SeedAccount => {
      const recoveryKey = f.optionalString('recoveryKey');
      const otherDeviceName = f.optionalString('otherDeviceName');
      const newDeviceName = f.optionalString('newDeviceName');
      const sharesSecrets = f.optionalBoolean('sharesSecrets');
      return {
        email: f.string('email'),
        username: f.string('username'),
        ...(recoveryKey !== undefined ? { recoveryKey } : {}),
        ...(otherDeviceName !== undefined ? { otherDeviceName } : {}),
        ...(newDeviceName !== undefined ? { newDeviceName } : {}),
        ...(sharesSecrets !== undefined ? { sharesSecrets } : {}),
      };
    });
    return ok(control.seedAccount(seed));
  },
  'POST other-device': async (control, req) => {
    const action = await read(req, (f) => f.oneOf('action', OTHER_DEVICE_ACTIONS));
    return ok({ verification: control.otherDevice(action!) });
  },
  'GET other-device/qr': (control) => ok({ data: control.otherDeviceQr() }),
  'GET faults': (control) => ok({ faults: control.faults() }),
  'POST faults': async (control, req) => {
    control.setFaults((await req.body()) as never);
    return ok({ faults: control.faults() });
  },
  'DELETE faults': (control) => {
    control.clearFaults();
    return ok({ faults: control.faults() });
  },
  'GET config': (control) => ok({ config: control.config() }),
  'POST config': async (control, req) => {
    const change = await read(req, (f): ConfigChange => {
      const timingFields = f.optionalObject('timings');
      const timings = timingFields && {
        initializingMs: timingFields.optionalInt('initializingMs', 0),
        firstSyncMs: timingFields.optionalInt('firstSyncMs', 0),
        otherDeviceMs: timingFields.optionalInt('otherDeviceMs', 0),
      };
      timingFields?.rejectUnknown();
      return {
        profile: f.oneOf('profile', SIMULATOR_PROFILES, true),
        legacyBuild: f.optionalBoolean('legacyBuild'),
        autoOtherDevice: f.optionalBoolean('autoOtherDevice'),
        withholdTrust: f.optionalBoolean('withholdTrust'),
        hostileText: f.optionalBoolean('hostileText'),
        sasNumbers: sasNumbersOf(f),
        timings,
      };
    });
    return ok({ config: control.configure(change) });
  },
  'GET requests': (control) => ok({ requests: control.requests(), maxInFlight: control.maxInFlight() }),
  'DELETE requests': (control) => {
    control.clearRequests();
    return ok({ requests: control.requests(), maxInFlight: control.maxInFlight() });
  },
  'POST expire-sign-ins': (control) => ok({ expired: control.expireSignIns() }),
  // The new token stays secret: the client has to sign in again, as after another client did.
  'POST revoke-token': (control) => {
    control.revokeToken();
    return ok({ revoked: true });
  },
  'GET session': (control) => ok(control.session()),
  'POST reset': (control) => {
    control.resetApp();
    return ok({ session: control.session() });
  },
};

export async function handleControl(control: SimulatorControl, req: ControlRequest): Promise<Outcome> {
  const handler = HANDLERS[`${req.method} ${req.path}`];
  if (handler) return handler(control, req);
  const known = Object.keys(HANDLERS).some((key) => key.endsWith(` ${req.path}`));
  if (known) throw new SimError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not supported on /_sim/${req.path}.`);
  throw new SimError(404, 'NOT_FOUND', `No control route /_sim/${req.path}.`);
}
