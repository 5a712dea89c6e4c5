/**
 * Hosted mode with Chat-Completions-only providers: a team provider with `wire_api: chat` serves
 * /v1/responses translated, with the capabilities set through the admin API; routes mix Responses
 * and Chat providers, fallbacks included, in both directions.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, callGateway, captureLogs, sim, sseEvents, typesOf } from '../support';
import { adminOk, call, createTeam, sim2, TEAM_ENV, teamPost, type TestTeam } from './support';

beforeEach(async () => {
  await Promise.all([sim.reset(), sim2.reset()]);
  await sim2.options({ chatStrict: true });
});

/** primary (Responses) on simulator 1, chatty (Chat, strict) on simulator 2. */
function mixedTeam(label: string): Promise<TestTeam> {
  return createTeam(
    label,
    [
      { name: 'primary', sim: 1, api_key: 'sk-primary-upstream-secret' },
      { name: 'chatty', sim: 2, wire_api: 'chat', api_key: 'sk-chatty-upstream-secret' },
    ],
    [
      { model: 'llama', targets: [{ provider: 'chatty', model: 'llama-3-70b' }] },
      { model: 'chat-first', targets: [{ provider: 'chatty' }, { provider: 'primary' }] },
      { model: 'responses-first', targets: [{ provider: 'primary' }, { provider: 'chatty' }] },
    ],
  );
}

const codexTurn = (team: TestTeam, model: string, input: unknown = 'hi') => teamPost('/v1/responses', team.key, { model, stream: true, input }, CODEX_HEADERS);

describe('a team provider with wire_api chat', () => {
  it('serves /v1/responses translated, under its route model name', async () => {
    const team = await mixedTeam('chat-serves');
    const { result, lines } = await captureLogs(async () => {
      const response = await callGateway(codexTurn(team, 'llama'), TEAM_ENV);
      return { response, events: await sseEvents(response) };
    });
    const { response, events } = result;
    expect(response.headers.get('x-edge-upstream')).toBe('chatty');
    expect(typesOf(events).at(-1)).toBe('response.completed');
    const [upstream] = await sim2.requests();
    expect(upstream?.path).toBe('/v1/chat/completions');
    expect(JSON.parse(upstream?.body ?? '{}')).toMatchObject({ model: 'llama-3-70b', messages: [{ role: 'user', content: 'hi' }] });
    expect(lines[0]).toMatchObject({ team: team.id, translation: { to: 'chat' } });
  });

  it('takes its capabilities from the admin API (and shows them back)', async () => {
    const team = await mixedTeam('chat-caps');
    const updated = await adminOk('PATCH', `/teams/${team.id}/providers/chatty`, { capabilities: { developer_role: true, system_anywhere: true } });
    expect(updated['capabilities']).toEqual({ developer_role: true, system_anywhere: true });
    expect((await adminOk('GET', `/teams/${team.id}/providers/chatty`))['capabilities']).toEqual({ developer_role: true, system_anywhere: true });
    await sim2.options({ chatStrict: false }); // a provider that takes the developer role anywhere
    const input = [
      { role: 'developer', content: 'first' },
      { role: 'user', content: 'hi' },
      { role: 'developer', content: 'later' },
    ];
    const response = await callGateway(codexTurn(team, 'llama', input), TEAM_ENV);
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
    const [upstream] = await sim2.requests();
    expect((JSON.parse(upstream?.body ?? '{}') as { messages: unknown }).messages).toEqual([
      { role: 'system', content: 'first' },
      { role: 'user', content: 'hi' },
      { role: 'developer', content: 'later' },
    ]);
    const reset = await adminOk('PATCH', `/teams/${team.id}/providers/chatty`, { capabilities: null });
    expect(reset['capabilities']).toEqual({});
  });

  it('refuses capabilities it does not know, naming the field', async () => {
    const team = await mixedTeam('chat-bad-caps');
    const result = await call(
      new Request(`http://gateway.test/admin/teams/${team.id}/providers/chatty`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${String(TEAM_ENV.ADMIN_TOKEN)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ capabilities: { developer: true } }),
      }),
    );
    expect(result.status).toBe(400);
    expect(result.json['error']).toMatchObject({ param: 'capabilities', message: expect.stringContaining('"developer" is not a capability') as string });
  });
});

describe('routes mixing Responses and Chat providers', () => {
  it('a failing Chat provider falls back to a Responses one', async () => {
    const team = await mixedTeam('chat-to-responses');
    await sim2.faults({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const response = await callGateway(codexTurn(team, 'chat-first'), TEAM_ENV);
    expect(response.headers.get('x-edge-upstream')).toBe('primary');
    expect(response.headers.get('x-edge-fallbacks')).toContain('chatty');
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
    expect((await sim.requests())[0]?.path).toBe('/v1/responses');
  });

  it('a request a Chat provider cannot take goes to the Responses provider of the route, untouched', async () => {
    const team = await mixedTeam('untranslatable-skips');
    const response = await callGateway(
      teamPost('/v1/responses', team.key, { model: 'chat-first', stream: true, input: 'hi', previous_response_id: 'resp_1' }, CODEX_HEADERS),
      TEAM_ENV,
    );
    expect(response.headers.get('x-edge-upstream')).toBe('primary');
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
    expect(await sim2.requests()).toEqual([]);
    expect(JSON.parse((await sim.requests())[0]?.body ?? '{}')).toMatchObject({ previous_response_id: 'resp_1' });
  });

  it('a failing Responses provider falls back to a Chat one, translated', async () => {
    const team = await mixedTeam('responses-to-chat');
    await sim.faults({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const response = await callGateway(codexTurn(team, 'responses-first'), TEAM_ENV);
    expect(response.headers.get('x-edge-upstream')).toBe('chatty');
    const events = await sseEvents(response);
    expect(typesOf(events).at(-1)).toBe('response.completed');
    expect((await sim2.requests())[0]?.path).toBe('/v1/chat/completions');
  });
});
