/**
 * The one relay handler behind every API route, parameterised by the route's wire API and body
 * kind: read the client's call once, run it through the relay (routes/call.ts: the tenant's
 * targets and admission, the attempt loop, the adapter's answer), then hand the client the
 * answer as an HTTP response (see http/answer.ts) or one GatewayError.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { answerResponse } from '../http/answer';
import { readBody } from '../http/body';
import { background } from '../http/background';
import { requestTarget } from '../http/paths';
import { fail } from '../http/respond';
import { inspectJson, type ClientCall } from '../providers/client-call';
import type { WireApi } from '../stream/terminal';
import { runCall } from './call';

export interface ProxyRoute {
  readonly wire: WireApi;
  /** 'json': the body must be a JSON object (model and stream are read for the log). */
  readonly body: 'json' | 'bytes';
}

/** The handler of one API route (also the pass-through that other routes fall back to). */
export type RouteHandler = (c: Context<AppEnv>) => Promise<Response>;

export function proxy(route: ProxyRoute): RouteHandler {
  return async (c) => {
    const settings = c.get('settings');
    const trace = c.get('trace');
    const tenant = c.get('tenant');
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
      search: requestTarget(request.url).search,
      body,
      json,
    };
    const result = await runCall({ settings, tenant, trace, background: background(c), headers: request.headers, signal: request.signal }, call);
    switch (result.kind) {
      case 'cancelled':
        return new Response(null, { status: 499 });
      case 'error':
        return fail(c, result.error, result.headers);
      case 'answer':
        return answerResponse(c, call.wire, result.answer, result.upstream, result.headers, result.end);
    }
  };
}
