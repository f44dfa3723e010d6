/**
 * A few dozen lines of runtime guards instead of a schema library: the API is
 * small, the bundle stays small, and the one behaviour we need that libraries
 * make awkward — carry unknown enum values through as strings, ignore unknown
 * fields — is the default here. A failed check throws with the field's path.
 */
import { cleanLine, cleanText } from '../shared/terminalText.js';

export class ShapeError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export type Guard<T> = (value: unknown, path: string) => T;

const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

export const string: Guard<string> = (value, path) => {
  if (typeof value !== 'string') throw new ShapeError(path, `should be a string, got ${describe(value)}`);
  return value;
};

/**
 * A string the UI shows: escape sequences and controls removed, length bounded
 * (src/shared/terminalText.ts). Ids, tokens and payloads use `string` and stay exact.
 */
export const text: Guard<string> = (value, path) => cleanLine(string(value, path));

/** Like `text`, keeping line breaks (terms copy). */
export const paragraph: Guard<string> = (value, path) => cleanText(string(value, path));

export const boolean: Guard<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ShapeError(path, `should be a boolean, got ${describe(value)}`);
  return value;
};

export const number: Guard<number> = (value, path) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(path, `should be a number, got ${describe(value)}`);
  return value;
};

export function literal<T extends string | boolean>(expected: T): Guard<T> {
  return (value, path) => {
    if (value !== expected) throw new ShapeError(path, `should be ${JSON.stringify(expected)}`);
    return expected;
  };
}

export function array<T>(item: Guard<T>): Guard<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ShapeError(path, `should be an array, got ${describe(value)}`);
    return value.map((entry, index) => item(entry, `${path}[${index}]`));
  };
}

/** Marks a field that may be absent (or null, which some servers send for "absent"). */
export function optional<T>(guard: Guard<T>): Guard<T | undefined> & { optional: true } {
  const wrapped = ((value: unknown, path: string) => (value === undefined || value === null ? undefined : guard(value, path))) as Guard<
    T | undefined
  > & { optional: true };
  wrapped.optional = true;
  return wrapped;
}

type Shape = Record<string, Guard<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type Out<G> = G extends Guard<infer T> ? T : never;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Out<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Out<S[K]>, undefined> };

/** Checks the listed fields; any other field is dropped, not an error. */
export function object<S extends Shape>(shape: S): Guard<ObjectOf<S>> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ShapeError(path, `should be an object, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, guard] of Object.entries(shape)) {
      const checked = guard(record[key], `${path}.${key}`);
      if (checked !== undefined) out[key] = checked;
    }
    return out as ObjectOf<S>;
  };
}
