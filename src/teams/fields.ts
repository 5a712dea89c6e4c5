/**
 * Pure: reads the fields of an admin request body. Every problem is a 400 GatewayError whose
 * `param` is the field's path (`routes[0].targets[1].provider`) and whose message says what
 * was expected; unknown fields are refused, so that a misspelt field never passes silently.
 */
import { invalidRequest, type GatewayError } from '../core/errors';

export interface TextRule {
  readonly max: number;
  /** The characters or shape the text must have, and how to say so. */
  readonly pattern?: RegExp;
  readonly hint?: string;
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

export function fieldError(param: string, message: string, code = 'invalid_value'): GatewayError {
  return invalidRequest(400, `codex-edge: "${param}" ${message}`, code, param);
}

/** One JSON object of a request body, at a path. */
export class Fields {
  private constructor(
    private readonly body: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {}

  /** The object at `param` (the body itself when param is ''). */
  static of(value: unknown, param: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw param === ''
        ? invalidRequest(400, 'codex-edge: the request body must be a JSON object', 'invalid_json')
        : fieldError(param, 'must be an object', 'invalid_type');
    }
    return new Fields(value as Readonly<Record<string, unknown>>, param);
  }

  param(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** Refuses any field not listed; at least one of `atLeastOne` must be present when given. */
  only(keys: readonly string[], atLeastOne = false): this {
    for (const key of Object.keys(this.body)) {
      if (!keys.includes(key)) throw fieldError(this.param(key), `is not a known field; expected ${keys.map((k) => `"${k}"`).join(', ')}`, 'unknown_field');
    }
    if (atLeastOne && !keys.some((key) => this.has(key))) {
      throw invalidRequest(400, `codex-edge: nothing to change; send at least one of ${keys.map((k) => `"${k}"`).join(', ')}`, 'missing_field');
    }
    return this;
  }

  /** The value at `key` as sent (for fields with a parser of their own); undefined when absent. */
  raw(key: string): unknown {
    return this.body[key];
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  requiredText(key: string, rule: TextRule): string {
    const value = this.optionalText(key, rule);
    if (value === undefined) throw fieldError(this.param(key), 'is required', 'missing_field');
    return value;
  }

  optionalText(key: string, rule: TextRule): string | undefined {
    const value = this.body[key];
    if (value === undefined) return undefined;
    return checkText(value, this.param(key), rule);
  }

  /** undefined: absent (keep); null: clear. */
  nullableText(key: string, rule: TextRule): string | null | undefined {
    return this.body[key] === null ? null : this.optionalText(key, rule);
  }

  oneOf<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const value = this.body[key];
    if (value === undefined) return undefined;
    const found = choices.find((choice) => choice === value);
    if (found === undefined) throw fieldError(this.param(key), `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return found;
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.body[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw fieldError(this.param(key), 'must be true or false', 'invalid_type');
    return value;
  }

  nullableInteger(key: string, range: IntegerRange): number | null | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return value;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw fieldError(this.param(key), 'must be a whole number or null', 'invalid_type');
    if (value < range.min || value > range.max) throw fieldError(this.param(key), `must be from ${range.min} to ${range.max}, got ${value}`);
    return value;
  }

  /** The array at `key` (undefined when absent), at most `max` long. */
  optionalList(key: string, max: number): readonly unknown[] | undefined {
    const value = this.body[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw fieldError(this.param(key), 'must be an array', 'invalid_type');
    if (value.length > max) throw fieldError(this.param(key), `must have at most ${max} entries, got ${value.length}`);
    return value as unknown[];
  }

  /** A list of texts; undefined: absent, null: clear. */
  nullableTextList(key: string, max: number, rule: TextRule): readonly string[] | null | undefined {
    if (this.body[key] === null) return null;
    return this.optionalList(key, max)?.map((item, index) => checkText(item, `${this.param(key)}[${index}]`, rule));
  }
}

function checkText(value: unknown, param: string, rule: TextRule): string {
  if (typeof value !== 'string') throw fieldError(param, 'must be a string', 'invalid_type');
  const text = value.trim();
  if (text === '') throw fieldError(param, 'must not be empty');
  if (text.length > rule.max) throw fieldError(param, `must be at most ${rule.max} characters`);
  if (rule.pattern !== undefined && !rule.pattern.test(text)) throw fieldError(param, rule.hint ?? 'has characters that are not allowed');
  return text;
}
