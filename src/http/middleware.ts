/**
 * The middleware every request passes: a request id, the client profile and the log line
 * (trace), the configuration check on an isolate's first request, then the validated settings
 * for API routes. A request's line is written once: at response time, or for a streamed body
 * when the body ends; until then the request is kept alive (waitUntil), or workerd could drop
 * it, and its line, as soon as the client goes away.
 */
import type { MiddlewareHandler } from 'hono';
import { loadSettings } from '../config/settings';
import type { Env } from '../config/env';
import { configurationStatus } from '../config/status';
import { Redactor } from '../core/redact';
import { background } from './background';
import { RequestTrace } from './log';
import { requestSecrets, settingsRedactor } from './secrets';
import { clientProfile } from './client-profile';
import type { AppEnv } from './context';

export function newRequestId(): string {
  return `req_edge_${crypto.randomUUID().replaceAll('-', '')}`;
}

export const trace: MiddlewareHandler<AppEnv> = async (c, next) => {
  const profile = clientProfile(c.req.raw.headers);
  const requestTrace = new RequestTrace(newRequestId(), c.req.method, c.req.path, profile);
  const secrets = requestSecrets(c.req.raw.headers, c.req.url);
  requestTrace.protect(Redactor.patterns.with(secrets));
  c.set('clientSecrets', secrets);
  c.set('trace', requestTrace);
  c.set('profile', profile);
  c.set('responsesStream', false);
  await next();
  c.res.headers.set('x-edge-request-id', requestTrace.requestId);
  if (!c.res.headers.has('x-request-id')) c.res.headers.set('x-request-id', requestTrace.requestId);
  if (!requestTrace.deferred) requestTrace.finish({ status: c.res.status });
  background(c)(requestTrace.written);
};

export const settings: MiddlewareHandler<AppEnv> = async (c, next) => {
  const result = loadSettings(c.env);
  if (!result.ok) throw result.error;
  c.set('settings', result.settings);
  c.get('trace').protect(settingsRedactor(result.settings).with(c.get('clientSecrets')));
  await next();
};

/** The bindings whose configuration was checked: one env per isolate, so once per isolate. */
const checked = new WeakSet<Env>();

/**
 * On the first request an isolate serves (any route, /healthz included), checks the
 * configuration and logs what is wrong once: an invalid setting (every request then answers
 * gateway_misconfigured) or a valid one that serves nothing (no upstream and no team).
 */
export const configurationCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!checked.has(c.env)) {
    checked.add(c.env);
    const result = loadSettings(c.env);
    if (!result.ok) {
      console.error(JSON.stringify({ level: 'error', msg: 'configuration', status: 'misconfigured', problems: [result.error.body.message] }));
    } else {
      const status = await configurationStatus(result.settings);
      if (status.problems.length > 0) console.warn(JSON.stringify({ level: 'warn', msg: 'configuration', ...status }));
    }
  }
  await next();
};
