import type { ProviderHealthObject } from '../upstream/health-object';
import type { TeamLimiterObject } from '../upstream/limiter-object';

/** The Worker's bindings: vars and secrets from wrangler.toml / `wrangler secret put`. Read only by config/. */
export interface Env {
  readonly UPSTREAM_BASE_URL?: string;
  readonly UPSTREAM_API_KEY?: string;
  /** `responses` (default) or `chat`: a Chat-Completions-only provider, /v1/responses translated. */
  readonly UPSTREAM_WIRE_API?: string;
  /** Comma list of capability switches of a chat upstream (config/chat-capabilities.ts). */
  readonly UPSTREAM_CHAT_CAPABILITIES?: string;
  readonly GATEWAY_API_KEYS?: string;
  readonly RETRY_MAX_ATTEMPTS?: string;
  readonly RETRY_BUDGET_MS?: string;
  readonly RETRY_AFTER_MAX_MS?: string;
  readonly RETRY_BACKOFF_BASE_MS?: string;
  readonly RETRY_BACKOFF_MAX_MS?: string;
  readonly UPSTREAM_HEADERS_TIMEOUT_MS?: string;
  readonly STREAM_IDLE_TIMEOUT_MS?: string;
  readonly HEARTBEAT_INTERVAL_MS?: string;
  readonly MAX_REQUEST_BODY_BYTES?: string;
  readonly MAX_UPSTREAM_JSON_BYTES?: string;
  readonly BREAKER_FAILURES?: string;
  readonly BREAKER_OPEN_MS?: string;
  readonly BREAKER_MAX_OPEN_MS?: string;
  readonly RETRY_BUDGET_PERCENT?: string;
  readonly RETRY_BUDGET_MIN_PER_SECOND?: string;
  readonly MAX_SSE_EVENT_BYTES?: string;
  /** `on` (default) or `off`: the WebSocket transport of /v1/responses; off, a handshake gets 426 (clients fall back to HTTP). */
  readonly WEBSOCKET_TRANSPORT?: string;
  /** What one WebSocket connection keeps of its last turn (input and output items) to expand `previous_response_id`. */
  readonly WEBSOCKET_SESSION_MAX_BYTES?: string;
  /** What all the WebSocket connections an isolate holds keep together, in characters of JSON text. */
  readonly WEBSOCKET_SESSIONS_MAX_BYTES?: string;
  /** The team registry (D1); with it, team keys (`cxe_…`) are served and UPSTREAM_BASE_URL becomes optional. */
  readonly DB?: D1Database;
  /** The recent-request store of single-upstream mode (D1, provisioned by `wrangler deploy`); read by the operator view while ADMIN_TOKEN is set. */
  readonly REQUESTS?: D1Database;
  /** Bearer token for /admin; /admin answers 404 while it is unset. */
  readonly ADMIN_TOKEN?: string;
  /** 32 bytes in base64: the AES-GCM key that encrypts team providers' upstream keys at rest. */
  readonly ENCRYPTION_KEY?: string;
  readonly KEY_CACHE_TTL_MS?: string;
  /** Limits of a team that sets none of its own (unset: unlimited). */
  readonly TEAM_DEFAULT_RPM?: string;
  readonly TEAM_DEFAULT_MAX_STREAMS?: string;
  /** Teams' request limits, shared by every isolate (a Durable Object per team); without it, limits are not enforced. */
  readonly TEAM_LIMITER?: DurableObjectNamespace<TeamLimiterObject>;
  /** Provider health shared by every isolate (a Durable Object per provider); without it, each isolate keeps its own. */
  readonly PROVIDER_HEALTH?: DurableObjectNamespace<ProviderHealthObject>;
}
