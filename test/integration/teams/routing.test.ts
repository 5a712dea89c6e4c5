/**
 * Team routing through the real Worker, the local D1 and two simulators: route order, fallback
 * to the next provider on a transient failure before the first byte, model rewriting, the
 * x-edge-upstream / x-edge-fallbacks headers and the log line, /v1/models and /v1/codex-config.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { STALE_IN_A_ROW } from '../../../src/upstream/failure-counts';
import { CODEX_HEADERS, bodyText, callGateway, captureLogs, errorOf, sim, sseEvents, typesOf } from '../support';
import { TEAM_ENV, call, createTeam, sim2, simBaseUrl, teamGet, teamPost, upstreamModel, type TestTeam } from './support';

beforeEach(async () => {
  await Promise.all([sim.reset(), sim2.reset()]);
});

/** primary on simulator 1, backup on simulator 2; gpt-5 goes primary → backup with per-provider names. */
async function twoProviderTeam(label: string): Promise<TestTeam> {
  return createTeam(
    label,
    [
      { name: 'primary', sim: 1, api_key: 'sk-primary-upstream-secret' },
      { name: 'backup', sim: 2, api_key: 'sk-backup-upstream-secret' },
      { name: 'chatty', sim: 2, wire_api: 'chat', api_key: 'sk-chatty-upstream-secret' },
    ],
    [
      { model: 'gpt-5', aliases: ['fast'], targets: [{ provider: 'primary', model: 'gpt-5-primary' }, { provider: 'backup' }] },
      { model: 'llama', targets: [{ provider: 'chatty', model: 'llama-3-70b' }] },
      { model: 'oss-*', targets: [{ provider: 'backup' }] },
    ],
  );
}

