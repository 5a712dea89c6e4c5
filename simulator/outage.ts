/**
 * Pure: the provider down for a while. An outage answers every /v1/* request with one status
 * (default 503) until a deadline, then the provider is healthy again; flapping alternates down
 * and up periods for as long as it is set, starting down. Both are set as durations from the
 * moment they are set and kept as absolute times; time is passed in.
 */
import { expectInteger, isRecord } from './validate';

/** Down for `ms` from when it is set, answering `status` (default 503); then healthy. */
export interface OutageOption {
  ms: number;
  status?: number;
}

/** Down for `downMs` (answering `status`, default 503), up for `upMs`, again and again, from when it is set. */
export interface FlappingOption {
  downMs: number;
  upMs: number;
  status?: number;
}

export interface Outage {
  readonly until: number;
  readonly status: number;
}

export interface Flapping {
  readonly since: number;
  readonly downMs: number;
  readonly upMs: number;
  readonly status: number;
}

/** The provider is down: why, what it answers, and when it comes up. */
export interface Down {
  readonly cause: 'outage' | 'flapping';
  readonly status: number;
  readonly upInMs: number;
}

export const DEFAULT_DOWN_STATUS = 503;
const MAX_MS = 2 ** 31 - 1;

/** Validates an outage option and anchors it at `now`; undefined: no outage. */
export function resolveOutage(value: unknown, now: number): Outage | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new Error('outage must be an object {ms, status?}');
  checkKeys(value, 'outage', ['ms', 'status']);
  return { until: now + expectInteger(value.ms, 'outage.ms', 0, MAX_MS), status: downStatus(value.status, 'outage.status') };
}

/** Validates a flapping option and anchors it at `now`; undefined: no flapping. */
export function resolveFlapping(value: unknown, now: number): Flapping | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new Error('flapping must be an object {downMs, upMs, status?}');
  checkKeys(value, 'flapping', ['downMs', 'upMs', 'status']);
  return {
    since: now,
    downMs: expectInteger(value.downMs, 'flapping.downMs', 1, MAX_MS),
    upMs: expectInteger(value.upMs, 'flapping.upMs', 1, MAX_MS),
    status: downStatus(value.status, 'flapping.status'),
  };
}

/** Whether the provider is down at `now`; an outage wins over flapping. */
export function downAt(outage: Outage | undefined, flapping: Flapping | undefined, now: number): Down | null {
  if (outage !== undefined && now < outage.until) return { cause: 'outage', status: outage.status, upInMs: outage.until - now };
  if (flapping !== undefined && now >= flapping.since) {
    const phase = (now - flapping.since) % (flapping.downMs + flapping.upMs);
    if (phase < flapping.downMs) return { cause: 'flapping', status: flapping.status, upInMs: flapping.downMs - phase };
  }
  return null;
}

function downStatus(value: unknown, name: string): number {
  return value === undefined || value === null ? DEFAULT_DOWN_STATUS : expectInteger(value, name, 400, 599);
}

function checkKeys(value: Record<string, unknown>, name: string, known: readonly string[]): void {
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new Error(`unknown ${name} key '${unknown}' (known: ${known.join(', ')})`);
}
