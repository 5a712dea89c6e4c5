/**
 * env → Settings: every tunable with its default, validated once per isolate. A wrong value
 * becomes a configuration GatewayError that names the setting; nothing else reads env.
 */
import type { Env } from './env';
import { configurationError, type GatewayError } from '../core/errors';
import type { UpstreamAuth } from '../upstream/target';
import { fromBase64 } from '../core/encoding';
import type { BreakerPolicy } from '../upstream/breaker';
import type { ProviderHealthObject } from '../upstream/health-object';
import type { RequestLimits } from '../upstream/limiter';
import type { TeamLimiterObject } from '../upstream/limiter-object';
import type { BudgetPolicy } from '../upstream/retry-budget';
import type { RetryLimits } from '../upstream/retry-policy';
import { checkBaseUrl } from './base-url';
import { CapabilityError, DEFAULT_CHAT_CAPABILITIES, parseCapabilityList, type ChatCapabilities } from './chat-capabilities';
import { LIMIT_SETTINGS, NUMBER_SETTINGS, readNumber, readOptionalNumber, readSwitch, SettingError, type NumberKey } from './tunables';

export interface Timeouts {
  /** Until the response headers and, for a stream, its first bytes. */
  readonly headersMs: number;
  /** Longest silence inside a body before the gateway ends it. */
  readonly streamIdleMs: number;
  /** Silence towards a streaming client after which a heartbeat goes out. */
  readonly heartbeatMs: number;
}

/** How clients are admitted in single-upstream mode. */
export type ClientAccess =
  | { readonly kind: 'open' } // bring your own key: the client's Authorization goes upstream
  | { readonly kind: 'keys'; readonly keys: readonly string[] }; // clients present a gateway key

/** The API a provider speaks: `responses` (every OpenAI route as it is) or `chat` (Chat Completions only; /v1/responses is translated). */
export type UpstreamWire = 'responses' | 'chat';

export interface Upstream {
  readonly baseUrl: URL;
  readonly auth: UpstreamAuth;
  /** UPSTREAM_WIRE_API. */
  readonly wire: UpstreamWire;
  /** UPSTREAM_CHAT_CAPABILITIES over the defaults (used when wire is `chat`). */
  readonly chatCapabilities: ChatCapabilities;
}

/** The hosted mode: present when the D1 binding `DB` is. */
export interface TeamSettings {
  readonly db: D1Database;
  /** Raw AES-GCM key for upstream keys at rest; null: providers can only use the client's own key. */
  readonly encryptionKey: Uint8Array | null;
  /** How long an isolate trusts a key lookup (and the team it found) before asking D1 again. */
  readonly keyCacheMs: number;
  /** The limits of a team that sets none of its own (TEAM_DEFAULT_RPM, TEAM_DEFAULT_MAX_STREAMS; unset: none). */
  readonly defaultLimits: RequestLimits;
  /** The Durable Object that enforces teams' limits; null: limits are not enforced. */
  readonly limiter: DurableObjectNamespace<TeamLimiterObject> | null;
}

/** The operator's view (admin API and page, both modes): present while ADMIN_TOKEN is set. */
export interface AdminSettings {
  readonly token: string;
  /** The recent-request store it reads (the same database as Settings.requests). */
  readonly store: D1Database;
}

export interface UpstreamCaps {
  /** A 2xx JSON answer, read whole before it is passed on. */
  readonly jsonBytes: number;
  /** One SSE event of a stream (the relay holds an event until its end arrives). */
  readonly eventBytes: number;
}

/** The WebSocket transport of /v1/responses (routes/websocket.ts). */
export interface WebSocketSettings {
  /** Off: a handshake gets 426 and clients use HTTP. */
  readonly enabled: boolean;
  /** The most a connection keeps of its last turn (input and output items, as JSON) to expand `previous_response_id`. */
  readonly sessionBytes: number;
  /** The most all the connections an isolate holds keep together (characters of JSON text): idle connections each at their cap would outgrow an isolate. */
  readonly sessionsBytes: number;
}

