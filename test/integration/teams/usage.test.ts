/**
 * Usage totals per team and day through the real Worker and the local D1: each relayed request
 * of a team key adds to its team's row of the day in the background (after a stream, when it
 * ends), read back through GET /admin/teams/{team}/usage: tokens from a streamed Responses turn,
 * a Chat stream with include_usage and a JSON answer; failures absorbed by a retry and by a
 * fallback; failures the client saw.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { callGateway, captureLogs, CODEX_HEADERS, sim, sseEvents } from '../support';
import { TEAM_ENV, admin, adminOk, call, createTeam, sim2, teamPost, type TestTeam } from './support';

type Json = Record<string, unknown>;

beforeEach(async () => {
  await Promise.all([sim.reset(), sim2.reset()]);
});

/** primary (simulator 1) then backup (simulator 2) for gpt-5; a Chat provider for llama. */
function usageTeam(label: string): Promise<TestTeam> {
  return createTeam(
    label,
    [
      { name: 'primary', sim: 1, api_key: 'sk-usage-primary' },
      { name: 'backup', sim: 2, api_key: 'sk-usage-backup' },
      { name: 'chatty', sim: 2, wire_api: 'chat', api_key: 'sk-usage-chat' },
    ],
    [
      { model: 'gpt-5', targets: [{ provider: 'primary' }, { provider: 'backup' }] },
      { model: 'solo', targets: [{ provider: 'primary' }] },
      { model: 'llama', targets: [{ provider: 'chatty' }] },
    ],
  );
}

