/**
 * The Fault type (one misbehaviour, applied to one /v1/* request), its validation,
 * and the FIFO queue of pending faults. Applying a fault is server.ts's job.
 */
import { HOSTILE_KINDS, isHostileKind, parseHostileFault, type HostileFault } from './hostile-faults';
import { expectInteger, isRecord } from './validate';

export type Fault =
  /** Answer with this status; object body sent as JSON; default body: an OpenAI-shaped error for that status. */
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** Read the request, then RST the socket before any status line. */
  | { kind: 'reset' }
  /** Read the request, never answer (until the client goes away). */
  | { kind: 'hang' }
  /** 200 with the normal headers (SSE or JSON), then end with no body bytes. */
  | { kind: 'empty' }
  /** SSE: send N events, then RST. JSON: send half the body, then RST. */
  | { kind: 'cut'; afterEvents: number }
  /** SSE: send N events, then silence. JSON: send half the body, then silence. */
  | { kind: 'stall'; afterEvents: number }
  /** Answer normally after `ms` (before the status line). */
  | { kind: 'delay'; ms: number }
  /** echo-key, gzip-bomb, huge, trickle, redirect: see hostile-faults.ts. */
  | HostileFault;

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['status', 'reset', 'hang', 'empty', 'cut', 'stall', 'delay', ...HOSTILE_KINDS];

/** Validates one fault (from JSON or from code) and returns a normalized copy; throws on a bad fault. */
export function parseFault(value: unknown): Fault {
  if (!isRecord(value)) throw new Error('a fault must be an object with a "kind"');
  if (isHostileKind(value.kind)) return parseHostileFault({ ...value, kind: value.kind });
  switch (value.kind) {
    case 'status':
      return { kind: 'status', status: expectInteger(value.status, 'status', 200, 599), ...statusExtras(value) };
    case 'reset':
    case 'hang':
    case 'empty':
      return { kind: value.kind };
    case 'cut':
    case 'stall':
      return { kind: value.kind, afterEvents: expectInteger(value.afterEvents, `${value.kind}.afterEvents`, 0) };
    case 'delay':
      return { kind: 'delay', ms: expectInteger(value.ms, 'delay.ms', 0, 2 ** 31 - 1) };
    default:
      throw new Error(`unknown fault kind ${JSON.stringify(value.kind)} (expected one of ${FAULT_KINDS.join(', ')})`);
  }
}

/** Accepts a JSON array of faults or a single fault. */
export function parseFaults(value: unknown): Fault[] {
  return (Array.isArray(value) ? value : [value]).map(parseFault);
}

function statusExtras(value: Record<string, unknown>): { body?: string | object; headers?: Record<string, string> } {
  const extras: { body?: string | object; headers?: Record<string, string> } = {};
  const { body, headers } = value;
  if (body !== undefined) {
    if (typeof body !== 'string' && (typeof body !== 'object' || body === null)) {
      throw new Error('status.body must be a string or a JSON object/array');
    }
    extras.body = body;
  }
  if (headers !== undefined) {
    if (!isRecord(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
      throw new Error('status.headers must be an object of string values');
    }
    extras.headers = headers as Record<string, string>;
  }
  return extras;
}

/** Pending faults, consumed one per /v1/* request, in order. */
export class FaultQueue {
  readonly #pending: Fault[] = [];

  /** Validates and appends; throws (queueing nothing) if any fault is invalid. Returns the normalized faults queued. */
  push(faults: readonly unknown[]): Fault[] {
    const parsed = faults.map(parseFault);
    this.#pending.push(...parsed);
    return parsed;
  }

  /** The next fault, or undefined when the queue is empty (= answer normally). */
  next(): Fault | undefined {
    return this.#pending.shift();
  }

  clear(): void {
    this.#pending.length = 0;
  }
}
