/**
 * Runtime checks for values that arrive from outside the type system (control API
 * bodies, CLI flags, options objects). Every check throws an Error whose message
 * names the offending field, so callers can show it to the user as-is.
 */

export type JsonRecord = Record<string, unknown>;

/** True for plain JSON objects (not arrays, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text; throws `"<what> is not valid JSON: …"` otherwise. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Returns `value` if it is an integer in [min, max]; throws otherwise. */
export function expectInteger(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${name} must be an integer ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Returns `value` if it is one of `allowed`; throws otherwise. */
export function expectOneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new Error(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return match;
}
