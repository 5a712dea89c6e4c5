/**
 * The gateway app: middleware order and the route table, top-down. Every API route is one
 * relay mechanism (routes/proxy.ts) with its wire API; everything the gateway says itself is
 * a GatewayError rendered in one place (onError).
 */
import { Hono } from 'hono';
import { admin } from './admin/app';
import { clientAuth } from './http/auth';
import type { AppEnv } from './http/context';
import { GatewayError, internalError, methodNotAllowed, notFound } from './core/errors';
import { requestLimits } from './http/limits';
import { configurationCheck, settings, trace } from './http/middleware';
import { canonicalRequestPath } from './http/paths';
import { codexConfig } from './routes/codex-config';
import { health } from './routes/health';
import { model, models } from './routes/models';
import { fail } from './http/respond';
import { proxy } from './routes/proxy';
import { recordRequests } from './http/request-store';
import { responsesGet } from './routes/websocket';

export const app = new Hono<AppEnv>({ getPath: canonicalRequestPath });

app.use('*', trace, requestLimits, configurationCheck);
app.get('/healthz', health);
app.all('/healthz', (c) => {
  throw methodNotAllowed(c.req.method, c.req.path, ['GET']);
});

app.route('/admin', admin);

app.use('/v1/*', settings, recordRequests, clientAuth);
const passthrough = proxy({ wire: 'opaque', body: 'bytes' });
app.get('/v1/models', models(passthrough));
app.get('/v1/models/*', model(passthrough));
app.get('/v1/codex-config', codexConfig);
app.get('/v1/responses', responsesGet);
app.post('/v1/responses', proxy({ wire: 'responses', body: 'json' }));
app.post('/v1/responses/compact', proxy({ wire: 'opaque', body: 'json' }));
app.post('/v1/chat/completions', proxy({ wire: 'chat', body: 'json' }));
for (const path of ['/v1/responses', '/v1/responses/compact']) {
  app.all(path, (c) => {
    throw methodNotAllowed(c.req.method, c.req.path, ['POST']);
  });
}
app.all('/v1/*', passthrough);

app.notFound((c) => fail(c, notFound(c.req.method, c.req.path)));
app.onError((err, c) => fail(c, err instanceof GatewayError ? err : internalError(err)));
