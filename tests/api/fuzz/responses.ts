/**
 * Arbitraries for every response shape in src/api/schemas.ts, in two modes:
 *
 * - `clean`: the documented shape. Every string may be hostile, optional fields
 *   may be absent or null, unknown extra fields appear. The contract says all of
 *   these must be ACCEPTED, so a guard that rejects one is a bug.
 * - `dirty`: the same, with wrong types sprinkled in (null / number / array /
 *   object / missing where a field is required, a whole sub-object replaced).
 *   These may be accepted or rejected, but only ever with a ShapeError.
 *
 * Values are plain JSON-able data, so the same samples go over the wire in the
 * HTTP-level properties.
 */
import fc from 'fast-check';
import { SESSION_STATES, VERIFICATION_ACTIONS, VERIFICATION_STATES } from '../../../src/api/types.js';
import { enumish, hostileString, hostileUnit } from './strings.js';

type Arb = fc.Arbitrary<unknown>;
type Obj = Record<string, unknown>;

/** A JSON value whose strings are hostile too (what a broken server sends instead of a field). */
export const hostileJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3, stringUnit: hostileUnit });

/** Something of the wrong type for a field (or the field missing: `undefined` drops the key). */
const wrongType: Arb = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  hostileString,
  fc.array(hostileString, { maxLength: 2 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 2 }),
);

/**
 * Field names from elsewhere in the contract, so extras reuse real names at the wrong level.
 * Not `registrationRequired`: `true` there switches the code response to the other shape.
 */
const contractKeys = fc.constantFrom('id', 'state', 'session', 'matrix', 'verification', 'items', 'kind', 'accessToken', 'copy', 'data', 'error');
const extraFields = fc.dictionary(fc.oneof(hostileString, contractKeys), hostileJson, { maxKeys: 3 });

export interface Responses {
  verification: fc.Arbitrary<Obj>;
  session: fc.Arbitrary<Obj>;
  sessionEnvelope: fc.Arbitrary<Obj>;
  verificationList: fc.Arbitrary<Obj>;
  startResponse: fc.Arbitrary<Obj>;
  signInSuccess: fc.Arbitrary<Obj>;
  codeResponseSuccess: fc.Arbitrary<Obj>;
  codeResponseRegistration: fc.Arbitrary<Obj>;
  resetRecoveryKeyResponse: fc.Arbitrary<Obj>;
  appInfo: fc.Arbitrary<Obj>;
}

export function responses(mode: 'clean' | 'dirty'): Responses {
  /** A field's value; in dirty mode, sometimes of the wrong type. */
  const field = (arb: Arb): Arb => (mode === 'dirty' ? fc.oneof({ weight: 15, arbitrary: arb }, { weight: 1, arbitrary: wrongType }) : arb);

  /**
   * An object: `required` keys always present, `optional` ones absent, null or
   * set; unknown extra fields mixed in (the listed fields win over extras).
   */
  const obj = (required: Record<string, Arb>, optional: Record<string, Arb> = {}): fc.Arbitrary<Obj> => {
    const model: Record<string, Arb> = {};
    for (const [key, arb] of Object.entries(required)) model[key] = field(arb);
    for (const [key, arb] of Object.entries(optional)) model[key] = field(fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(null) }));
    const record = fc.record(model, { requiredKeys: Object.keys(required) }) as fc.Arbitrary<Obj>;
    // An extra must not use one of this object's own names: an absent optional field would turn into it.
    const unknown = (extra: Obj) => Object.fromEntries(Object.entries(extra).filter(([key]) => !Object.hasOwn(model, key)));
    return fc.tuple(record, fc.option(extraFields, { freq: 3 })).map(([known, extra]) => (extra ? { ...unknown(extra), ...known } : known));
  };

  const str = hostileString;
  const list = (arb: Arb) => fc.array(field(arb), { maxLength: 4 });
  const bool = fc.boolean();
  const finite = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  // A number field may be NaN/Infinity only in dirty mode (JSON turns them into null; the guard rejects them raw).
  const num = mode === 'dirty' ? fc.oneof({ weight: 8, arbitrary: finite }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity) }) : finite;

  const matrixAccount = obj({ deviceID: str, homeserver: str, userID: str });
  const matrixCredentials = obj({ accessToken: str, deviceID: str, homeserver: str, userID: str });

  const verification = obj(
    {
      id: str,
      state: enumish(VERIFICATION_STATES),
      availableActions: list(enumish(VERIFICATION_ACTIONS)),
      direction: enumish(['incoming', 'outgoing']),
      methods: list(enumish(['qr', 'sas'])),
      purpose: enumish(['login', 'device']),
    },
    {
      otherDevice: obj({ id: str }, { name: str }),
      otherUserID: str,
      qr: obj({ data: str }),
      sas: obj({ emojis: str }, { decimals: str }),
      error: obj({ code: str, reason: str }),
    },
  );

  const e2ee = obj(
    {
      initialized: bool,
      crossSigning: bool,
      verified: bool,
      secretStorage: bool,
      keyBackup: bool,
      firstSyncDone: bool,
      hasBackedUpRecoveryKey: bool,
      secrets: obj({ masterKey: bool, selfSigningKey: bool, userSigningKey: bool, megolmBackupKey: bool, recoveryKey: bool }),
    },
    { recoveryKeyGeneratedAt: num },
  );

  const session = obj({ state: enumish(SESSION_STATES), e2ee }, { matrix: matrixAccount, verification });

  // The session next to the credentials may be unreadable: that is allowed (it is dropped), even in clean mode.
  const signInSuccess = obj({ matrix: matrixCredentials, session: fc.oneof({ weight: 3, arbitrary: session }, { weight: 1, arbitrary: hostileJson }) });

  // `registrationRequired` anything but `true` means the success shape.
  const codeResponseSuccess = fc
    .tuple(signInSuccess, fc.option(fc.constantFrom<unknown>(false, 'true', 1, null), { freq: 2, nil: undefined }))
    .map(([value, flag]) => (flag === undefined ? value : { ...value, registrationRequired: flag }));

  const codeResponseRegistration = obj(
    { registrationRequired: fc.constant(true), setupRequestID: str, leadToken: str },
    {
      usernameSuggestions: list(str),
      copy: obj({}, { title: str, usernamePlaceholder: str, terms: str, submit: str }),
    },
  );

  return {
    verification,
    session,
    sessionEnvelope: obj({ session }, { verification }),
    verificationList: obj({ items: list(verification) }),
    startResponse: obj({ setupRequestID: str, signInMethods: list(enumish(['email'])) }),
    signInSuccess,
    codeResponseSuccess,
    codeResponseRegistration,
    resetRecoveryKeyResponse: obj({ recoveryKey: str, session }),
    appInfo: obj(
      { app: obj({ name: str, version: str, bundle_id: str }) },
      {
        platform: obj({}, { os: str, arch: str, release: str }),
        server: obj({}, { base_url: str, hostname: str, port: num, remote_access: bool, status: str, mcp_enabled: bool }),
        endpoints: hostileJson,
      },
    ),
  };
}

