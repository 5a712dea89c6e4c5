/**
 * Who may use the gateway and what crosses it: bring-your-own-key, the owner's key with
 * client keys (never an open relay), configuration errors that name the setting, and the
 * headers that go up and come back. No key reaches a response or a log line.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, GATEWAY, callGateway, captureLogs, errorOf, post, sim } from './support';

beforeEach(() => sim.reset());

const OWNER = { UPSTREAM_API_KEY: 'sk-owner-secret-0123456789', GATEWAY_API_KEYS: 'team-key-one-abcdef, team-key-two-ghijkl' };
const turn = (headers: Record<string, string>) => post('/v1/responses', { model: 'gpt-test', input: 'hi' }, headers);

describe('bring your own key (UPSTREAM_BASE_URL only)', () => {
  it("forwards the client's Authorization and Codex's identity headers; strips hop-by-hop ones", async () => {
    const response = await callGateway(
      turn({
        ...CODEX_HEADERS,
        authorization: 'Bearer sk-client-own-key',
        'session-id': 'sess-1',
        'x-codex-turn-state': 'state-1',
        'x-codex-turn-metadata': '{"workspace":"secret-repo"}',
        'openai-beta': 'responses=v1',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        cookie: 'session=abc',
      }),
    );
    expect(response.status).toBe(200);
    const [upstream] = await sim.requests();
    expect(upstream?.headers).toMatchObject({
      authorization: 'Bearer sk-client-own-key',
      originator: 'codex_exec',
      'session-id': 'sess-1',
      'x-codex-turn-state': 'state-1',
      'openai-beta': 'responses=v1',
    });
    expect(upstream?.headers['cookie']).toBeUndefined();
    expect(upstream?.headers['keep-alive']).toBeUndefined();
  });
});

describe("the owner's key (UPSTREAM_API_KEY + GATEWAY_API_KEYS)", () => {
  it.each(['Authorization', 'x-api-key'])("a client key in %s admits the request; the owner's key goes upstream", async (header) => {
    const value = header === 'Authorization' ? 'Bearer team-key-two-ghijkl' : 'team-key-two-ghijkl';
    const response = await callGateway(turn({ [header.toLowerCase()]: value, authorization: header === 'Authorization' ? value : '' }), OWNER);
    expect(response.status).toBe(200);
    const [upstream] = await sim.requests();
    expect(upstream?.headers['authorization']).toBe('Bearer sk-owner-secret-0123456789');
    expect(upstream?.headers['x-api-key']).toBeUndefined();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no key', { authorization: '' }, /missing API key/],
    ['a wrong key', { authorization: 'Bearer team-key-three' }, /invalid API key/],
  ])('%s → 401, nothing goes upstream', async (_name, headers, message) => {
    const response = await callGateway(turn(headers), OWNER);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toMatch(message);
    expect(await sim.requests()).toHaveLength(0);
  });

  it('Codex gets its 401 as a 400, so it stops instead of retrying six times', async () => {
    const response = await callGateway(turn({ ...CODEX_HEADERS, authorization: 'Bearer wrong' }), OWNER);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
  });

  it('with an upstream key and no client keys, every request is refused: never an open relay', async () => {
    const { result: response, lines } = await captureLogs(() =>
      callGateway(turn({ authorization: 'Bearer anything' }), { UPSTREAM_API_KEY: 'sk-owner-secret-0123456789', GATEWAY_API_KEYS: '' }),
    );
    expect(response.status).toBe(500);
    const error = await errorOf(response);
    expect(error.code).toBe('gateway_misconfigured');
    expect(error.message).toContain('GATEWAY_API_KEYS');
    expect(lines[0]?.['error']).toContain('GATEWAY_API_KEYS');
    expect(await sim.requests()).toHaveLength(0);
  });

  it('no secret reaches a response or the log line', async () => {
    await sim.faults({
      kind: 'status',
      status: 401,
      body: { error: { message: 'Incorrect API key provided: sk-owner-secret-0123456789', type: 'invalid_request_error', code: 'invalid_api_key' } },
    });
    const { result, lines } = await captureLogs(async () => {
      const response = await callGateway(turn({ authorization: 'Bearer team-key-one-abcdef', 'x-codex-turn-metadata': '{"remote":"git@secret"}' }), OWNER);
      return { status: response.status, headers: [...response.headers].join('\n'), body: await response.text() };
    });
    expect(result.status).toBe(401);
    const everything = `${result.headers}\n${result.body}\n${JSON.stringify(lines)}`;
    for (const secret of ['sk-owner-secret-0123456789', 'owner-secret', 'team-key-one-abcdef', 'git@secret']) expect(everything).not.toContain(secret);
  });
});

describe('configuration errors name the setting, in the response and in the log', () => {
  it.each<[string, Partial<Cloudflare.Env>, string]>([
    ['missing upstream (self-deploy, no team registry)', { UPSTREAM_BASE_URL: '', DB: undefined }, 'UPSTREAM_BASE_URL'],
    ['an upstream that is not a URL', { UPSTREAM_BASE_URL: 'not a url' }, 'UPSTREAM_BASE_URL'],
    ['a tunable that is not a number', { RETRY_BUDGET_MS: 'soon' }, 'RETRY_BUDGET_MS'],
    ['a tunable out of range', { STREAM_IDLE_TIMEOUT_MS: '5' }, 'STREAM_IDLE_TIMEOUT_MS'],
  ])('%s', async (_name, env, setting) => {
    const { result: response, lines } = await captureLogs(() => callGateway(turn(CODEX_HEADERS), env));
    // Final for every client: Codex sees 400 and stops, instead of retrying a broken deployment.
    expect(response.status).toBe(400);
    expect(response.headers.get('x-should-retry')).toBe('false');
    const error = await errorOf(response);
    expect(error.message).toContain(setting);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(lines[0]?.['error']).toContain(setting);
    const health = await callGateway(new Request(`${GATEWAY}/healthz`), env);
    expect(health.status).toBe(500);
    expect((await errorOf(health)).message).toContain(setting);
  });
});
