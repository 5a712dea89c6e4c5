/**
 * Who a request is for and where it may go. A self-deployed gateway has one tenant, its single
 * upstream; a hosted gateway has one per team, with the team's providers and model routes.
 * The relay only ever asks a Tenant for the targets of one request.
 */
import type { Settings, Timeouts, Upstream } from '../config/settings';
import type { ProviderAdapter } from '../providers/adapter';
import { adapterFor } from '../providers/registry';
import type { WireApi } from '../stream/terminal';
import type { RetryLimits } from '../upstream/retry-policy';
import type { Target } from '../upstream/target';
import { FREE_ADMISSION, type Admission, type Background } from './ticket';

/** A provider to try, the adapter of its wire API, and the model name to send it (null: as the client sent it). */
export interface RoutedTarget extends Target {
  readonly adapter: ProviderAdapter;
  readonly model: string | null;
}

export interface RouteRequest {
  /** The API path below /v1, e.g. "/responses". */
  readonly apiPath: string;
  /** The wire API the client speaks on this route. */
  readonly wire: WireApi;
  /** The `model` of a JSON body, if any. */
  readonly model: string | null;
}

export interface Tenant {
  /** The team's id, or null for the single upstream. */
  readonly teamId: string | null;
  readonly retry: RetryLimits;
  readonly timeouts: Timeouts;
  /** The providers to try for this request, in order; throws a GatewayError when nothing may serve it. */
  plan(request: RouteRequest): readonly [RoutedTarget, ...RoutedTarget[]];
  /** Admits one planned request under the tenant's limits, before any upstream call; its ticket is ended when the request is over. */
  admit(background: Background): Promise<Admission>;
}

/** The provider-health key of the single upstream (its breaker, its retry budget). */
export function upstreamHealthKey(baseUrl: URL): string {
  return `upstream ${baseUrl.href}`;
}

export function singleUpstreamTenant(upstream: Upstream, settings: Settings): Tenant {
  const healthKey = upstreamHealthKey(upstream.baseUrl);
  const adapter = adapterFor(upstream.wire, { providerKey: healthKey, capabilities: upstream.chatCapabilities });
  const target: RoutedTarget = { name: upstream.baseUrl.host, healthKey, baseUrl: upstream.baseUrl, auth: upstream.auth, adapter, model: null };
  return { teamId: null, retry: settings.retry, timeouts: settings.timeouts, plan: () => [target], admit: () => Promise.resolve(FREE_ADMISSION) };
}
