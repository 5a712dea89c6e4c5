/**
 * One environment variable → one value: the numeric tunables with their defaults and accepted
 * ranges, the request limits a deployment may default, on/off switches. A wrong value throws a
 * SettingError that names the variable (settings.ts turns it into a configuration error).
 */
import type { Env } from './env';
import type { RequestLimits } from '../upstream/limiter';

export type TextSetting = { [K in keyof Env]-?: Env[K] extends string | undefined ? K : never }[keyof Env];

export interface NumberSetting {
  readonly name: TextSetting;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/** Every numeric tunable: its var, default and accepted range (documented in the README). */
export const NUMBER_SETTINGS = {
  maxAttempts: { name: 'RETRY_MAX_ATTEMPTS', fallback: 5, min: 1, max: 20 },
  budgetMs: { name: 'RETRY_BUDGET_MS', fallback: 30_000, min: 0, max: 600_000 },
  maxRetryAfterMs: { name: 'RETRY_AFTER_MAX_MS', fallback: 10_000, min: 0, max: 600_000 },
  backoffBaseMs: { name: 'RETRY_BACKOFF_BASE_MS', fallback: 250, min: 0, max: 60_000 },
  backoffMaxMs: { name: 'RETRY_BACKOFF_MAX_MS', fallback: 4_000, min: 0, max: 600_000 },
  headersMs: { name: 'UPSTREAM_HEADERS_TIMEOUT_MS', fallback: 120_000, min: 100, max: 3_600_000 },
  streamIdleMs: { name: 'STREAM_IDLE_TIMEOUT_MS', fallback: 300_000, min: 100, max: 3_600_000 },
  heartbeatMs: { name: 'HEARTBEAT_INTERVAL_MS', fallback: 15_000, min: 50, max: 3_600_000 },
  maxBodyBytes: { name: 'MAX_REQUEST_BODY_BYTES', fallback: 16 * 1024 * 1024, min: 1024, max: 100 * 1024 * 1024 },
  keyCacheMs: { name: 'KEY_CACHE_TTL_MS', fallback: 30_000, min: 0, max: 600_000 },
  jsonBytes: { name: 'MAX_UPSTREAM_JSON_BYTES', fallback: 16 * 1024 * 1024, min: 64 * 1024, max: 64 * 1024 * 1024 },
  breakerFailures: { name: 'BREAKER_FAILURES', fallback: 3, min: 1, max: 100 },
  breakerOpenMs: { name: 'BREAKER_OPEN_MS', fallback: 2_000, min: 100, max: 600_000 },
  breakerMaxOpenMs: { name: 'BREAKER_MAX_OPEN_MS', fallback: 8_000, min: 100, max: 600_000 },
  retryBudgetPercent: { name: 'RETRY_BUDGET_PERCENT', fallback: 20, min: 0, max: 100 },
  retryBudgetMinPerSecond: { name: 'RETRY_BUDGET_MIN_PER_SECOND', fallback: 10, min: 0, max: 10_000 },
  eventBytes: { name: 'MAX_SSE_EVENT_BYTES', fallback: 8 * 1024 * 1024, min: 64 * 1024, max: 64 * 1024 * 1024 },
  sessionBytes: { name: 'WEBSOCKET_SESSION_MAX_BYTES', fallback: 16 * 1024 * 1024, min: 0, max: 64 * 1024 * 1024 },
  sessionsBytes: { name: 'WEBSOCKET_SESSIONS_MAX_BYTES', fallback: 32 * 1024 * 1024, min: 0, max: 96 * 1024 * 1024 },
} as const satisfies Record<string, NumberSetting>;

export type NumberKey = keyof typeof NUMBER_SETTINGS;

/** Request limits: a team's own (admin API), a key's, and the deployment's default for teams, which is unset (unlimited) unless given. */
export const LIMIT_SETTINGS = {
  rpm: { name: 'TEAM_DEFAULT_RPM', min: 1, max: 100_000 },
  maxStreams: { name: 'TEAM_DEFAULT_MAX_STREAMS', min: 1, max: 10_000 },
} as const satisfies Record<keyof RequestLimits, Omit<NumberSetting, 'fallback'>>;

export class SettingError extends Error {}

export function readNumber(env: Env, setting: NumberSetting): number {
  return readOptionalNumber(env, setting) ?? setting.fallback;
}

/** null when unset. */
export function readOptionalNumber(env: Env, setting: Omit<NumberSetting, 'fallback'>): number | null {
  const raw = env[setting.name];
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
    throw new SettingError(`${setting.name} must be a whole number from ${setting.min} to ${setting.max}, got "${raw}"`);
  }
  return value;
}

/** `on` / `off` (unset: the fallback). */
export function readSwitch(env: Env, name: TextSetting, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new SettingError(`${name} must be "on" or "off", got "${env[name] ?? ''}"`);
  return raw === 'on';
}
