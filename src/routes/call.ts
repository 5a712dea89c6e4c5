/**
 * One client call through the relay, whatever carries it (an HTTP request, a WebSocket turn):
 * the targets whose adapter can build it, the tenant's admission under its limits, the attempt
 * loop with each target's adapter building the upstream request (once more when a translating
 * adapter learned from a refusal), then the adapter's answer or one GatewayError. The
 * admission's ticket ends with the call: at once for an error, through `end` when an answer is
 * over. A GatewayError thrown before the admission (no route, nothing can serve the call)
 * propagates to the caller.
 */
import { GatewayError } from '../core/errors';
import type { Settings } from '../config/settings';
import type { AnswerEnd } from '../http/answer';
import { upstreamRequestHeaders } from '../http/headers';
import { providerHealth } from '../http/health';
import type { RequestTrace } from '../http/log';
import type { ClientAnswer, UpstreamCall } from '../providers/adapter';
import type { ClientCall } from '../providers/client-call';
import { fallbacksHeader } from '../tenancy/fallbacks';
import type { RoutedTarget, Tenant } from '../tenancy/tenant';
import type { Background, Ticket } from '../tenancy/ticket';
import type { AttemptRequest, UpstreamResponse } from '../upstream/attempt';
import { countedAttempts, runAttempts, triesOf, type AttemptsResult } from '../upstream/attempts';
import { failureToError, providerDown } from '../upstream/failure-error';
import { remainingLimits, type RetryLimits } from '../upstream/retry-policy';

/** What a call needs from the transport that carries it. */
export interface CallContext {
  readonly settings: Settings;
  readonly tenant: Tenant;
  /** The log line this call fills in (a request's, or a WebSocket turn's). */
  readonly trace: RequestTrace;
  readonly background: Background;
  /** The client's headers: its identity headers (and, bring-your-own-key, its key) go upstream. */
  readonly headers: Headers;
  /** Aborted when the client goes away: whatever is in flight is cancelled. */
  readonly signal: AbortSignal;
}

export type CallResult =
  /** The upstream answered: the gateway's own headers go with it; `end` is told once when the answer is over. */
  | {
      readonly kind: 'answer';
      readonly answer: ClientAnswer;
      readonly upstream: UpstreamResponse;
      readonly headers: Readonly<Record<string, string>>;
      readonly end: (end: AnswerEnd) => void;
    }
  | { readonly kind: 'error'; readonly error: GatewayError; readonly headers: Readonly<Record<string, string>> }
  /** The client went away before the upstream answered. */
  | { readonly kind: 'cancelled' };