export interface Settings {
  /** null on a hosted gateway without a single upstream: only team keys are served. */
  readonly upstream: Upstream | null;
  readonly access: ClientAccess;
  readonly teams: TeamSettings | null;
  /**
   * The recent-request store (http/request-store.ts): the registry `DB` in hosted mode, else the
   * binding `REQUESTS` while ADMIN_TOKEN is set; null: requests are not recorded.
   */
  readonly requests: D1Database | null;
  /** null: the admin API and the operator page are off (404). */
  readonly admin: AdminSettings | null;
  readonly retry: RetryLimits;
  readonly timeouts: Timeouts;
  readonly maxBodyBytes: number;
  /** Caps on what the gateway holds of an upstream's answer at once. */
  readonly caps: UpstreamCaps;
  readonly websocket: WebSocketSettings;
  /** Provider health: when a breaker opens and for how long, and the share of retries across requests. */
  readonly health: {
    readonly breaker: BreakerPolicy;
    readonly budget: BudgetPolicy;
    /** The Durable Object that shares breakers beyond one isolate; null: each isolate keeps its own. */
    readonly shared: DurableObjectNamespace<ProviderHealthObject> | null;
  };
  /** Every secret the deployment holds (upstream key, client keys, admin token, encryption key): never shown, never logged. */
  readonly secrets: readonly string[];
}

export type SettingsResult = { readonly ok: true; readonly settings: Settings } | { readonly ok: false; readonly error: GatewayError };

const cache = new WeakMap<Env, SettingsResult>();

/** Settings for this env, parsed once per isolate. */
export function loadSettings(env: Env): SettingsResult {
  let result = cache.get(env);
  if (result === undefined) {
    result = parseSettings(env);
    cache.set(env, result);
  }
  return result;
}

export function parseSettings(env: Env): SettingsResult {
  try {
    const n = (key: NumberKey): number => readNumber(env, NUMBER_SETTINGS[key]);
    const admin = readAdmin(env);
    const settings: Settings = {
      upstream: readUpstream(env),
      access: readAccess(env),
      teams: readTeams(env, n('keyCacheMs')),
      requests: env.DB ?? admin?.store ?? null,
      admin,
      retry: {
        maxAttempts: n('maxAttempts'),
        budgetMs: n('budgetMs'),
        maxRetryAfterMs: n('maxRetryAfterMs'),
        backoffBaseMs: n('backoffBaseMs'),
        backoffMaxMs: n('backoffMaxMs'),
      },
      timeouts: { headersMs: n('headersMs'), streamIdleMs: n('streamIdleMs'), heartbeatMs: n('heartbeatMs') },
      maxBodyBytes: n('maxBodyBytes'),
      caps: { jsonBytes: n('jsonBytes'), eventBytes: n('eventBytes') },
      websocket: { enabled: readSwitch(env, 'WEBSOCKET_TRANSPORT', true), sessionBytes: n('sessionBytes'), sessionsBytes: n('sessionsBytes') },
      health: {
        breaker: {
          failureThreshold: n('breakerFailures'),
          failureWindowMs: 10_000,
          openMs: n('breakerOpenMs'),
          maxOpenMs: Math.max(n('breakerOpenMs'), n('breakerMaxOpenMs')),
          probeTimeoutMs: n('headersMs'),
        },
        budget: { ratio: n('retryBudgetPercent') / 100, minRetries: n('retryBudgetMinPerSecond') * 10, windowMs: 10_000 },
        shared: env.PROVIDER_HEALTH ?? null,
      },
      secrets: [env.UPSTREAM_API_KEY, ...(env.GATEWAY_API_KEYS ?? '').split(','), env.ADMIN_TOKEN, env.ENCRYPTION_KEY]
        .map((secret) => secret?.trim() ?? '')
        .filter((secret) => secret !== ''),
    };
    return { ok: true, settings };
  } catch (err) {
    if (err instanceof SettingError) return { ok: false, error: configurationError(err.message) };
    throw err;
  }
}

function readUpstream(env: Env): Upstream | null {
  const raw = env.UPSTREAM_BASE_URL?.trim();
  if (!raw) {
    if (env.DB === undefined) throw new SettingError('UPSTREAM_BASE_URL is not set; set it to the provider base URL, e.g. https://api.openai.com/v1');
    if (env.UPSTREAM_API_KEY?.trim() || env.GATEWAY_API_KEYS?.trim()) {
      throw new SettingError(
        'UPSTREAM_API_KEY / GATEWAY_API_KEYS are set but UPSTREAM_BASE_URL is not: set the single upstream, or remove them to serve team keys only',
      );
    }
    return null;
  }
  const checked = checkBaseUrl(raw);
  if (!checked.ok) throw new SettingError(`UPSTREAM_BASE_URL ${checked.problem}`);
  const key = env.UPSTREAM_API_KEY?.trim();
  return { baseUrl: checked.url, auth: key ? { kind: 'key', key } : { kind: 'client' }, ...readWire(env) };
}

