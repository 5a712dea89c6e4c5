/** Every route, as a client sees it, through the real Worker in workerd and the simulator. */
import { env, exports } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { CODEX_HEADERS, GATEWAY, callGateway, errorOf, post, sim, sseEvents, typesOf } from './support';

beforeEach(() => sim.reset());

describe('OpenAI routes', () => {
  it.each(['/v1/responses', '/responses'])('POST %s streams the Responses events through', async (path) => {
    const response = await callGateway(post(path, { model: 'gpt-test', stream: true, input: 'hi' }, CODEX_HEADERS));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-edge-attempts')).toBe('1');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const types = typesOf(await sseEvents(response));
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_item.done');
    const [upstream] = await sim.requests();
    expect(upstream?.path).toBe('/v1/responses');
  });

  it('POST /v1/responses without stream returns the JSON response', async () => {
    const response = await callGateway(post('/v1/responses', { model: 'gpt-test', input: 'hi' }));
    expect(response.status).toBe(200);
    const body = await response.json<{ object: string; status: string; model: string }>();
    expect(body).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-test' });
  });

  it('POST /v1/responses/compact relays JSON', async () => {
    const response = await callGateway(post('/v1/responses/compact', { model: 'gpt-test', input: [] }));
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('output');
  });

  it.each(['/v1/chat/completions', '/chat/completions'])('POST %s streams chat chunks ending in [DONE]', async (path) => {
    const response = await callGateway(post(path, { model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    expect(response.status).toBe(200);
    const events = await sseEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.length).toBeGreaterThan(2);
  });

  it('POST /v1/chat/completions without stream returns a chat completion', async () => {
    const response = await callGateway(post('/v1/chat/completions', { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }));
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
  });

  it.each(['/v1/models', '/models'])('GET %s lists models', async (path) => {
    const response = await callGateway(new Request(`${GATEWAY}${path}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'list' });
  });

  it('other /v1 routes are proxied as they are, upstream errors in the one shape', async () => {
    const response = await callGateway(post('/v1/embeddings?x=1', { model: 'e', input: 'x' }));
    expect(response.status).toBe(404);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = await errorOf(response);
    expect(error.message).toMatch(/^upstream 127\.0\.0\.1:\d+ answered 404 \(1 attempt\): /);
    expect(error.code).toBe('unknown_url');
    const [upstream] = await sim.requests();
    expect(upstream?.path).toBe('/v1/embeddings?x=1');
  });

  it('GET /healthz answers without calling the upstream', async () => {
    const response = await callGateway(new Request(`${GATEWAY}/healthz`));
    // The test deployment is the hosted environment with an upstream: both modes.
    expect(await response.json()).toMatchObject({ status: 'ok', mode: 'both', problems: [] });
    expect(await sim.requests()).toHaveLength(0);
  });

  it('the Worker as wrangler.toml deploys it (exports.default, bindings from vitest.config.ts) relays too', async () => {
    expect(env.UPSTREAM_BASE_URL).toBe(inject('upstreamBaseUrl'));
    const response = await exports.default.fetch(`${GATEWAY}/v1/models`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-attempts')).toBe('1');
    expect(await response.json()).toMatchObject({ object: 'list' });
    expect((await sim.requests()).map((request) => request.path)).toEqual(['/v1/models']);
  });
});

describe('answers the gateway gives itself', () => {
  it('GET /v1/responses without an upgrade → 405 Allow: POST', async () => {
    const response = await callGateway(new Request(`${GATEWAY}/v1/responses`));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await errorOf(response)).code).toBe('method_not_allowed');
  });

  it('a WebSocket handshake on /v1/responses where the transport is off → 426, so Codex falls back to HTTP at once', async () => {
    const handshake = new Request(`${GATEWAY}/v1/responses`, {
      headers: { upgrade: 'websocket', connection: 'Upgrade', 'openai-beta': 'responses_websockets=2026-02-06', ...CODEX_HEADERS },
    });
    const response = await callGateway(handshake, { WEBSOCKET_TRANSPORT: 'off' });
    expect(response.status).toBe(426);
    expect((await errorOf(response)).code).toBe('websocket_not_supported');
    expect(await sim.requests()).toHaveLength(0);
  });

  it.each([
    ['/nope', 'GET'],
    ['/v2/responses', 'POST'],
  ])('unknown route %s → 404 in the error shape', async (path, method) => {
    const response = await callGateway(new Request(`${GATEWAY}${path}`, { method }));
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      message: `codex-edge: no route for ${method} ${path}`,
      type: 'invalid_request_error',
      code: 'unknown_url',
      param: null,
    });
  });

  it.each([
    ['/v1/responses', 'PUT', 'POST'],
    ['/v1/responses/compact', 'GET', 'POST'],
    ['/healthz', 'POST', 'GET'],
  ])('%s with %s → 405 with Allow: %s', async (path, method, allow) => {
    const response = await callGateway(new Request(`${GATEWAY}${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
  });

  it.each<[string, () => Request, string]>([
    ['an unknown route', () => new Request(`${GATEWAY}/v2/responses`, { method: 'POST', headers: CODEX_HEADERS }), 'unknown_url'],
    ['a wrong method', () => new Request(`${GATEWAY}/v1/responses`, { method: 'PUT', headers: CODEX_HEADERS }), 'method_not_allowed'],
    ['a body over the limit', () => post('/v1/responses', { model: 'gpt-test', input: 'x'.repeat(5000) }, CODEX_HEADERS), 'request_too_large'],
  ])('to Codex, %s is a 400 (a status Codex does not retry), and the code says which', async (_name, request, code) => {
    const response = await callGateway(request(), { MAX_REQUEST_BODY_BYTES: '4096' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect((await errorOf(response)).code).toBe(code);
    expect(await sim.requests()).toHaveLength(0);
  });

  it('a body over the limit → 413, and nothing goes upstream', async () => {
    const response = await callGateway(post('/v1/responses', { model: 'gpt-test', input: 'x'.repeat(5000) }), { MAX_REQUEST_BODY_BYTES: '4096' });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
    expect(await sim.requests()).toHaveLength(0);
  });

  it('a body over the limit without content-length (streamed) → 413', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const request = new Request(`${GATEWAY}/v1/responses`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const response = await callGateway(request, { MAX_REQUEST_BODY_BYTES: '4096' });
    expect(response.status).toBe(413);
  });

  it.each([
    ['not JSON', '{"model":', 'invalid_json'],
    ['not an object', '[1,2]', 'invalid_json'],
    ['model not a string', '{"model":42}', 'invalid_type'],
  ])('%s → 400 naming the problem', async (_name, body, code) => {
    const response = await callGateway(post('/v1/responses', body));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe(code);
    expect(response.headers.get('x-should-retry')).toBe('false');
  });
});