/** base `https://host/v1` + `/responses` → `https://host/v1/responses`, query kept. */
export function upstreamUrl(base: URL, apiPath: string, search: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${apiPath}`;
  url.search = search;
  return url.toString();
}

/** One attempt's request: the target's adapter decides path and body (built once), the gateway the headers. */
function upstreamRequest(call: ClientCall, target: RoutedTarget, built: UpstreamCall, incoming: Headers): AttemptRequest {
  const { path, body, ready } = built;
  return { url: upstreamUrl(target.baseUrl, path, call.search), method: call.method, headers: upstreamRequestHeaders(incoming, target.auth), body, ready };
}

/** Each sendable target's request as its adapter built it (see sendable); an attempt adds the headers. */
type Built = Map<RoutedTarget, UpstreamCall>;

type Targets = readonly [RoutedTarget, ...RoutedTarget[]];

/**
 * The targets whose adapter can build this call's request (a translating adapter may find it has
 * no form for its provider), so a route falls back past them like past a provider of another
 * wire; when none can, the first one's reason is the answer (a final 400), before any attempt.
 * What each built is kept for its attempts.
 */
function sendable(call: ClientCall, targets: Targets): { targets: Targets; built: Built } {
  const usable: RoutedTarget[] = [];
  const built: Built = new Map();
  let refusal: GatewayError | null = null;
  for (const target of targets) {
    try {
      built.set(target, target.adapter.request(call, target.model));
      usable.push(target);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      refusal ??= err;
    }
  }
  const [first, ...rest] = usable;
  if (first === undefined) throw refusal ?? new Error('a route without targets');
  return { targets: [first, ...rest], built };
}

export async function runCall(context: CallContext, call: ClientCall): Promise<CallResult> {
  const { tenant, trace } = context;
  const { targets, built } = sendable(call, tenant.plan({ apiPath: call.apiPath, wire: call.wire, model: call.json?.model ?? null }));
  trace.set({ upstream_host: targets[0].baseUrl.host });
  const admission = await tenant.admit(context.background);
  if (admission.kind === 'limited') {
    const { hit } = admission;
    trace.set({ limit: { scope: hit.scope, limit: hit.limit, max: hit.max, retry_in_ms: hit.retryInMs } });
    return { kind: 'error', error: admission.error, headers: {} };
  }
  const { ticket } = admission;
  try {
    return await relay(context, call, targets, built, ticket);
  } catch (err) {
    ticket.end({ startedAt: trace.startedAt, attempts: [], failed: true, usage: null });
    throw err;
  }
}

/** The attempts and the answer of one admitted call; its ticket ends with it. */
async function relay(context: CallContext, call: ClientCall, targets: Targets, built: Built, ticket: Ticket): Promise<CallResult> {
  const { settings, trace, tenant } = context;
  const requestOf = (target: RoutedTarget): UpstreamCall => {
    let request = built.get(target);
    if (request === undefined) {
      request = target.adapter.request(call, target.model);
      built.set(target, request);
    }
    return request;
  };
  const run = (from: Targets, limits: RetryLimits): Promise<AttemptsResult<RoutedTarget>> =>
    runAttempts(
      {
        targets: from,
        requestFor: (target) => upstreamRequest(call, target, requestOf(target), context.headers),
        limits,
        timeouts: tenant.timeouts,
        caps: settings.caps,
        health: providerHealth(settings, context.background),
      },
      context.signal,
    );
  const started = Date.now();
  let result = await run(targets, tenant.retry);
  // A translating adapter whose provider refused an optional field drops it: the request goes once more, within what is left of its limits.
  if (result.kind === 'failed' && result.target.adapter.learn?.(call, result.failure) === true) {
    built.clear(); // built again, without what the provider refused
    const left = remainingLimits(tenant.retry, countedAttempts(result.attempts), Date.now() - started);
    const again = await run([result.target, ...targets.slice(targets.indexOf(result.target) + 1)], left);
    result = { ...again, attempts: [...result.attempts, ...again.attempts] };
  }
  const notes = (result.kind === 'cancelled' ? targets[0] : result.target).adapter.notes?.(call) ?? null;
  trace.set({ attempts: result.attempts, team: tenant.teamId, translation: notes?.log ?? null });
  const end = ({ failed, usage }: AnswerEnd): void => {
    trace.set({ failed });
    ticket.end({ startedAt: trace.startedAt, attempts: result.attempts, failed, usage });
  };
  const headers: Record<string, string> = { ...notes?.headers, 'x-edge-attempts': String(result.attempts.length) };
  if (result.kind !== 'cancelled') headers['x-edge-upstream'] = result.target.name;
  const fallbacks = fallbacksHeader(result.attempts);
  if (fallbacks !== null) headers['x-edge-fallbacks'] = fallbacks;
  switch (result.kind) {
    case 'cancelled':
      trace.set({ error: 'the client went away before the upstream answered' });
      end({ failed: false, usage: null });
      return { kind: 'cancelled' };
    case 'failed': {
      const host = result.target.baseUrl.host;
      trace.set({ upstream_host: host });
      end({ failed: true, usage: null });
      return { kind: 'error', error: failureToError(result.failure, { host, tries: triesOf(result.attempts), stop: result.stop }), headers };
    }
    case 'refused': {
      const host = result.target.baseUrl.host;
      trace.set({ upstream_host: host, breaker: 'open' });
      end({ failed: true, usage: null });
      return { kind: 'error', error: providerDown(host, result.reason, result.retryInMs, triesOf(result.attempts)), headers };
    }
    case 'ok': {
      const { target, response } = result;
      const host = target.baseUrl.host;
      trace.set({ upstream_host: host });
      const answer = target.adapter.answer(call, response, {
        heartbeatMs: tenant.timeouts.heartbeatMs,
        idleMs: tenant.timeouts.streamIdleMs,
        maxEventBytes: settings.caps.eventBytes,
        host,
        redactor: trace.redactor,
      });
      return { kind: 'answer', answer, upstream: response, headers, end };
    }
  }
}
