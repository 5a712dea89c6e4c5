/**
 * Simulator options: the public option type, their defaults, and validation.
 * `resolveOptions` is the single place where options become trusted settings;
 * a patch key that is present but `undefined` (JSON `null`) restores its default.
 */
import { resolveFlapping, resolveOutage, type Flapping, type FlappingOption, type Outage, type OutageOption } from './outage';
import { expectInteger, expectOneOf, isRecord } from './validate';

export const IDLE_MODES = ['reset', 'close', 'bad-request'] as const;
export type IdleMode = (typeof IDLE_MODES)[number];

export interface SimulatorOptions {
  /** 0 (default) = random free port; always binds 127.0.0.1. */
  port?: number;
  /** Close idle keep-alive connections after this long (default: none; 0 also means none). */
  idleCutoffMs?: number;
  /** What the cutoff does, default 'reset' (see idle.ts). */
  idleMode?: IdleMode;
  /** Text deltas per streamed response (default 5). */
  deltaCount?: number;
  /** Characters per delta (default 8). */
  deltaSize?: number;
  /** Pause between streamed events (default 0). */
  eventDelayMs?: number;
  /**
   * Streams only: gather events and write them in slices of exactly this many bytes, events cut
   * across slices, as a provider's TCP writes arrive (0, the default: one write per event). A
   * pause between events (eventDelayMs) or the stream's end flushes what is gathered.
   */
  streamWriteBytes?: number;
  /** Down from now for `ms` (every /v1/* request answers `status`, default 503), then healthy (outage.ts). */
  outage?: OutageOption;
  /** Down for `downMs`, up for `upMs`, again and again from now (outage.ts). */
  flapping?: FlappingOption;
  /**
   * A strict Chat-Completions-only provider (default false): /v1/responses answers 404, and a chat
   * request that breaks a strict provider's rule (strict-chat.ts) answers 400.
   */
  chatStrict?: boolean;
  /** Fields a chat request must not carry (400 naming them), e.g. ['stream_options'] or ['strict']. */
  chatRejectFields?: string[];
}

/** Options after validation, with every default filled in. */
export interface Settings {
  port: number;
  idleCutoffMs: number | undefined;
  idleMode: IdleMode;
  deltaCount: number;
  deltaSize: number;
  eventDelayMs: number;
  streamWriteBytes: number;
  /** Anchored when set: absolute times. */
  outage: Outage | undefined;
  flapping: Flapping | undefined;
  chatStrict: boolean;
  chatRejectFields: string[];
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  port: 0,
  idleCutoffMs: undefined,
  idleMode: 'reset',
  deltaCount: 5,
  deltaSize: 8,
  eventDelayMs: 0,
  streamWriteBytes: 0,
  outage: undefined,
  flapping: undefined,
  chatStrict: false,
  chatRejectFields: [],
};

const OPTION_KEYS: readonly (keyof SimulatorOptions)[] = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

/** Options set as a duration from now: a patch anchors them at `now`, and keeps the base's otherwise. */
const TIMED_KEYS: readonly (keyof SimulatorOptions)[] = ['outage', 'flapping'];

/** Applies `patch` on top of `base` at time `now`, validating every value; throws on a bad value. */
export function resolveOptions(base: Readonly<Settings>, patch: Readonly<SimulatorOptions>, now: number = Date.now()): Settings {
  const merged: Settings = { ...base };
  for (const key of OPTION_KEYS) {
    if (key in patch && !TIMED_KEYS.includes(key)) Object.assign(merged, { [key]: patch[key] ?? DEFAULT_SETTINGS[key] });
  }
  const cutoff = merged.idleCutoffMs === undefined ? 0 : expectInteger(merged.idleCutoffMs, 'idleCutoffMs', 0, 2 ** 31 - 1);
  return {
    port: expectInteger(merged.port, 'port', 0, 65535),
    idleCutoffMs: cutoff === 0 ? undefined : cutoff,
    idleMode: expectOneOf(merged.idleMode, 'idleMode', IDLE_MODES),
    deltaCount: expectInteger(merged.deltaCount, 'deltaCount', 0),
    deltaSize: expectInteger(merged.deltaSize, 'deltaSize', 1),
    eventDelayMs: expectInteger(merged.eventDelayMs, 'eventDelayMs', 0, 2 ** 31 - 1),
    streamWriteBytes: expectInteger(merged.streamWriteBytes, 'streamWriteBytes', 0, 2 ** 24),
    outage: 'outage' in patch ? resolveOutage(patch.outage, now) : base.outage,
    flapping: 'flapping' in patch ? resolveFlapping(patch.flapping, now) : base.flapping,
    chatStrict: expectBoolean(merged.chatStrict, 'chatStrict'),
    chatRejectFields: expectStrings(merged.chatRejectFields, 'chatRejectFields'),
  };
}

function expectBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function expectStrings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw new Error(`${name} must be an array of strings, got ${JSON.stringify(value)}`);
  return [...value];
}

/**
 * Turns a JSON value into an options patch: unknown keys are rejected, `null`
 * becomes `undefined` (= back to the default). Values are checked by `resolveOptions`.
 */
export function parseOptionsPatch(value: unknown): Partial<SimulatorOptions> {
  if (!isRecord(value)) throw new Error('options must be a JSON object');
  const patch: Partial<Record<keyof SimulatorOptions, unknown>> = {};
  for (const [key, raw] of Object.entries(value)) {
    const known = OPTION_KEYS.find((candidate) => candidate === key);
    if (known === undefined) throw new Error(`unknown option '${key}' (known: ${OPTION_KEYS.join(', ')})`);
    patch[known] = raw ?? undefined;
  }
  return patch as Partial<SimulatorOptions>;
}
