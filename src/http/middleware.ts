/**
 * The middleware every request passes: a request id, the client profile and the log line
 * (trace), then the validated settings for API routes. A request's line is written once: at
 * response time, or for a streamed body when the body ends; until then the request is kept alive
 * (waitUntil), or workerd could drop it, and its line, as soon as the client goes away.
 */
import type { MiddlewareHandler } from 'hono';
import { loadSettings } from '../config/settings';
import { Redactor } from '../core/redact';
import { inBackground } from './background';
import { RequestTrace } from './log';
import { requestSecrets, settingsRedactor } from './secrets';
import { clientProfile } from './client-profile';
import type { AppEnv } from './context';

function newRequestId(): string {
  return `req_edge_${crypto.randomUUID().replaceAll('-', '')}`;
}

export const trace: MiddlewareHandler<AppEnv> = async (c, next) => {
  const profile = clientProfile(c.req.raw.headers);
  const requestTrace = new RequestTrace(newRequestId(), c.req.method, c.req.path, profile);
  requestTrace.protect(Redactor.patterns.with(requestSecrets(c.req.raw.headers)));
  c.set('trace', requestTrace);
  c.set('profile', profile);
  await next();
  c.res.headers.set('x-edge-request-id', requestTrace.requestId);
  if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', requestTrace.requestId);
  if (requestTrace.deferred) inBackground(c, requestTrace.written);
  else requestTrace.finish({ status: c.res.status });
};

export const settings: MiddlewareHandler<AppEnv> = async (c, next) => {
  const result = loadSettings(c.env);
  if (!result.ok) throw result.error;
  c.set('settings', result.settings);
  c.var.trace.protect(settingsRedactor(result.settings).with(requestSecrets(c.req.raw.headers)));
  await next();
};
