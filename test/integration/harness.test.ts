/**
 * Smoke test of the integration harness (vitest project `integration`, runs inside workerd):
 *  - the upstream URL started in Node by test/support/integration-setup.ts arrives via inject();
 *  - fetch() from workerd reaches that Node server on 127.0.0.1;
 *  - the Worker module can be called directly with a custom env per test — the pattern every
 *    integration test uses to point the gateway at an upstream or change a tunable;
 *  - `exports.default` (the Worker from wrangler.toml `main`, with the bindings from
 *    vitest.config.ts) answers too.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { Hono } from 'hono';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src/index';

/**
 * Calls the Worker the way the runtime does, with `overrides` on top of the test env.
 * To simulate a client that goes away, build the Request with an AbortController's signal:
 * the Worker gets it as `request.signal`. (In production that signal fires only because
 * wrangler.toml sets enable_request_signal, and only once the Worker writes to a response.)
 */
async function callWorker(request: Request, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

interface ModelList {
  object: string;
  data: { id: string }[];
}

describe('integration harness', () => {
  it('provides the Node upstream URL to tests inside workerd', () => {
    expect(inject('upstreamUrl')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(inject('upstreamBaseUrl')).toBe(`${inject('upstreamUrl')}/v1`);
  });

  it('reaches the Node upstream with fetch() from workerd', async () => {
    const response = await fetch(`${inject('upstreamBaseUrl')}/models`);
    expect(response.status).toBe(200);
    const body = await response.json<ModelList>();
    expect(body.object).toBe('list');
  });

  it('calls the Worker module with a custom env per test', async () => {
    const healthy = await callWorker(new Request('http://gateway.test/healthz'), { UPSTREAM_BASE_URL: inject('upstreamBaseUrl') });
    expect(healthy.status).toBe(200);

    // Same module, another env: the configuration error shows on /healthz.
    const misconfigured = await callWorker(new Request('http://gateway.test/healthz'), { UPSTREAM_BASE_URL: 'not a url' });
    expect(misconfigured.status).toBeGreaterThanOrEqual(500);
    expect(await misconfigured.text()).toContain('UPSTREAM_BASE_URL');
  });

  it('relays through a Worker-shaped app to the Node upstream, with the env it is given', async () => {
    // A throwaway Hono app with the Worker's fetch(request, env, ctx) shape, so that this
    // smoke test does not depend on the gateway's routes; the gateway's own relay tests call
    // `worker` from src/index.ts the same way.
    const relay = new Hono<{ Bindings: Cloudflare.Env }>().get('/v1/*', (c) => {
      const base = c.env.UPSTREAM_BASE_URL ?? '';
      return fetch(`${base}${c.req.path.slice('/v1'.length)}`);
    });
    const ctx = createExecutionContext();
    const response = await relay.fetch(new Request('http://gateway.test/v1/models'), { ...env, UPSTREAM_BASE_URL: inject('upstreamBaseUrl') }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
    const body = await response.json<ModelList>();
    expect(body.data.length).toBeGreaterThan(0);
  });

  it('answers through exports.default with the bindings from vitest.config.ts', async () => {
    expect(env.UPSTREAM_BASE_URL).toBe(inject('upstreamBaseUrl'));
    const response = await exports.default.fetch('http://gateway.test/healthz');
    expect(response.status).toBe(200);
  });
});