/** A clean sample (must be accepted) or a dirty one (accepted or ShapeError), tagged. */
export function shaped(pick: (r: Responses) => fc.Arbitrary<Obj>): fc.Arbitrary<{ mustAccept: boolean; value: Obj }> {
  return fc.oneof(
    pick(responses('clean')).map((value) => ({ mustAccept: true, value })),
    pick(responses('dirty')).map((value) => ({ mustAccept: false, value })),
  );
}

/** Keys the guards look for, at any level: arbitrary JSON that uses them gets past the first check more often. */
const ALL_KEYS = [
  'state', 'e2ee', 'matrix', 'verification', 'session', 'items', 'setupRequestID', 'signInMethods', 'registrationRequired',
  'leadToken', 'usernameSuggestions', 'copy', 'recoveryKey', 'app', 'platform', 'server', 'accessToken', 'deviceID',
  'homeserver', 'userID', 'id', 'availableActions', 'direction', 'methods', 'purpose', 'otherDevice', 'qr', 'sas', 'error',
];

/** Completely arbitrary JSON, and arbitrary JSON objects built from the contract's field names. */
export const arbitraryJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4, stringUnit: hostileUnit }),
  fc.dictionary(fc.constantFrom(...ALL_KEYS), fc.jsonValue({ maxDepth: 3, stringUnit: hostileUnit }), { maxKeys: 6 }),
  fc.dictionary(fc.constantFrom(...ALL_KEYS), fc.dictionary(fc.constantFrom(...ALL_KEYS), hostileJson, { maxKeys: 6 }), { maxKeys: 4 }),
);

/** What a failing server may send as an error body: the contract's `{ code, message, details }`, anything else, or not JSON. */
export const errorBody: fc.Arbitrary<string | Uint8Array> = (() => {
  const maybe = (arb: Arb): Arb => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: hostileJson });
  const issue = fc.record(
    { code: maybe(hostileString), message: maybe(hostileString), path: maybe(fc.array(fc.oneof(hostileString, fc.integer(), hostileJson), { maxLength: 4 })) },
    { requiredKeys: [] },
  );
  const details = fc.record(
    { attemptsLeft: maybe(fc.oneof(fc.integer(), fc.double())), issues: maybe(fc.array(maybe(issue), { maxLength: 25 })) },
    { requiredKeys: [] },
  );
  const contractShaped = fc.record({ code: maybe(hostileString), message: maybe(hostileString), details: maybe(details) }, { requiredKeys: [] });
  return fc.oneof(
    { weight: 6, arbitrary: contractShaped.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: arbitraryJson.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '<html><body>502 Bad Gateway</body></html>', '{"message":', 'null') },
  );
})();
