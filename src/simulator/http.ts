/** HTTP plumbing: JSON bodies in and out, and a small body validator. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimError, type Issue, validationError } from './errors.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** The parsed JSON body; `undefined` when empty. Throws 400 INVALID_JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SimError(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SimError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
}

/** The body read once, up front, so the log can name its fields whether or not a route reads it. */
export interface ReceivedBody {
  /** The parsed body, or throws what reading it threw (400 INVALID_JSON, 413). */
  read(): Promise<unknown>;
  /** Sorted top-level field names of a JSON object body; undefined otherwise. */
  fields: string[] | undefined;
}

export async function receiveBody(req: IncomingMessage): Promise<ReceivedBody> {
  try {
    const value = await readJsonBody(req);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return { read: () => Promise.resolve(value), fields: isObject ? Object.keys(value).sort() : undefined };
  } catch (error) {
    return { read: () => Promise.reject(error), fields: undefined };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status = 204): void {
  res.writeHead(status);
  res.end();
}

/**
 * Reads typed fields out of an unknown body, collecting every problem
 * (zod-like issues) before `done()` throws one 400 VALIDATION_ERROR.
 */
export class Fields {
  private readonly input: Record<string, unknown>;
  /** Field names some reader asked for. */
  private readonly known = new Set<string>();

  constructor(
    body: unknown,
    private readonly path: (string | number)[] = [],
    private readonly issues: Issue[] = [],
  ) {
    const value = body ?? {};
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!isObject) this.issue('invalid_type', `Expected an object, received ${describe(value)}`, path);
    this.input = isObject ? (value as Record<string, unknown>) : {};
  }

  string(name: string): string {
    return this.read(name, 'string', false) ?? '';
  }

  optionalString(name: string): string | undefined {
    return this.read(name, 'string', true);
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.read(name, 'boolean', true);
  }

  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    return this.optionalInt(name, min, max, false) ?? 0;
  }

  optionalInt(name: string, min: number, max = Number.MAX_SAFE_INTEGER, optional = true): number | undefined {
    const value = this.read(name, 'number', optional);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.issue('invalid_number', `Expected an integer from ${min} to ${max}`, [...this.path, name]);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(name: string, values: readonly T[], optional = false): T | undefined {
    const value = this.read(name, 'string', optional);
    if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
    this.issue('invalid_enum_value', `Expected one of ${values.map((v) => `"${v}"`).join(', ')}`, [...this.path, name]);
    return undefined;
  }

  /** A nested object sharing this validator's issues; undefined when absent. */
  optionalObject(name: string): Fields | undefined {
    this.known.add(name);
    const value = this.input[name];
    return value === undefined ? undefined : new Fields(value, [...this.path, name], this.issues);
  }

  /** The value as sent, unchecked. */
  raw(name: string): unknown {
    this.known.add(name);
    return this.input[name];
  }

  /** One `unrecognized_keys` issue naming every field no reader asked for (call after reading). */
  rejectUnknown(): this {
    const unknown = Object.keys(this.input).filter((name) => !this.known.has(name));
    if (unknown.length) {
      this.issue('unrecognized_keys', `Unrecognized key(s) in object: ${unknown.map((name) => `'${name}'`).join(', ')}`, this.path);
    }
    return this;
  }

  done(): void {
    if (this.issues.length) throw validationError(this.issues);
  }

  private read<K extends 'string' | 'boolean' | 'number'>(
    name: string,
    type: K,
    optional: boolean,
  ): (K extends 'string' ? string : K extends 'boolean' ? boolean : number) | undefined {
    this.known.add(name);
    const value = this.input[name];
    if (value === undefined) {
      if (!optional) this.issue('invalid_type', 'Required', [...this.path, name]);
      return undefined;
    }
    if (typeof value !== type) {
      this.issue('invalid_type', `Expected ${type}, received ${describe(value)}`, [...this.path, name]);
      return undefined;
    }
    return value as never;
  }

  private issue(code: string, message: string, path: (string | number)[]): void {
    this.issues.push({ code, message, path });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
