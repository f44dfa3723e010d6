/**
 * Every field a response guard can return, and what it is, written out by
 * walking src/api/types.ts alongside src/api/schemas.ts:
 *
 *   line       a `text` guard: shown to a person on one line → cleanLine(input), ≤ 256 code points
 *   paragraph  a `paragraph` guard: shown, may span lines    → cleanText(input), ≤ 2000 code points
 *   exact      a `string` guard: sent back or matched (ids, tokens, the QR payload) → the input, unchanged
 *   boolean / number  passed through unchanged
 *   tag        added by the client, not sent by the server (`kind`)
 *
 * A new response field must be added here in the same change that adds it to
 * schemas.ts. Classify it by what the code does with it: anything a person
 * reads is `line` (or `paragraph` if line breaks matter); anything sent back to
 * the server, compared, hashed, turned into a QR code or otherwise used
 * byte-for-byte is `exact` — never sanitize those, never print them unsanitized.
 * The checker fails on any returned field missing from this table, and the
 * tripwire test in fuzz.test.ts compares this table with schemas.ts.
 *
 * Paths: dots between fields, `[]` for "every element of the array".
 */
import { DEFAULT_REGISTRATION_COPY } from '../../../src/api/schemas.js';
import { cleanLine, cleanText, hasControls } from '../../../src/shared/terminalText.js';

export type FieldKind = 'line' | 'paragraph' | 'exact' | 'boolean' | 'number' | 'tag';
export type FieldTable = Readonly<Record<string, FieldKind>>;

const under = (prefix: string, table: FieldTable): FieldTable =>
  Object.fromEntries(Object.entries(table).map(([path, kind]) => [`${prefix}.${path}`, kind]));

const MATRIX_ACCOUNT: FieldTable = { deviceID: 'line', homeserver: 'line', userID: 'line' };

export const VERIFICATION: FieldTable = {
  id: 'exact', // sent back in /verifications/{id}/…
  state: 'line',
  'availableActions[]': 'line',
  direction: 'line',
  'methods[]': 'line',
  purpose: 'line',
  'otherDevice.id': 'line', // shown ("device ABCDEF"), never sent back
  'otherDevice.name': 'line',
  otherUserID: 'line',
  'qr.data': 'exact', // rendered as a QR code: every byte counts
  'sas.emojis': 'line',
  'sas.decimals': 'line',
  'error.code': 'line',
  'error.reason': 'paragraph',
};

const E2EE: FieldTable = {
  initialized: 'boolean',
  crossSigning: 'boolean',
  verified: 'boolean',
  secretStorage: 'boolean',
  keyBackup: 'boolean',
  firstSyncDone: 'boolean',
  hasBackedUpRecoveryKey: 'boolean',
  recoveryKeyGeneratedAt: 'number',
  'secrets.masterKey': 'boolean',
  'secrets.selfSigningKey': 'boolean',
  'secrets.userSigningKey': 'boolean',
  'secrets.megolmBackupKey': 'boolean',
  'secrets.recoveryKey': 'boolean',
};

export const SESSION: FieldTable = {
  state: 'line',
  ...under('matrix', MATRIX_ACCOUNT),
  ...under('verification', VERIFICATION),
  ...under('e2ee', E2EE),
};

export const SIGN_IN_SUCCESS: FieldTable = {
  kind: 'tag',
  'matrix.accessToken': 'exact', // the credential itself
  ...under('matrix', MATRIX_ACCOUNT),
  ...under('session', SESSION),
};

export const REGISTRATION_REQUIRED: FieldTable = {
  kind: 'tag',
  setupRequestID: 'exact',
  leadToken: 'exact',
  'usernameSuggestions[]': 'line',
  'copy.title': 'line',
  'copy.usernamePlaceholder': 'line',
  'copy.terms': 'paragraph',
  'copy.submit': 'line',
};

export const CODE_RESPONSE: FieldTable = { ...SIGN_IN_SUCCESS, ...REGISTRATION_REQUIRED };

export const START_RESPONSE: FieldTable = { setupRequestID: 'exact', 'signInMethods[]': 'line' };

export const SESSION_ENVELOPE: FieldTable = { ...under('session', SESSION), ...under('verification', VERIFICATION) };

export const VERIFICATION_LIST: FieldTable = under('items[]', VERIFICATION);

/** `recoveryKey` is sent back exactly (reset/confirm); the screen that shows it cleans it for display. */
export const RESET_RECOVERY_KEY_RESPONSE: FieldTable = { recoveryKey: 'exact', ...under('session', SESSION) };

/** `endpoints` (types.ts) is not validated by schemas.ts and so never returned. */
export const APP_INFO: FieldTable = {
  'app.name': 'line',
  'app.version': 'line',
  'app.bundle_id': 'line',
  'platform.os': 'line',
  'platform.arch': 'line',
  'platform.release': 'line',
  'server.base_url': 'line',
  'server.hostname': 'line',
  'server.port': 'number',
  'server.remote_access': 'boolean',
  'server.status': 'line',
  'server.mcp_enabled': 'boolean',
};