describe('team routing', () => {
  it('sends the request to the first provider of the route, with its model name and its key', async () => {
    const team = await twoProviderTeam('route');
    const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', stream: true, input: 'hi' }, CODEX_HEADERS), TEAM_ENV);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-upstream')).toBe('primary');
    expect(response.headers.get('x-edge-fallbacks')).toBeNull();
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
    const [upstream] = await sim.requests();
    expect(upstreamModel(upstream?.body ?? '{}')).toBe('gpt-5-primary');
    expect(upstream?.headers['authorization']).toBe('Bearer sk-primary-upstream-secret');
    expect(await sim2.requests()).toEqual([]);
  });

  it("renames the model byte for byte: the provider gets the client's body, only its top-level model changed and its BOM dropped", async () => {
    const team = await twoProviderTeam('bytes');
    const sent = '{ "input": [{"role":"user","content":"héllo \\u00e9 😀","model":"gpt-5"}],\n  "model" : "gpt-5", "temperature": 1.0, "top_p": 1e0 }';
    const request = new Request(teamPost('/v1/responses', team.key, {}), { body: `\uFEFF${sent}` });
    const response = await callGateway(request, TEAM_ENV);
    expect(response.status).toBe(200);
    const [upstream] = await sim.requests();
    expect(upstream?.body).toBe(sent.replace('"model" : "gpt-5"', '"model" : "gpt-5-primary"'));
  });

  it.each([
    ['a 503', { kind: 'status', status: 503 } as const, 'primary=503'],
    [
      'a reset before the status line, past the stale connections it may be (a refused connection looks the same)',
      { kind: 'reset' } as const,
      [...Array.from({ length: STALE_IN_A_ROW }, () => 'primary=stale'), 'primary=transport'].join(', '),
    ],
    ['an empty 200', { kind: 'empty' } as const, 'primary=empty'],
  ])('falls over to the next provider after %s, within the same request', async (_name, fault, fallbacks) => {
    const team = await twoProviderTeam('fallback');
    await sim.faults(...Array.from({ length: STALE_IN_A_ROW + 1 }, () => fault));
    // The log line of a stream is written when the stream ends: read it inside the capture.
    const { result, lines } = await captureLogs(async () => {
      const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', stream: true, input: 'hi' }, CODEX_HEADERS), TEAM_ENV);
      return { response, types: typesOf(await sseEvents(response)) };
    });
    const { response, types } = result;
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-upstream')).toBe('backup');
    expect(response.headers.get('x-edge-fallbacks')).toBe(fallbacks);
    expect(types.at(-1)).toBe('response.completed');
    const [served] = await sim2.requests();
    expect(upstreamModel(served?.body ?? '{}')).toBe('gpt-5'); // the backup knows the route's own name
    expect(served?.headers['authorization']).toBe('Bearer sk-backup-upstream-secret');
    const line = lines.find((entry) => entry['msg'] === 'request');
    expect(line).toMatchObject({ team: team.id, model: 'gpt-5', status: 200 });
    const attempts = line?.['attempts'] as { target: string; outcome: string }[];
    expect(attempts.map((a) => a.target)).toEqual([...fallbacks.split(', ').map((f) => f.split('=')[0]), 'backup']);
    expect(attempts.at(-1)?.outcome).toBe('ok');
  });

  it('does not fall over on a final error: the client gets it at once', async () => {
    const team = await twoProviderTeam('final');
    await sim.faults({
      kind: 'status',
      status: 400,
      body: { error: { message: 'bad input', type: 'invalid_request_error', code: 'invalid_value', param: 'input' } },
    });
    const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }), TEAM_ENV);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-edge-upstream')).toBe('primary');
    expect((await errorOf(response)).message).toContain('bad input');
    expect(await sim2.requests()).toEqual([]);
  });

  it('when every provider fails, answers a retryable error naming the last one, after trying each', async () => {
    const team = await twoProviderTeam('allfail');
    await sim.faults(...Array.from({ length: 5 }, () => ({ kind: 'status', status: 502 }) as const));
    await sim2.faults(...Array.from({ length: 5 }, () => ({ kind: 'status', status: 502 }) as const));
    const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }), { ...TEAM_ENV, RETRY_MAX_ATTEMPTS: '2' });
    expect(response.status).toBe(502);
    expect(response.headers.get('x-should-retry')).toBe('true');
    expect(response.headers.get('x-edge-upstream')).toBe('backup');
    expect(response.headers.get('x-edge-fallbacks')).toBe('primary=502');
  });

  it("applies the team's retry overrides", async () => {
    const team = await twoProviderTeam('override');
    await call(
      new Request('http://gateway.test/admin/teams/' + team.id, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TEAM_ENV.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ max_attempts: 1 }),
      }),
    );
    await sim.faults({ kind: 'status', status: 503 });
    const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }), TEAM_ENV);
    expect(response.status).toBe(503);
    expect(response.headers.get('x-edge-attempts')).toBe('1');
    expect(await sim2.requests()).toEqual([]);
  });

  it.each([
    ['an alias', '/v1/responses', 'fast', 'primary', 'gpt-5-primary'],
    ['a pattern route', '/v1/responses', 'oss-120b', 'backup', 'oss-120b'],
    ['a chat provider on /v1/chat/completions', '/v1/chat/completions', 'llama', 'chatty', 'llama-3-70b'],
  ])('routes %s and rewrites the model', async (_name, path, model, provider, sent) => {
    const team = await twoProviderTeam('rewrite');
    const body = path === '/v1/chat/completions' ? { model, messages: [{ role: 'user', content: 'hi' }] } : { model, input: 'hi' };
    const response = await call(teamPost(path, team.key, body));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-upstream')).toBe(provider);
    const recorded = [...(await sim.requests()), ...(await sim2.requests())];
    expect(recorded.map((r) => upstreamModel(r.body))).toEqual([sent]);
  });

  it.each([
    ['an unrouted model', '/v1/responses', { model: 'claude-opus', input: 'hi' }, 404, 'model_not_found'],
    ['a chat-only model on /v1/responses/compact', '/v1/responses/compact', { model: 'llama', input: 'hi' }, 400, 'unsupported_wire_api'],
    ['no model', '/v1/responses', { input: 'hi' }, 400, 'missing_required_parameter'],
    // Codex retries a 404 other than model_not_found: it gets 400, the code says what happened.
    ['a path teams are not routed on', '/v1/embeddings', { model: 'gpt-5', input: 'hi' }, 400, 'unknown_url'],
  ])('refuses %s without calling any upstream', async (_name, path, body, status, code) => {
    const team = await twoProviderTeam('refuse');
    const response = await call(teamPost(path, team.key, body, CODEX_HEADERS));
    expect(response.status).toBe(status);
    expect((response.json['error'] as Record<string, unknown>)['code']).toBe(code);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect([...(await sim.requests()), ...(await sim2.requests())]).toEqual([]);
  });
});

