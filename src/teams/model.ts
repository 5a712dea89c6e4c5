/** The team registry's records as the rest of the gateway sees them (D1 rows are mapped to these in db/rows.ts). */

import type { ChatCapabilities } from '../config/chat-capabilities';
import type { ProviderWire } from '../providers/adapter';
import type { RequestLimits } from '../upstream/limiter';

export type { ProviderWire };

/** Whose key goes upstream: the team's (stored encrypted) or the client's own. */
export type ProviderAuthKind = 'key' | 'client';

export const PROVIDER_AUTH_KINDS: readonly ProviderAuthKind[] = ['key', 'client'];

/** Per-team overrides of the deployment's limits; null keeps the deployment's value. */
export interface TeamOverrides {
  readonly maxAttempts: number | null;
  readonly budgetMs: number | null;
  readonly headersMs: number | null;
  readonly streamIdleMs: number | null;
  /** Requests per minute (null: TEAM_DEFAULT_RPM, unset: unlimited). */
  readonly rpm: number | null;
  /** Requests in flight at once (null: TEAM_DEFAULT_MAX_STREAMS, unset: unlimited). */
  readonly maxStreams: number | null;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly overrides: TeamOverrides;
  /** Model names or patterns a key of this team may ask for; null: every routed model. */
  readonly allowedModels: readonly string[] | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApiKey {
  readonly id: string;
  readonly teamId: string;
  readonly name: string | null;
  /** The first characters of the key, enough to recognise it in a list. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
  /** The key's own limits, within its team's (null: none of its own). */
  readonly limits: RequestLimits;
}

export interface Provider {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly wireApi: ProviderWire;
  readonly auth: ProviderAuthKind;
  /** What a chat provider accepts (the defaults unless changed); read for wire_api chat only. */
  readonly capabilities: ChatCapabilities;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A provider row with its encrypted key: never leaves the store and the key resolver. */
export interface StoredProvider extends Provider {
  readonly keyCiphertext: string | null;
}

export interface RouteTarget {
  readonly provider: string;
  /** The model name to send this provider; null: the route's model (or, for a pattern, the requested name). */
  readonly model: string | null;
}

export interface Route {
  /** An exact model name, or a pattern with `*` (any run of characters), e.g. `gpt-*`. */
  readonly model: string;
  /** Other exact names that reach this route. */
  readonly aliases: readonly string[];
  readonly targets: readonly RouteTarget[];
}