export const ALL_TABLES: readonly FieldTable[] = [
  SESSION,
  SESSION_ENVELOPE,
  VERIFICATION,
  VERIFICATION_LIST,
  START_RESPONSE,
  CODE_RESPONSE,
  SIGN_IN_SUCCESS,
  RESET_RECOVERY_KEY_RESPONSE,
  APP_INFO,
];

/** Values the client fills in when the server leaves a display field out. */
const DEFAULTS: Readonly<Record<string, string>> = {
  'copy.title': DEFAULT_REGISTRATION_COPY.title,
  'copy.usernamePlaceholder': DEFAULT_REGISTRATION_COPY.usernamePlaceholder,
  'copy.terms': DEFAULT_REGISTRATION_COPY.terms,
  'copy.submit': DEFAULT_REGISTRATION_COPY.submit,
};

const ESCAPES = /[\u001b\u009b\u0007]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const codePoints = (text: string) => [...text].length;

/**
 * Why `text` is not safe to print on a terminal, if it is not. Deliberately
 * independent of how terminalText.ts does its work.
 */
export function displayProblems(text: string, multiline: boolean, maxCodePoints: number): string[] {
  const problems: string[] = [];
  if (hasControls(text)) problems.push('holds a control character');
  if (ESCAPES.test(text)) problems.push('holds ESC, CSI or BEL');
  if (BIDI.test(text)) problems.push('holds a bidi control');
  if (LONE_SURROGATE.test(text)) problems.push('holds a lone surrogate');
  if ((multiline ? /[\r\t\u2028\u2029]/ : /[\n\r\t\u2028\u2029]/).test(text)) problems.push('holds a raw line break or tab');
  if (codePoints(text) > maxCodePoints) problems.push(`is ${codePoints(text)} code points, more than ${maxCodePoints}`);
  return problems;
}

/** JSON with every non-ASCII character escaped: a report must not itself drive the terminal. */
export const show = (value: unknown) => {
  const json = (JSON.stringify(value) ?? String(value)).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return json.length > 160 ? `${json.slice(0, 160)}…` : json;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Walks what a guard returned next to what it was given and lists every
 * violation: a field not in the table, a display string that is not clean (or
 * not exactly the sanitizer's output), an exact field that changed.
 */
export function outputProblems(output: unknown, input: unknown, table: FieldTable): string[] {
  const problems: string[] = [];
  const walk = (out: unknown, inp: unknown, path: string, key: string) => {
    if (Array.isArray(out)) {
      out.forEach((item, index) => walk(item, Array.isArray(inp) ? inp[index] : undefined, `${path}[${index}]`, `${key}[]`));
      return;
    }
    if (isRecord(out)) {
      for (const [name, value] of Object.entries(out)) {
        walk(value, isRecord(inp) ? inp[name] : undefined, path ? `${path}.${name}` : name, key ? `${key}.${name}` : name);
      }
      return;
    }
    const kind = table[key];
    const at = `${path} (${key})`;
    switch (kind) {
      case undefined:
        problems.push(`${at}: returned but not classified in tests/api/fuzz/fields.ts`);
        return;
      case 'line':
      case 'paragraph': {
        if (typeof out !== 'string') {
          problems.push(`${at}: should be a string, is ${show(out)}`);
          return;
        }
        const multiline = kind === 'paragraph';
        for (const problem of displayProblems(out, multiline, multiline ? 2000 : 256)) problems.push(`${at} ${problem}: ${show(out)}`);
        if (typeof inp === 'string') {
          const cleaned = multiline ? cleanText(inp) : cleanLine(inp);
          // A copy text that cleans to nothing keeps the contract's wording.
          const expected = cleaned === '' && DEFAULTS[key] !== undefined ? DEFAULTS[key] : cleaned;
          if (out !== expected) problems.push(`${at}: ${show(out)} is not the ${multiline ? 'cleanText' : 'cleanLine'} of the input ${show(inp)}`);
        } else if (DEFAULTS[key] === undefined || out !== DEFAULTS[key]) {
          problems.push(`${at}: ${show(out)} appeared without a string in the input (${show(inp)})`);
        }
        return;
      }
      case 'exact':
        if (typeof out !== 'string' || out !== inp) problems.push(`${at}: should be exactly the input ${show(inp)}, is ${show(out)}`);
        return;
      case 'boolean':
        if (typeof out !== 'boolean' || out !== inp) problems.push(`${at}: should be the input boolean ${show(inp)}, is ${show(out)}`);
        return;
      case 'number':
        if (typeof out !== 'number' || !Number.isFinite(out) || !Object.is(out, inp)) problems.push(`${at}: should be the input number ${show(inp)}, is ${show(out)}`);
        return;
      case 'tag':
        if (out !== 'signed-in' && out !== 'registration-required') problems.push(`${at}: unexpected tag ${show(out)}`);
        return;
    }
  };
  walk(output, input, '', '');
  return problems;
}
