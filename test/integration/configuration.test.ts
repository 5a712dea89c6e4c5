/**
 * What a deployment says about its own configuration: `/healthz` names the mode and any problem,
 * with what to do; the first request an isolate serves (any route) logs a misconfiguration once;
 * a gateway that serves nothing says so instead of only refusing keys.
 */
import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/index';
import { GATEWAY, errorOf, post } from './support';

/** One env object per deployment: the Worker checks its configuration once per env, as once per isolate. */
function deployment(overrides: Partial<Cloudflare.Env>): Cloudflare.Env {
  return { ...env, UPSTREAM_BASE_URL: inject('upstreamBaseUrl'), ...overrides };
}

async function send(request: Request, bindings: Cloudflare.Env): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const health = (bindings: Cloudflare.Env): Promise<Response> => send(new Request(`${GATEWAY}/healthz`), bindings);

/** The configuration lines the Worker wrote (console.warn / console.error) while `run` ran. */
async function configurationLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const warn = vi.spyOn(console, 'warn');
  const error = vi.spyOn(console, 'error');
  try {
    await run();
    return [...warn.mock.calls, ...error.mock.calls]
      .map((args) => JSON.parse(String(args[0])) as Record<string, unknown>)
      .filter((line) => line['msg'] === 'configuration');
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  await applyD1Migrations(env.NO_TEAMS_DB, env.TEST_MIGRATIONS);
});

describe('npm run dev without an upstream: a registry without teams, no UPSTREAM_BASE_URL', () => {
  const unconfigured = (): Cloudflare.Env => deployment({ UPSTREAM_BASE_URL: '', DB: env.NO_TEAMS_DB });

  it('/healthz says that nothing is configured, and how to fix it', async () => {
    const response = await health(unconfigured());
    expect(response.status).toBe(200);
    const status = await response.json<{ status: string; mode: string; teams: number; problems: string[] }>();
    expect(status).toMatchObject({ status: 'unconfigured', mode: 'teams', teams: 0 });
    expect(status.problems).toHaveLength(1);
    expect(status.problems[0]).toContain('no upstream and no team is configured');
    expect(status.problems[0]).toContain('npm run dev -- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1');
    expect(status.problems[0]).toContain('set ADMIN_TOKEN'); // the admin API is off too
    expect(status.problems[0]).toContain('npm run admin -- teams create');
  });

  it('logs it once, on the first request of whatever route, and a key is told why it is refused', async () => {
    const bindings = unconfigured();
    const lines = await configurationLines(async () => {
      const refused = await send(post('/v1/responses', { model: 'gpt-test', input: 'hi' }), bindings);
      expect(refused.status).toBe(401);
      const error = await errorOf(refused);
      expect(error.message).toContain('UPSTREAM_BASE_URL is not set');
      expect(error.message).toContain('npm run dev -- --var UPSTREAM_BASE_URL:');
      await health(bindings);
      await send(new Request(`${GATEWAY}/v1/models`), bindings);
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', status: 'unconfigured', mode: 'teams' });

    const firstIsAdmin = await configurationLines(() => send(new Request(`${GATEWAY}/admin/teams`), unconfigured()));
    expect(firstIsAdmin).toHaveLength(1);
  });

  it('with ADMIN_TOKEN set, the advice is to create a team', async () => {
    const status = await (
      await health(deployment({ UPSTREAM_BASE_URL: '', DB: env.NO_TEAMS_DB, ADMIN_TOKEN: 'test-admin-token-0123456789abcdef' }))
    ).json<{ problems: string[] }>();
    expect(status.problems[0]).toContain('create a team with the admin CLI');
    expect(status.problems[0]).not.toContain('set ADMIN_TOKEN');
  });
});

describe('/healthz names the mode', () => {
  it('single-upstream: no registry', async () => {
    const bindings = deployment({ DB: undefined });
    const lines = await configurationLines(async () => {
      expect(await (await health(bindings)).json()).toEqual({ status: 'ok', mode: 'single-upstream', teams: null, problems: [] });
    });
    expect(lines).toEqual([]);
  });

  it('teams and both: the registry with its team count', async () => {
    await env.DB.prepare("INSERT OR IGNORE INTO teams (id, name, created_at, updated_at) VALUES ('health-team', 'h', '2030-01-01', '2030-01-01')").run();
    const teams = await (await health(deployment({ UPSTREAM_BASE_URL: '' }))).json<{ status: string; mode: string; teams: number }>();
    expect(teams).toMatchObject({ status: 'ok', mode: 'teams', problems: [] });
    expect(teams.teams).toBeGreaterThan(0);
    expect(await (await health(deployment({}))).json()).toMatchObject({ status: 'ok', mode: 'both', problems: [] });
  });
});

describe('an invalid setting', () => {
  it('is logged once, naming it, from the first request on (/healthz included)', async () => {
    const bindings = deployment({ RETRY_BUDGET_MS: 'soon' });
    const lines = await configurationLines(async () => {
      expect((await health(bindings)).status).toBe(500);
      expect((await send(post('/v1/responses', { model: 'gpt-test', input: 'hi' }), bindings)).status).toBeGreaterThanOrEqual(400);
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', status: 'misconfigured' });
    expect(String((lines[0]?.['problems'] as string[])[0])).toContain('RETRY_BUDGET_MS');
  });
});
