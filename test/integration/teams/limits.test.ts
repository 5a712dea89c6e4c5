/**
 * Team and key limits through the real Worker, the local D1 and the real TeamLimiter Durable
 * Object: a request over a limit gets a 429 naming the limit, with Retry-After and
 * retry-after-ms, and never reaches the provider; a concurrency slot is freed when a stream
 * ends and when the client goes away; one team at its limit takes nothing from another.
 */
import { createExecutionContext, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import type { TeamLimiterObject } from '../../../src/upstream/limiter-object';
import { CODEX_HEADERS, captureLogs, gatewayEnv, sim, sseEvents, typesOf } from '../support';
import { TEAM_ENV, adminOk, call, createTeam, teamPost, type TestTeam } from './support';

const SDK_HEADERS = { 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js' };

beforeEach(async () => {
  await sim.reset();
});

/** A team on simulator 1 (model gpt-test) with the given limits. */
async function limitedTeam(label: string, limits: Record<string, number | null>): Promise<TestTeam> {
  const team = await createTeam(
    label,
    [{ name: 'primary', sim: 1, api_key: 'sk-limits-upstream' }],
    [{ model: 'gpt-test', targets: [{ provider: 'primary' }] }],
  );
  if (Object.keys(limits).length > 0) await adminOk('PATCH', `/teams/${team.id}`, limits);
  return team;
}

const jsonTurn = (key: string) => teamPost('/v1/responses', key, { model: 'gpt-test', input: 'hi' }, SDK_HEADERS);
const streamTurn = (key: string, headers: Record<string, string> = SDK_HEADERS) =>
  teamPost('/v1/responses', key, { model: 'gpt-test', input: 'hi', stream: true }, headers);

/**
 * A request whose response is handed back unread and whose work is left running: a stream stays
 * open until the test reads it, drops it, or its idle timeout ends it (the gateway relays into
 * workerd's buffer without a reader, so only the idle cap ends a stalled one).
 */
async function open(request: Request, overrides: Partial<Cloudflare.Env> = {}): Promise<Response> {
  return worker.fetch(request, gatewayEnv({ ...TEAM_ENV, ...overrides }), createExecutionContext());
}

/** Long enough for the test to act while the stalled stream is still open. */
const HOLD: Partial<Cloudflare.Env> = { STREAM_IDLE_TIMEOUT_MS: '1500' };
/** Past the Responses preamble (created, in_progress, the output item), then silence: the gateway commits to the stream at once. */
const STALL = { kind: 'stall', afterEvents: 4 } as const;

/** Retries `request` until it is admitted (a release lands in the background), up to `ms`. */
async function admittedWithin(ms: number, request: () => Request): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answer = await call(request());
    if (answer.status !== 429 || Date.now() - started > ms) return answer.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('requests per minute', () => {
  it('a team over its rpm gets a 429 naming the limit, with the wait, and the provider never sees it', async () => {
    const team = await limitedTeam('rpm', { rpm: 2 });
    expect((await call(jsonTurn(team.key))).status).toBe(200);
    expect((await call(jsonTurn(team.key))).status).toBe(200);
    const { result: refused, lines } = await captureLogs(() => call(jsonTurn(team.key)));
    expect(refused.status).toBe(429);
    expect(refused.json['error']).toMatchObject({
      code: 'team_rate_limited',
      type: 'rate_limit_error',
      message: expect.stringContaining('limit of 2 requests per minute (rpm)') as unknown,
    });
    const waitMs = Number(refused.headers.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(55_000);
    expect(waitMs).toBeLessThanOrEqual(60_000);
    expect(refused.headers.get('retry-after')).toBe(String(Math.ceil(waitMs / 1000)));
    expect(refused.headers.get('x-should-retry')).toBe('true');
    expect(await sim.requests()).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({
      team: team.id,
      status: 429,
      error_code: 'team_rate_limited',
      limit: { scope: 'team', limit: 'rpm', max: 2, retry_in_ms: waitMs },
    });
  });

  it('a key over its own rpm is refused while another key of the team is served', async () => {
    const team = await limitedTeam('own-rpm', {});
    const limitedKey = String((await adminOk('POST', `/teams/${team.id}/keys`, { name: 'ci', rpm: 1 }))['key']);
    expect((await call(jsonTurn(limitedKey))).status).toBe(200);
    const refused = await call(jsonTurn(limitedKey));
    expect(refused.status).toBe(429);
    expect(refused.json['error']).toMatchObject({ code: 'api_key_rate_limited', message: expect.stringMatching(/key cxe_\w{8}… of team/) as unknown });
    expect((await call(jsonTurn(team.key))).status).toBe(200);
    expect(await sim.requests()).toHaveLength(2);
  });

  it('Codex on a Responses stream is told to wait the way it waits: response.failed with "try again in"', async () => {
    const team = await limitedTeam('codex', { rpm: 1 });
    expect((await call(jsonTurn(team.key))).status).toBe(200);
    const refused = await open(streamTurn(team.key, CODEX_HEADERS));
    expect(refused.status).toBe(200);
    const [failed] = await sseEvents(refused);
    expect(failed).toMatchObject({
      type: 'response.failed',
      response: {
        error: { code: 'rate_limit_exceeded', message: expect.stringMatching(/^try again in \d+(\.\d)?s: .*limit of 1 request per minute/) as unknown },
      },
    });
  });

  it('one team at its limit takes nothing from another', async () => {
    const busy = await limitedTeam('storm', { rpm: 1 });
    const calm = await limitedTeam('calm', { rpm: 100 });
    const free = await limitedTeam('free', {});
    expect((await call(jsonTurn(busy.key))).status).toBe(200);
    const storm = await Promise.all(Array.from({ length: 10 }, () => call(jsonTurn(busy.key))));
    expect(storm.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 429));
    expect((await call(jsonTurn(calm.key))).status).toBe(200);
    expect((await call(jsonTurn(free.key))).status).toBe(200);
    expect(await sim.requests()).toHaveLength(3);
  });
});

describe('requests in flight', () => {
  it('a second stream while the first runs gets 429 team_concurrency_limited (wait 1 s); when the first ends, the slot is free', async () => {
    const team = await limitedTeam('streams', { max_streams: 1 });
    await sim.faults(STALL);
    const first = await open(streamTurn(team.key), HOLD);
    expect(first.status).toBe(200);
    const refused = await call(streamTurn(team.key));
    expect(refused.status).toBe(429);
    expect(refused.json['error']).toMatchObject({ code: 'team_concurrency_limited' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('retry-after-ms')).toBe('1000');
    expect(await sim.requests()).toHaveLength(1);
    // The stalled stream ends after the idle timeout, with the closing event the gateway owes.
    expect(typesOf(await sseEvents(first)).at(-1)).toBe('response.failed');
    expect(await admittedWithin(2_000, () => jsonTurn(team.key))).toBe(200);
  });

  it('a client that goes away frees its slot', async () => {
    const team = await limitedTeam('gone', { max_streams: 1 });
    await sim.faults(STALL);
    const controller = new AbortController();
    const first = await open(new Request(streamTurn(team.key), { signal: controller.signal }), HOLD);
    const reader = first.body?.getReader();
    await reader?.read();
    expect((await call(jsonTurn(team.key))).status).toBe(429);
    controller.abort();
    await reader?.cancel().catch(() => undefined);
    // Within 1 s: freed by the client's leaving, not by the stream's idle end (1.5 s).
    expect(await admittedWithin(1_000, () => jsonTurn(team.key))).toBe(200);
  });

  it('a whole JSON answer frees its slot at once', async () => {
    const team = await limitedTeam('json', { max_streams: 1 });
    for (let i = 0; i < 3; i += 1) expect((await call(jsonTurn(team.key))).status).toBe(200);
  });

  it('a key limited to one stream is refused with api_key_concurrency_limited', async () => {
    const team = await limitedTeam('own-streams', {});
    const key = String((await adminOk('POST', `/teams/${team.id}/keys`, { max_streams: 1 }))['key']);
    await sim.faults(STALL);
    const first = await open(streamTurn(key), HOLD);
    const refused = await call(jsonTurn(key));
    expect(refused.json['error']).toMatchObject({ code: 'api_key_concurrency_limited' });
    expect((await call(jsonTurn(team.key))).status).toBe(200); // the team has no limit
    await sseEvents(first);
  });
});

describe('the limiter binding', () => {
  /** A stand-in for the TEAM_LIMITER namespace that counts calls, and fails them when asked. */
  function fakeLimiter(fail: boolean): { binding: Partial<Cloudflare.Env>; calls: () => number } {
    let calls = 0;
    const namespace = {
      idFromName: (name: string) => name,
      get: () => ({
        acquire: () => {
          calls += 1;
          return fail ? Promise.reject(new Error('limiter unreachable')) : Promise.resolve({ kind: 'admitted', lease: null });
        },
      }),
    };
    return { binding: { TEAM_LIMITER: namespace as unknown as Cloudflare.Env['TEAM_LIMITER'] }, calls: () => calls };
  }

  it('an unlimited team never calls it', async () => {
    const team = await limitedTeam('unlimited', {});
    const limiter = fakeLimiter(false);
    expect((await call(jsonTurn(team.key), limiter.binding)).status).toBe(200);
    expect(limiter.calls()).toBe(0);
  });

  it('a limited team calls it once per request, and is served when it cannot be reached', async () => {
    const team = await limitedTeam('unreachable', { rpm: 1 });
    const limiter = fakeLimiter(true);
    for (let i = 0; i < 3; i += 1) expect((await call(jsonTurn(team.key), limiter.binding)).status).toBe(200);
    expect(limiter.calls()).toBe(3);
  });

  it('the deployment default applies to a team without limits of its own', async () => {
    const team = await limitedTeam('default', {});
    const env = { TEAM_DEFAULT_RPM: '1' };
    expect((await call(jsonTurn(team.key), env)).status).toBe(200);
    expect((await call(jsonTurn(team.key), env)).json['error']).toMatchObject({ code: 'team_rate_limited' });
  });
});

describe('the TeamLimiter object', () => {
  it('a lease renewed while its stream runs still counts past its term; one left alone frees its slot', async () => {
    const namespace = env.TEAM_LIMITER;
    if (namespace === undefined) throw new Error('wrangler.toml binds TEAM_LIMITER');
    const scopes = [{ scope: 'team', id: 'team', limits: { rpm: null, maxStreams: 1 } }] as const;
    const [renewed, alone] = ['renewed', 'alone'].map((name) => namespace.get(namespace.idFromName(`lease-${name}-${Date.now()}`))) as [
      DurableObjectStub<TeamLimiterObject>,
      DurableObjectStub<TeamLimiterObject>,
    ];
    for (const stub of [renewed, alone]) {
      expect(await stub.acquire(scopes)).toMatchObject({ kind: 'admitted', leaseMs: 15 * 60_000 });
      // As if the lease's 15 minutes had all but run out while its stream still runs.
      await runInDurableObject(stub, (_instance, state) => state.storage.sql.exec('UPDATE leases SET expires_at = ?', Date.now() + 100));
    }
    const verdict = await renewed.acquire(scopes);
    expect(verdict).toMatchObject({ kind: 'limited' });
    const [lease] = await runInDurableObject(renewed, (_instance, state) => state.storage.sql.exec<{ lease: string }>('SELECT lease FROM leases').toArray());
    await renewed.renew(lease?.lease ?? '');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await renewed.acquire(scopes)).toMatchObject({ kind: 'limited', hit: { limit: 'max_streams' } });
    expect(await alone.acquire(scopes)).toMatchObject({ kind: 'admitted' });
  });
});