describe('client-key providers', () => {
  it("send the client's own provider key upstream and never the team key", async () => {
    const team = await createTeam('byok', [{ name: 'own', sim: 1 }], [{ model: 'gpt-5', targets: [{ provider: 'own' }] }]);
    const ok = await call(
      teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }, { authorization: 'Bearer sk-developer-own', 'x-api-key': team.key }),
    );
    expect(ok.status).toBe(200);
    const [upstream] = await sim.requests();
    expect(upstream?.headers['authorization']).toBe('Bearer sk-developer-own');
    expect(JSON.stringify(upstream?.headers)).not.toContain(team.key);

    const refused = await call(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    expect(refused.status).toBe(401);
    expect(String((refused.json['error'] as Record<string, unknown>)['message'])).toContain('x-api-key');
    expect(await sim.requests()).toHaveLength(1);
  });
});

describe('GET /v1/models for a team', () => {
  it('lists the routed models and aliases, patterns left out, without calling any upstream', async () => {
    const team = await twoProviderTeam('models');
    const response = await call(teamGet('/v1/models', team.key));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      object: 'list',
      data: ['gpt-5', 'fast', 'llama'].map((id) => ({ id, object: 'model', created: 0, owned_by: `codex-edge/${team.id}` })),
    });
    const one = await call(teamGet('/v1/models/fast', team.key));
    expect(one.json).toMatchObject({ id: 'fast', object: 'model' });
    expect((await call(teamGet('/v1/models/claude', team.key))).status).toBe(404);
    expect([...(await sim.requests()), ...(await sim2.requests())]).toEqual([]);
  });

  it('is still relayed upstream for a single-upstream key', async () => {
    const response = await call(new Request('http://gateway.test/v1/models', { headers: { authorization: 'Bearer sk-client-key' } }));
    expect(response.json['data']).toEqual(expect.arrayContaining([expect.objectContaining({ owned_by: 'codex-edge-simulator' })]));
    expect(await sim.requests()).toHaveLength(1);
  });
});

describe('GET /v1/codex-config', () => {
  it('hands out a config.toml block for this deployment and team, without the key', async () => {
    const team = await twoProviderTeam('config');
    const response = await callGateway(teamGet('/v1/codex-config', team.key), TEAM_ENV);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/toml');
    const toml = await bodyText(response);
    expect(toml).toContain('model = "gpt-5"\nmodel_provider = "codex-edge"');
    expect(toml).toContain('base_url = "http://gateway.test/v1"');
    expect(toml).toContain('env_key = "CODEX_EDGE_API_KEY"');
    expect(toml).toContain('wire_api = "responses"');
    expect(toml).toContain(`name = "codex-edge (${team.id})"`);
    expect(toml).not.toContain(team.key);
    expect(toml).not.toContain('sk-');

    const chosen = await callGateway(
      new Request('http://gateway.test/v1/codex-config?model=oss-20b', { headers: { authorization: `Bearer ${team.key}` } }),
      TEAM_ENV,
    );
    expect(await bodyText(chosen)).toContain('model = "oss-20b"');
    // A model served only by a Chat provider is usable too: /v1/responses is translated for it.
    const chatOnly = await callGateway(
      new Request('http://gateway.test/v1/codex-config?model=llama', { headers: { authorization: `Bearer ${team.key}` } }),
      TEAM_ENV,
    );
    expect(await bodyText(chatOnly)).toContain('model = "llama"');
    const unrouted = await callGateway(
      new Request('http://gateway.test/v1/codex-config?model=claude', { headers: { authorization: `Bearer ${team.key}` } }),
      TEAM_ENV,
    );
    expect(unrouted.status).toBe(404);
    expect(simBaseUrl(1)).not.toBe(simBaseUrl(2));
  });
});
