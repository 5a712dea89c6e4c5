/**
 * The whole team onboarding, for real: the built Worker under Miniflare with a fresh local D1
 * registry (`wrangler d1 migrations apply`), the admin CLI (scripts/admin.ts) to create a team, its
 * provider (a simulator), its routes and a key, then the Codex CLI (0.169.0) completing a turn
 * with that team key and the config block the gateway handed out; and a team's limits and usage
 * through the CLI, on the built Worker with its TeamLimiter Durable Object.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietCodexConfig, runCodex } from '../../scripts/lib/codex';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';
import { runCommand, type RunResult } from '../../scripts/lib/run';
import { startSimulator, type Simulator } from '../../simulator/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
const UPSTREAM_KEY = 'sk-e2e-team-upstream-secret';

let sim: Simulator;
let gateway: Gateway;

/** `npm run admin -- ...args` against the gateway. */
async function adminCli(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  const result = await runCommand(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CODEX_EDGE_URL: gateway.url, ADMIN_TOKEN, ...env },
  });
  expect(result.code, `admin ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  sim = await startSimulator();
  gateway = await startGateway({ ADMIN_TOKEN, ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' }, { registry: true });
});

afterAll(async () => {
  // Unset when beforeAll failed half-way.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await gateway?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await sim?.close();
});

describe('team onboarding with the admin CLI, then the Codex CLI', () => {
  it('completes a Codex turn with the team key and the handed-out config, routed and rewritten', async () => {
    await adminCli(['teams', 'create', '--id', 'acme', '--name', 'Acme Inc']);
    await adminCli(['providers', 'create', 'acme', '--name', 'sim', '--base-url', sim.baseUrl, '--wire-api', 'responses', '--api-key-env', 'SIM_KEY'], {
      SIM_KEY: UPSTREAM_KEY,
    });
    await adminCli(['routes', 'set', 'acme', '--route', 'gpt-edge,edge=sim(gpt-test)']);
    const created = await adminCli(['keys', 'create', 'acme', '--name', 'e2e']);
    const teamKey = String((JSON.parse(created.stdout) as Record<string, unknown>)['key']);
    expect(teamKey).toMatch(/^cxe_/);
    expect(created.stderr).toContain('shown once');

    const config = await adminCli(['codex-config'], { CODEX_EDGE_API_KEY: teamKey });
    expect(config.stdout).toContain(`base_url = "${gateway.baseUrl}"`);
    expect(config.stdout).toContain('model = "gpt-edge"');
    expect(config.stdout).not.toContain(teamKey);

    // The handed-out block as is, with the lines that keep Codex quiet and local around it.
    const configToml = quietCodexConfig(config.stdout);
    gateway.clearLogs();
    const codex = await runCodex({ baseUrl: gateway.baseUrl, apiKey: 'unused', configToml, env: { CODEX_EDGE_API_KEY: teamKey } });
    expect(codex.code, codex.stderr).toBe(0);

    const turns = sim.requests.filter((request) => request.method === 'POST' && request.path === '/v1/responses');
    expect(turns.length).toBeGreaterThanOrEqual(1);
    for (const turn of turns) {
      expect((JSON.parse(turn.body) as Record<string, unknown>)['model']).toBe('gpt-test');
      expect(turn.headers['authorization']).toBe(`Bearer ${UPSTREAM_KEY}`);
      expect(JSON.stringify(turn.headers)).not.toContain(teamKey);
    }
    const line = JSON.parse(await gateway.waitForLog(/"msg":"request".*"route":"\/v1\/responses"/)) as Record<string, unknown>;
    expect(line).toMatchObject({ team: 'acme', model: 'gpt-edge', client: 'codex', status: 200 });
    expect(gateway.logs().join('\n')).not.toContain(teamKey);
    expect(gateway.logs().join('\n')).not.toContain(UPSTREAM_KEY);
  });

  it("with a provider that uses the developer's own key: the team key travels in x-api-key, the own key upstream", async () => {
    await adminCli(['teams', 'create', '--id', 'byok', '--name', 'Bring your own key']);
    await adminCli(['providers', 'create', 'byok', '--name', 'own', '--base-url', sim.baseUrl, '--wire-api', 'responses', '--client-key']);
    await adminCli(['routes', 'set', 'byok', '--route', 'gpt-test=own']);
    const teamKey = String((JSON.parse((await adminCli(['keys', 'create', 'byok'])).stdout) as Record<string, unknown>)['key']);
    const config = (await adminCli(['codex-config'], { CODEX_EDGE_API_KEY: teamKey })).stdout;
    expect(config).toContain('env_key = "CODEX_EDGE_PROVIDER_KEY"');
    expect(config).toContain('env_http_headers = { "x-api-key" = "CODEX_EDGE_API_KEY" }');

    sim.reset();
    const configToml = quietCodexConfig(config);
    const codex = await runCodex({
      baseUrl: gateway.baseUrl,
      apiKey: 'unused',
      configToml,
      env: { CODEX_EDGE_API_KEY: teamKey, CODEX_EDGE_PROVIDER_KEY: 'sk-developer-own-key' },
    });
    expect(codex.code, codex.stderr).toBe(0);
    const [turn] = sim.requests.filter((request) => request.path === '/v1/responses');
    expect(turn?.headers['authorization']).toBe('Bearer sk-developer-own-key');
    expect(JSON.stringify(turn?.headers)).not.toContain(teamKey);
  });

  it('limits and usage with the CLI: a team held to 2 requests a minute gets a 429 on the third, and its usage counts the two', async () => {
    await adminCli(['teams', 'create', '--id', 'quota', '--name', 'Quota', '--rpm', '2', '--max-streams', '1']);
    await adminCli(['providers', 'create', 'quota', '--name', 'sim', '--base-url', sim.baseUrl, '--wire-api', 'responses', '--api-key-env', 'SIM_KEY'], {
      SIM_KEY: UPSTREAM_KEY,
    });
    await adminCli(['routes', 'set', 'quota', '--route', 'gpt-test=sim']);
    const teamKey = String((JSON.parse((await adminCli(['keys', 'create', 'quota'])).stdout) as Record<string, unknown>)['key']);
    const turn = () =>
      fetch(`${gateway.baseUrl}/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${teamKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-test', input: 'hi' }),
      });
    for (let i = 0; i < 2; i += 1) expect((await turn()).status).toBe(200);
    const refused = await turn();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('team_rate_limited');

    // The usage is written in the background after each request: ask until it is there.
    let table = '';
    for (let i = 0; i < 30 && !/^total\s+2\s/m.test(table); i += 1) {
      table = (await adminCli(['usage', 'quota'])).stdout;
      if (!/^total\s+2\s/m.test(table)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(table).toContain('usage of team quota');
    expect(table).toMatch(/^total\s+2\s+0\s+0\s+0\s+0\s+[1-9]/m);
    const json = JSON.parse((await adminCli(['usage', 'quota', '--json'])).stdout) as { totals: Record<string, number> };
    expect(json.totals).toMatchObject({ requests: 2, failed: 0, metered: 2 });
  });
});
