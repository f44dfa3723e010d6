/**
 * The last step before an API answer goes on the wire: with `hostileText`, every
 * server-supplied display string carries terminal escapes; with the strict profile,
 * every object carries fields the contract never named. Control answers skip this.
 */
import type { SimulatorConfig } from './types.js';

/** OSC 52 clipboard write, OSC 0 title change, clear screen, and a C1 CSI: all must be neutralised. */
export const HOSTILE_TEXT = 'x\u001b]52;c;aGFja2Vk\u0007\u001b]0;PWNED\u0007\u001b[2J\u009b31m';

/**
 * Display strings, as `parent.key` (`*` = any parent). Ids used in paths, tokens, codes
 * and QR data are left alone: poisoning them would test something else.
 */
const DISPLAY_FIELDS = new Set([
  'app.name',
  'app.version',
  'otherDevice.name',
  'otherDevice.id',
  '*.message',
  '*.homeserver',
  '*.userID',
  '*.deviceID',
  '*.otherUserID',
  'copy.title',
  'copy.usernamePlaceholder',
  'copy.terms',
  'copy.submit',
  'error.reason',
]);

/** Strict: what every returned object also carries. */
const EXTRA_FIELDS = { x_simulator: 'strict', x_extensions: { note: 'Unknown fields: clients must ignore them.', level: 1 } };

export function present(body: unknown, config: Pick<SimulatorConfig, 'hostileText' | 'profile'>): unknown {
  if (!config.hostileText && config.profile !== 'strict') return body;
  return walk(body, '', config);
}

function walk(value: unknown, parent: string, config: Pick<SimulatorConfig, 'hostileText' | 'profile'>): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, parent, config));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = config.hostileText ? poison(parent, key, field) : field;
    out[key] = walk(out[key], key, config);
  }
  return config.profile === 'strict' ? { ...out, ...structuredClone(EXTRA_FIELDS) } : out;
}

function poison(parent: string, key: string, field: unknown): unknown {
  if (key === 'usernameSuggestions' && Array.isArray(field)) return field.map((name) => `${String(name)}${HOSTILE_TEXT}`);
  if (typeof field !== 'string') return field;
  // Between the first two emojis, so a client that splits the sequence meets it mid-way.
  if (parent === 'sas' && key === 'emojis') return field.replace(' ', ` ${HOSTILE_TEXT} `);
  return DISPLAY_FIELDS.has(`${parent}.${key}`) || DISPLAY_FIELDS.has(`*.${key}`) ? `${field}${HOSTILE_TEXT}` : field;
}
