/**
 * Provider health shared across requests, in workerd with the real Durable Object: a provider
 * that keeps failing is spared by every later request of the isolate, what one isolate learns
 * reaches the others through the PROVIDER_HEALTH object, and a half-open breaker's probe goes
 * to one isolate at a time.
 */
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { DEFAULT_BREAKER } from '../../src/upstream/breaker';
import { ProviderHealthObject } from '../../src/upstream/health-object';
import { gatewayEnv, post, sim } from './support';

const SDK_HEADERS = { 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js' };
const turn = () => post('/v1/responses', { model: 'gpt-test', input: 'hi' }, SDK_HEADERS);
const failures = (count: number) => Array.from({ length: count }, () => ({ kind: 'status' as const, status: 503 }));

/** One "isolate": an env object reused across calls (provider health lives as long as its parsed settings). */
function isolate(overrides: Partial<Cloudflare.Env> = {}) {
  const isolateEnv = gatewayEnv(overrides);
  return async (request: Request): Promise<Response> => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, isolateEnv, ctx);
    await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    return response;
  };
}

beforeEach(async () => {
  await sim.reset();
});

describe('within an isolate', () => {
  it('once the breaker is open, later requests are answered at once, without reaching the provider', async () => {
    // Open for 5 s, longer than a request waits for a probe (RETRY_AFTER_MAX_MS): told at once.
    const call = isolate({ BREAKER_OPEN_MS: '5000', RETRY_AFTER_MAX_MS: '1000' });
    await sim.faults(...failures(20));
    const first = await call(turn());
    expect(first.status).toBe(503);
    expect(await sim.requests()).toHaveLength(3);
    const started = Date.now();
    const later = await Promise.all([call(turn()), call(turn()), call(turn())]);
    expect(later.map((response) => response.status)).toEqual([503, 503, 503]);
    expect(later.map((response) => response.headers.get('x-edge-attempts'))).toEqual(['0', '0', '0']);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await sim.requests()).toHaveLength(3);
  });

  it('a provider that recovers is used again at once after the first successful probe', async () => {
    const call = isolate();
    await sim.faults(...failures(3));
    const during = await call(turn()); // three failures open it; the one probe 200 ms later succeeds
    expect(during.status).toBe(200);
    expect(during.headers.get('x-edge-attempts')).toBe('4');
    const after = await call(turn());
    expect(after.status).toBe(200);
    expect(after.headers.get('x-edge-attempts')).toBe('1');
  });
});

describe('beyond one isolate (the PROVIDER_HEALTH Durable Object)', () => {
  // A base URL of its own, so that this provider's shared breaker is this test's alone.
  const shared = () => ({
    PROVIDER_HEALTH: env.PROVIDER_HEALTH,
    UPSTREAM_BASE_URL: `${env.UPSTREAM_BASE_URL ?? ''}/`,
    BREAKER_OPEN_MS: '5000',
    RETRY_AFTER_MAX_MS: '1000',
  });
  it('a second isolate learns from its first failure what the first isolate learnt from three', async () => {
    await sim.faults(...failures(20));
    const a = isolate(shared());
    expect((await a(turn())).status).toBe(503);
    expect(await sim.requests()).toHaveLength(3);
    const b = isolate(shared());
    const answer = await b(turn());
    expect(answer.status).toBe(503);
    expect(await sim.requests()).toHaveLength(4); // one attempt, then the shared verdict (its retry waits for it)
  });

  it("grants a half-open breaker's probe to one isolate at a time", async () => {
    const namespace = env.PROVIDER_HEALTH;
    if (namespace === undefined) throw new Error('wrangler.toml binds PROVIDER_HEALTH');
    const stub = namespace.get(namespace.idFromName(`probe-test-${Date.now()}`));
    const policy = { ...DEFAULT_BREAKER, openMs: 100 };
    for (let i = 0; i < 3; i += 1) await stub.report({ kind: 'failure', reason: 'answered 503' }, false, policy);
    expect((await stub.probe(policy)).admission.kind).toBe('reject');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const [one, two] = await Promise.all([stub.probe(policy), stub.probe(policy)]);
    expect([one.admission.kind, two.admission.kind].sort()).toEqual(['probe', 'reject']);
    expect((await stub.report({ kind: 'success' }, true, policy)).state).toBe('closed');
  });

  it('a provider that recovers is used again at once by an isolate that saw another isolate probe it', async () => {
    // Open for 300 ms; nobody waits for a probe, so each step below is one decision.
    const settings = {
      ...shared(),
      UPSTREAM_BASE_URL: `${env.UPSTREAM_BASE_URL ?? ''}//`,
      BREAKER_OPEN_MS: '300',
      RETRY_AFTER_MAX_MS: '0',
      UPSTREAM_HEADERS_TIMEOUT_MS: '30000',
    };
    const a = isolate(settings);
    const b = isolate(settings);
    await sim.faults(...failures(4));
    expect((await a(turn())).status).toBe(503); // three failures open the shared breaker
    expect((await b(turn())).status).toBe(503); // one failure, then B adopts the open breaker
    await new Promise((resolve) => setTimeout(resolve, 350));
    await sim.faults({ kind: 'delay', ms: 400 }); // the provider is back, slowly: A's probe is in flight for 400 ms
    const probe = a(turn());
    await new Promise((resolve) => setTimeout(resolve, 150));
    const duringProbe = await b(turn()); // A holds the probe: B is turned away and learns the breaker is half-open
    expect(duringProbe.status).toBe(503);
    expect(duringProbe.headers.get('x-edge-attempts')).toBe('0');
    expect((await probe).status).toBe(200);
    const after = await b(turn());
    expect(after.status).toBe(200);
    expect(after.headers.get('x-edge-attempts')).toBe('1');
  });

  it('an object evicted while the provider is down still knows its breaker is open', async () => {
    const namespace = env.PROVIDER_HEALTH;
    if (namespace === undefined) throw new Error('wrangler.toml binds PROVIDER_HEALTH');
    const stub = namespace.get(namespace.idFromName(`evict-test-${Date.now()}`));
    const policy = { ...DEFAULT_BREAKER, openMs: 60_000 };
    for (let i = 0; i < 3; i += 1) await stub.report({ kind: 'failure', reason: 'answered 503' }, false, policy);
    // What workerd does to an idle object: a new instance over the same storage.
    const afterEviction = await runInDurableObject(stub, (_instance, state) => new ProviderHealthObject(state, env).probe(policy));
    expect(afterEviction.admission).toMatchObject({ kind: 'reject', reason: 'answered 503' });
    expect(afterEviction.breaker.state).toBe('open');
  });
});
