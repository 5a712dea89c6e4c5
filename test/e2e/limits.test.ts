/**
 * A team's concurrency slot over real HTTP connections to the built Worker (Miniflare, a fresh
 * local D1, the TeamLimiter Durable Object): workerd notices a client that left only when the
 * gateway next writes to it (an event or a heartbeat), so this is where a slot that is never
 * freed would show. Heartbeats every 200 ms here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';
import { startSimulator, type Simulator } from '../../simulator/server';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

let sim: Simulator;
let gateway: Gateway;
let teamKey: string;

async function adminCall(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

const turn = (stream: boolean, signal?: AbortSignal): Promise<Response> =>
  fetch(`${gateway.baseUrl}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${teamKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-test', input: 'hi', stream }),
    ...(signal === undefined ? {} : { signal }),
  });

/** The status of a JSON turn once it is admitted, or the last 429 after `ms`. */
async function admittedWithin(ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const response = await turn(false);
    await response.arrayBuffer();
    if (response.status !== 429 || Date.now() - started > ms) return response.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sim = await startSimulator();
  gateway = await startGateway(
    { ADMIN_TOKEN, ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', HEARTBEAT_INTERVAL_MS: '200' },
    { registry: true },
  );
  await adminCall('POST', '/teams', { id: 'one-at-a-time', name: 'One at a time', max_streams: 1 });
  await adminCall('POST', '/teams/one-at-a-time/providers', {
    name: 'sim',
    base_url: sim.baseUrl,
    wire_api: 'responses',
    auth: 'key',
    api_key: 'sk-e2e-limits-upstream',
  });
  await adminCall('PUT', '/teams/one-at-a-time/routes', { routes: [{ model: 'gpt-test', targets: [{ provider: 'sim' }] }] });
  teamKey = String((await adminCall('POST', '/teams/one-at-a-time/keys', {}))['key']);
});

afterAll(async () => {
  await gateway.close();
  await sim.close();
});

describe('a team limited to one stream at a time', () => {
  it('a stream read to its end frees the slot', async () => {
    const first = await turn(true);
    expect(first.status).toBe(200);
    await first.text();
    expect(await admittedWithin(2_000)).toBe(200);
  });

  it('a client that leaves a stalled stream frees the slot within a heartbeat or so', async () => {
    sim.enqueue({ kind: 'stall', afterEvents: 4 });
    const controller = new AbortController();
    const first = await turn(true, controller.signal);
    expect(first.status).toBe(200);
    await first.body?.getReader().read();
    const refused = await turn(false);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('team_concurrency_limited');
    controller.abort();
    expect(await admittedWithin(3_000)).toBe(200);
    const line = await gateway.waitForLog(/"msg":"request".*"stream_end":"client-gone"/);
    expect(JSON.parse(line)).toMatchObject({ team: 'one-at-a-time', stream_end: 'client-gone' });
  });
});