/** The team's usage of today, once it counts at least `requests` (the write lands in the background). */
async function usageOf(teamId: string, requests: number): Promise<{ totals: Json; days: Json[] }> {
  const started = Date.now();
  for (;;) {
    const answer = await adminOk('GET', `/teams/${teamId}/usage`);
    const totals = answer['totals'] as Json;
    if (Number(totals['requests']) >= requests || Date.now() - started > 3_000) return { totals, days: answer['days'] as Json[] };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tokens = (usage: Json): Json => ({
  input_tokens: usage['input_tokens'] ?? usage['prompt_tokens'],
  output_tokens: usage['output_tokens'] ?? usage['completion_tokens'],
  total_tokens: usage['total_tokens'],
});

describe('usage rows', () => {
  it("a streamed Responses turn: its tokens from response.completed, on today's row; the log line has them too", async () => {
    const team = await usageTeam('stream');
    const { result: events, lines } = await captureLogs(async () =>
      sseEvents(await callGateway(teamPost('/v1/responses', team.key, { model: 'gpt-5', stream: true, input: 'hello there' }, CODEX_HEADERS), TEAM_ENV)),
    );
    const completed = events.at(-1) as { response: { usage: Json } };
    const { totals, days } = await usageOf(team.id, 1);
    expect(totals).toMatchObject({
      requests: 1,
      failed: 0,
      absorbed: 0,
      retries: 0,
      fallbacks: 0,
      metered: 1,
      ...tokens(completed.response.usage),
      cached_tokens: 0,
      reasoning_tokens: 0,
    });
    expect(days).toEqual([{ day: new Date().toISOString().slice(0, 10), ...totals }]);
    expect(lines.at(-1)).toMatchObject({
      team: team.id,
      usage: { input: completed.response.usage['input_tokens'], output: completed.response.usage['output_tokens'] },
    });
  });

  it('a Chat stream with stream_options.include_usage: the usage chunk', async () => {
    const team = await usageTeam('chat');
    const body = { model: 'llama', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] };
    const events = await sseEvents(await callGateway(teamPost('/v1/chat/completions', team.key, body), TEAM_ENV));
    const usageChunk = events.find(
      (event) => typeof event === 'object' && event !== null && (event as Json)['usage'] !== null && (event as Json)['usage'] !== undefined,
    ) as Json;
    const { totals } = await usageOf(team.id, 1);
    expect(totals).toMatchObject({ requests: 1, metered: 1, ...tokens(usageChunk['usage'] as Json) });
  });

  it('a Responses stream translated for a Chat provider: the usage of the translated response.completed', async () => {
    const team = await usageTeam('translated');
    const response = await callGateway(teamPost('/v1/responses', team.key, { model: 'llama', stream: true, input: 'hello there' }, CODEX_HEADERS), TEAM_ENV);
    const completed = (await sseEvents(response)).at(-1) as { type: string; response: { usage: Json } };
    expect(completed.type).toBe('response.completed');
    const { totals } = await usageOf(team.id, 1);
    expect(totals).toMatchObject({ requests: 1, metered: 1, ...tokens(completed.response.usage) });
  });

  it('a Chat stream without it counts the request, without tokens', async () => {
    const team = await usageTeam('chat-bare');
    await sseEvents(
      await callGateway(teamPost('/v1/chat/completions', team.key, { model: 'llama', stream: true, messages: [{ role: 'user', content: 'hi' }] }), TEAM_ENV),
    );
    expect((await usageOf(team.id, 1)).totals).toMatchObject({ requests: 1, metered: 0, input_tokens: 0 });
  });

  it("a JSON turn: the answer's usage", async () => {
    const team = await usageTeam('json');
    const answer = await call(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    expect((await usageOf(team.id, 1)).totals).toMatchObject({ requests: 1, metered: 1, ...tokens(answer.json['usage'] as Json) });
  });

  it('a request that needed retries: the failures it absorbed, by kind, and the retries', async () => {
    const team = await usageTeam('retry');
    await sim.faults({ kind: 'status', status: 503 }, { kind: 'reset' });
    expect((await call(teamPost('/v1/responses', team.key, { model: 'solo', input: 'hi' }))).status).toBe(200);
    expect((await usageOf(team.id, 1)).totals).toMatchObject({
      requests: 1,
      failed: 0,
      absorbed: 1,
      absorbed_5xx: 1,
      absorbed_transport: 1,
      // The reset after the 503 is taken for our own stale connection: reconnected at once, no retry.
      retries: 1,
      fallbacks: 0,
    });
  });

  it('a fallback to the next provider', async () => {
    const team = await usageTeam('fallback');
    await sim.faults({ kind: 'status', status: 503 });
    const answer = await call(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    expect(answer.headers.get('x-edge-upstream')).toBe('backup');
    expect((await usageOf(team.id, 1)).totals).toMatchObject({ requests: 1, absorbed: 1, absorbed_5xx: 1, retries: 1, fallbacks: 1, metered: 1 });
  });

  it('failures the client saw: a final error, a stream that broke', async () => {
    const team = await usageTeam('failed');
    await sim.faults({ kind: 'status', status: 400 }, { kind: 'cut', afterEvents: 3 });
    expect((await call(teamPost('/v1/responses', team.key, { model: 'solo', input: 'hi' }))).status).toBe(400);
    await sseEvents(await callGateway(teamPost('/v1/responses', team.key, { model: 'solo', stream: true, input: 'hi' }), TEAM_ENV));
    expect((await usageOf(team.id, 2)).totals).toMatchObject({ requests: 2, failed: 2, absorbed: 0, metered: 0 });
  });

  it('requests refused before the relay (over a limit, an unknown model) are not counted', async () => {
    const team = await usageTeam('refused');
    await adminOk('PATCH', `/teams/${team.id}`, { rpm: 1 });
    await call(teamPost('/v1/responses', team.key, { model: 'nope', input: 'hi' }));
    expect((await call(teamPost('/v1/responses', team.key, { model: 'solo', input: 'hi' }))).status).toBe(200);
    expect((await call(teamPost('/v1/responses', team.key, { model: 'solo', input: 'hi' }))).status).toBe(429);
    expect((await usageOf(team.id, 1)).totals).toMatchObject({ requests: 1 });
  });
});

describe('GET /admin/teams/{team}/usage', () => {
  it('days in range and their totals; nothing outside the range', async () => {
    const team = await usageTeam('range');
    await call(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi' }));
    await call(teamPost('/v1/responses', team.key, { model: 'gpt-5', input: 'hi again' }));
    const today = new Date().toISOString().slice(0, 10);
    const answer = await adminOk('GET', `/teams/${team.id}/usage?from=${today}&to=${today}`);
    expect(answer).toMatchObject({ object: 'team.usage', team_id: team.id, from: today, to: today, totals: { requests: 2, metered: 2 } });
    expect(answer['days']).toHaveLength(1);
    const past = await adminOk('GET', `/teams/${team.id}/usage?from=2020-01-01&to=2020-01-31`);
    expect(past).toMatchObject({ days: [], totals: { requests: 0 } });
  });

  it.each<[string, string, number, string]>([
    ['a day that does not exist', '?from=2030-02-30', 400, 'from'],
    ['from after to', '?from=2030-02-02&to=2030-02-01', 400, 'from'],
    ['more than a year', '?from=2020-01-01&to=2030-01-01', 400, 'from'],
    ['a to that is not a day', '?to=today', 400, 'to'],
  ])('%s → 400 naming the field', async (_name, query, status, param) => {
    const team = await usageTeam('usage-valid');
    const refused = await admin('GET', `/teams/${team.id}/usage${query}`);
    expect(refused.status).toBe(status);
    expect(refused.json['error']).toMatchObject({ code: 'invalid_value', param });
  });

  it('an unknown team → 404', async () => {
    const missing = await admin('GET', '/teams/nobody-here/usage');
    expect(missing.status).toBe(404);
    expect(missing.json['error']).toMatchObject({ code: 'team_not_found' });
  });
});
