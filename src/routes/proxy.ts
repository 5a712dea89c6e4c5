/**
 * The one relay handler behind every API route, parameterised by the route's wire API and body
 * kind: read the client's call once, ask the tenant for its targets and to admit the request
 * under its limits (a 429 naming the limit, before any upstream call), run the attempt loop
 * with each target's adapter building the upstream request, then hand the client the adapter's
 * answer (see http/answer.ts) or one GatewayError. The admission's ticket is ended once the
 * request is over, whichever way: at once, or when the answer's stream ends.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { answerResponse } from '../http/answer';
import { readBody } from '../http/body';
import { upstreamRequestHeaders } from '../http/headers';
import { background } from '../http/background';
import { providerHealth } from '../http/health';
import { fail } from '../http/respond';
import { GatewayError } from '../core/errors';
import { inspectJson, type ClientCall } from '../providers/client-call';
import type { WireApi } from '../stream/terminal';
import type { TokenUsage } from '../stream/usage';
import { fallbacksHeader } from '../tenancy/fallbacks';
import type { RoutedTarget } from '../tenancy/tenant';
import type { Ticket } from '../tenancy/ticket';
import type { AttemptRequest } from '../upstream/attempt';
import { runAttempts, type AttemptsResult } from '../upstream/attempts';
import { failureToError, providerDown } from '../upstream/failure-error';

export interface ProxyRoute {
  readonly wire: WireApi;
  /** 'json': the body must be a JSON object (model and stream are read for the log). */
  readonly body: 'json' | 'bytes';
}

/** base `https://host/v1` + `/responses` → `https://host/v1/responses`, query kept. */
export function upstreamUrl(base: URL, apiPath: string, search: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${apiPath}`;
  url.search = search;
  return url.toString();
}

/** One attempt's request: the target's adapter decides path and body, the gateway the headers. */
function upstreamRequest(call: ClientCall, target: RoutedTarget, incoming: Headers): AttemptRequest {
  const { path, body, ready } = target.adapter.request(call, target.model);
  return { url: upstreamUrl(target.baseUrl, path, call.search), method: call.method, headers: upstreamRequestHeaders(incoming, target.auth), body, ready };
}

/**
 * The targets whose adapter can build this call's request (a translating adapter may find it has
 * no form for its provider), so a route falls back past them like past a provider of another
 * wire; when none can, the first one's reason is the answer (a final 400), before any attempt.
 */
function sendable(call: ClientCall, targets: readonly [RoutedTarget, ...RoutedTarget[]]): readonly [RoutedTarget, ...RoutedTarget[]] {
  const usable: RoutedTarget[] = [];
  let refusal: GatewayError | null = null;
  for (const target of targets) {
    try {
      target.adapter.request(call, target.model);
      usable.push(target);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      refusal ??= err;
    }
  }
  const [first, ...rest] = usable;
  if (first === undefined) throw refusal ?? new Error('a route without targets');
  return [first, ...rest];
}

/** The handler of one API route (also the pass-through that other routes fall back to). */
export type RouteHandler = (c: Context<AppEnv>) => Promise<Response>;

export function proxy(route: ProxyRoute): RouteHandler {
  return async (c) => {
    const { settings, trace, tenant } = c.var;
    const request = c.req.raw;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? await readBody(request, settings.maxBodyBytes) : null;
    const json = route.body === 'json' ? inspectJson(body ?? new Uint8Array()) : null;
    trace.set({ bytes_in: body?.byteLength ?? 0, model: json?.model ?? null, stream: json?.stream ?? null });
    c.set('responsesStream', route.wire === 'responses' && json?.stream === true);
    const call: ClientCall = {
      wire: route.wire,
      method: request.method,
      apiPath: c.req.path.replace(/^\/v1/, ''),
      search: new URL(request.url).search,
      body,
      json,
    };

    const targets = sendable(call, tenant.plan({ apiPath: call.apiPath, wire: call.wire, model: json?.model ?? null }));
    trace.set({ upstream_host: targets[0].baseUrl.host });
    const admission = await tenant.admit(background(c));
    if (admission.kind === 'limited') {
      const { hit } = admission;
      trace.set({ limit: { scope: hit.scope, limit: hit.limit, max: hit.max, retry_in_ms: hit.retryInMs } });
      return fail(c, admission.error);
    }
    const { ticket } = admission;
    try {
      return await relay(c, call, targets, ticket);
    } catch (err) {
      ticket.end({ startedAt: trace.startedAt, attempts: [], failed: true, usage: null });
      throw err;
    }
  };
}

/** The attempts and the answer of one admitted request; its ticket ends with it. */
async function relay(c: Context<AppEnv>, call: ClientCall, targets: readonly [RoutedTarget, ...RoutedTarget[]], ticket: Ticket): Promise<Response> {
  const { settings, trace, tenant } = c.var;
  const request = c.req.raw;
  const run = (from: readonly [RoutedTarget, ...RoutedTarget[]]): Promise<AttemptsResult<RoutedTarget>> =>
    runAttempts(
      {
        targets: from,
        requestFor: (target) => upstreamRequest(call, target, request.headers),
        limits: tenant.retry,
        timeouts: tenant.timeouts,
        caps: settings.caps,
        health: providerHealth(settings, background(c)),
      },
      request.signal,
    );
  let result = await run(targets);
  // A translating adapter whose provider refused an optional field drops it: the request goes once more.
  if (result.kind === 'failed' && result.target.adapter.learn?.(call, result.failure) === true) {
    const again = await run([result.target, ...targets.slice(targets.indexOf(result.target) + 1)]);
    result = { ...again, attempts: [...result.attempts, ...again.attempts] };
  }
  const notes = (result.kind === 'cancelled' ? targets[0] : result.target).adapter.notes?.(call) ?? null;
  trace.set({ attempts: result.attempts, team: tenant.teamId, translation: notes?.log ?? null });
  const end = (failed: boolean, usage: TokenUsage | null = null): void => {
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
      end(false);
      return new Response(null, { status: 499 });
    case 'failed': {
      const host = result.target.baseUrl.host;
      trace.set({ upstream_host: host });
      end(true);
      return fail(c, failureToError(result.failure, { host, attempts: result.attempts.length, stop: result.stop }), headers);
    }
    case 'refused': {
      const host = result.target.baseUrl.host;
      trace.set({ upstream_host: host, breaker: 'open' });
      end(true);
      return fail(c, providerDown(host, result.reason, result.retryInMs, result.attempts.length), headers);
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
      return answerResponse(c, call.wire, answer, response, headers, ({ failed, usage }) => {
        end(failed, usage);
      });
    }
  }
}