function readWire(env: Env): Pick<Upstream, 'wire' | 'chatCapabilities'> {
  const raw = env.UPSTREAM_WIRE_API?.trim() || 'responses';
  if (raw !== 'responses' && raw !== 'chat') throw new SettingError(`UPSTREAM_WIRE_API must be "responses" or "chat", got "${raw}"`);
  const list = env.UPSTREAM_CHAT_CAPABILITIES?.trim() ?? '';
  if (list === '') return { wire: raw, chatCapabilities: DEFAULT_CHAT_CAPABILITIES };
  // Set for a Responses upstream, it would change nothing: most likely UPSTREAM_WIRE_API = "chat" was forgotten.
  if (raw !== 'chat')
    throw new SettingError('UPSTREAM_CHAT_CAPABILITIES applies only to a Chat Completions upstream: set UPSTREAM_WIRE_API = "chat" too, or remove it');
  try {
    return { wire: raw, chatCapabilities: parseCapabilityList(list) };
  } catch (err) {
    if (err instanceof CapabilityError) throw new SettingError(`UPSTREAM_CHAT_CAPABILITIES: ${err.message}`);
    throw err;
  }
}

const MIN_ADMIN_TOKEN_CHARS = 24;
/** A client key (GATEWAY_API_KEYS): long enough not to be guessed, and to be redacted by value (core/redact.ts needs 8). */
const MIN_CLIENT_KEY_CHARS = 16;

/** The admin token and the store it reads: the registry `DB` when there is one, else `REQUESTS` (wrangler.toml's top level). */
function readAdmin(env: Env): AdminSettings | null {
  const token = env.ADMIN_TOKEN?.trim() || null;
  if (token === null) return null;
  const store = env.DB ?? env.REQUESTS;
  if (store === undefined) {
    throw new SettingError(
      'ADMIN_TOKEN is set but there is no D1 binding for the request store ("REQUESTS", or the team registry "DB"): keep the REQUESTS binding ' +
        'of wrangler.toml or unset ADMIN_TOKEN',
    );
  }
  if (token.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new SettingError(`ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_CHARS} characters; generate one with: openssl rand -hex 32`);
  }
  return { token, store };
}

function readTeams(env: Env, keyCacheMs: number): TeamSettings | null {
  const encoded = env.ENCRYPTION_KEY?.trim() || null;
  const defaultLimits: RequestLimits = { rpm: readOptionalNumber(env, LIMIT_SETTINGS.rpm), maxStreams: readOptionalNumber(env, LIMIT_SETTINGS.maxStreams) };
  if (env.DB === undefined) return null;
  let encryptionKey: Uint8Array | null = null;
  if (encoded !== null) {
    encryptionKey = fromBase64(encoded);
    if (encryptionKey?.byteLength !== 32) {
      throw new SettingError(
        `ENCRYPTION_KEY must be 32 bytes in base64 ` +
          `(${encryptionKey === null ? 'not base64' : `got ${encryptionKey.byteLength} bytes`}); generate one with: openssl rand -base64 32`,
      );
    }
  }
  return { db: env.DB, encryptionKey, keyCacheMs, defaultLimits, limiter: env.TEAM_LIMITER ?? null };
}

function readAccess(env: Env): ClientAccess {
  const keys = (env.GATEWAY_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const hasUpstreamKey = Boolean(env.UPSTREAM_API_KEY?.trim());
  if (hasUpstreamKey && keys.length === 0) {
    throw new SettingError(
      'UPSTREAM_API_KEY is set but GATEWAY_API_KEYS is empty: the gateway would spend your key for anyone; set GATEWAY_API_KEYS to the client keys to accept',
    );
  }
  if (!hasUpstreamKey && keys.length > 0) {
    throw new SettingError(
      'GATEWAY_API_KEYS is set but UPSTREAM_API_KEY is not: set the key the gateway sends upstream, or remove GATEWAY_API_KEYS to let clients bring their own',
    );
  }
  const short = keys.findIndex((key) => key.length < MIN_CLIENT_KEY_CHARS);
  if (short !== -1) {
    // Which one, not what it is: a configuration error is shown to clients.
    throw new SettingError(
      `GATEWAY_API_KEYS: key ${short + 1} (in the list) is shorter than ${MIN_CLIENT_KEY_CHARS} characters (a short key can be guessed); ` +
        'generate one with: openssl rand -hex 32',
    );
  }
  return keys.length > 0 ? { kind: 'keys', keys } : { kind: 'open' };
}
