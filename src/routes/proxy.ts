/**
 * The one relay handler behind every API route, parameterised by wire API and body kind:
 * read the body once, run the attempt loop against the upstream, then hand the client either
 * the upstream's answer (a relayed stream, a whole JSON body, or raw bytes) or one GatewayError.
 */
import type { Context, Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { inspectJson, readBody, withModel } from '../http/body';
import { clientResponseHeaders, upstreamRequestHeaders } from '../http/headers';
import { fail } from '../http/respond';
import type { GatewayError } from '../core/errors';
import { heartbeatEvent } from '../http/heartbeat';
import { relaySse } from '../stream/relay';
import { watchStream, type WireApi } from '../stream/terminal';
import type { UpstreamResponse } from '../upstream/attempt';
import { fallbacksHeader } from '../tenancy/fallbacks';
import type { RoutedTarget } from '../tenancy/tenant';
import { runAttempts } from '../upstream/attempts';
import type { Target } from '../upstream/target';
import { failureToError } from '../upstream/failure-error';

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

export function proxy(route: ProxyRoute): Handler<AppEnv> {
  return async (c) => {
    const { settings, trace, tenant } = c.var;
    const request = c.req.raw;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? await readBody(request, settings.maxBodyBytes) : null;
    const json = route.body === 'json' ? inspectJson(body ?? new Uint8Array()) : null;
    trace.set({ bytes_in: body?.byteLength ?? 0, model: json?.model ?? null, stream: json?.stream ?? null });

    const apiPath = c.req.path.replace(/^\/v1/, '');
    const search = new URL(request.url).search;
    const targets = tenant.plan({ apiPath, model: json?.model ?? null });
    trace.set({ upstream_host: targets[0].baseUrl.host });
    const bodyFor = (target: RoutedTarget): Uint8Array | null =>
      json !== null && target.model !== null && target.model !== json.model ? withModel(json, target.model) : body;

    const result = await runAttempts(
      {
        targets,
        requestFor: (target) => ({
          url: upstreamUrl(target.baseUrl, apiPath, search),
          method: request.method,
          headers: upstreamRequestHeaders(request.headers, target.auth),
          body: bodyFor(target),
        }),
        limits: tenant.retry,
        timeouts: tenant.timeouts,
      },
      request.signal,
    );
    trace.set({ attempts: result.attempts, team: tenant.teamId });
    const attemptsHeader: Record<string, string> = { 'x-edge-attempts': String(result.attempts.length) };
    if (result.kind !== 'cancelled') attemptsHeader['x-edge-upstream'] = result.target.name;
    const fallbacks = fallbacksHeader(result.attempts);
    if (fallbacks !== null) attemptsHeader['x-edge-fallbacks'] = fallbacks;
    switch (result.kind) {
      case 'cancelled':
        trace.set({ error: 'the client went away before the upstream answered' });
        return new Response(null, { status: 499 });
      case 'failed':
        trace.set({ upstream_host: result.target.baseUrl.host });
        return fail(c, failureToError(result.failure, { host: result.target.baseUrl.host, attempts: result.attempts.length, stop: result.stop }), attemptsHeader);
      case 'ok':
        trace.set({ upstream_host: result.target.baseUrl.host });
        return clientResponse(c, route.wire, result.response, result.target, attemptsHeader);
    }
  };
}

function clientResponse(c: Context<AppEnv>, wire: WireApi, upstream: UpstreamResponse, target: Target, extra: Record<string, string>): Response {
  const { trace, tenant, profile } = c.var;
  const headers = clientResponseHeaders(upstream.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  trace.firstByte(upstream.status);
  const init = { status: upstream.status, headers };
  switch (upstream.body.kind) {
    case 'buffered':
      trace.set({ bytes_out: upstream.body.bytes.byteLength });
      return new Response(upstream.body.bytes, init);
    case 'raw': {
      // workerd passes an untouched body through still encoded: its encoding must go with it.
      const encoding = upstream.headers.get('content-encoding');
      if (encoding !== null) headers.set('content-encoding', encoding);
      return new Response(upstream.body.stream, init);
    }
    case 'sse': {
      trace.defer();
      headers.set('cache-control', 'no-cache');
      const stream = relaySse({
        first: upstream.body.first,
        reader: upstream.body.reader,
        watch: watchStream(wire),
        heartbeat: heartbeatEvent(profile, wire),
        heartbeatMs: tenant.timeouts.heartbeatMs,
        idleMs: tenant.timeouts.streamIdleMs,
        explain: (cause) => `codex-edge: ${cause} (upstream ${target.baseUrl.host}); the request can be retried`,
        onEnd: (summary) => trace.finish({ stream_end: summary.end, bytes_out: summary.bytes }),
        client: c.req.raw.signal,
      });
      return new Response(stream, init);
    }
  }
}
