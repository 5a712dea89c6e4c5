/**
 * Never amplify an outage: the real Codex CLI (0.169.0 and 0.171.0, default retries) and a storm
 * of naive clients through the built gateway with its default breaker settings, against a
 * provider that is down (the simulator's outage mode). Slow by nature: a Codex run against a
 * dead provider lasts as long as Codex keeps retrying. Figures are printed (run with
 * --silent=false to see them).
 */
import { describe, expect, it } from 'vitest';
import { CODEX_VERSIONS, runCodex } from '../../scripts/lib/codex';
import { describeLog, settledLog, retryStorm, useFreshStack } from './outage-support';

const stack = useFreshStack();

/** Longer than any run: the provider never comes back within the test. */
const FOR_GOOD_MS = 10 * 60_000;

describe.each(CODEX_VERSIONS)('Codex CLI %s, default retries, provider down', (version) => {
  it('503 for good: the turn ends within 90 s after at most 10 upstream requests, naming the failure', { timeout: 150_000 }, async () => {
    stack.sim.setOptions({ outage: { ms: FOR_GOOD_MS } });
    const started = Date.now();
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-e2e', timeoutMs: 140_000 });
    const seconds = (Date.now() - started) / 1000;
    const upstream = stack.sim.stats().requests;
    const log = await settledLog(stack.gateway, 1);
    console.log(
      `Codex ${version}, 503 for good: ${log.length} Codex requests, ${upstream} upstream requests, ${seconds.toFixed(1)} s, exit ` +
        `${run.code}\n${describeLog(log)}\nstderr: ${run.stderr.trim().split('\n').slice(-3).join('\n')}`,
    );
    expect(run.code).not.toBe(0);
    expect(seconds).toBeLessThan(90);
    expect(upstream).toBeLessThanOrEqual(10);
    expect(run.stderr).toMatch(/upstream 127\.0\.0\.1:\d+ is failing \(it answered 503/);
  });

  it('down for 20 s, then healthy: the turn succeeds after at most 10 upstream requests', { timeout: 150_000 }, async () => {
    stack.sim.setOptions({ outage: { ms: 20_000 } });
    const started = Date.now();
    const run = await runCodex({ version, baseUrl: stack.gateway.baseUrl, apiKey: 'sk-codex-e2e', timeoutMs: 140_000 });
    const seconds = (Date.now() - started) / 1000;
    const upstream = stack.sim.stats().requests;
    const log = await settledLog(stack.gateway, 1);
    console.log(
      `Codex ${version}, down 20 s: ${log.length} Codex requests, ${upstream} upstream requests, ${seconds.toFixed(1)} s, exit ` +
        `${run.code}\n${describeLog(log)}`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(upstream).toBeLessThanOrEqual(10);
  });
});

/**
 * No request hangs. A request waits at most RETRY_AFTER_MAX_MS (10 s) for its provider's probe to
 * be due, and within RETRY_BUDGET_MS (30 s) in all; against a provider that answers 503 at once,
 * that is one open period (8 s at most) after the attempts and backoffs before it (under 2 s),
 * plus slack for a loaded machine: 15 s. A client gives up on a request after 35 s.
 */
const LONGEST_REQUEST_MS = 15_000;

describe('20 clients that retry every failure at once, during a 15 s outage', () => {
  it(
    'costs the provider at most 1.2 upstream requests per client request, and every client is served within 10 s of recovery',
    { timeout: 90_000 },
    async () => {
      const OUTAGE_MS = 15_000;
      stack.sim.setOptions({ outage: { ms: OUTAGE_MS } });
      const storm = await retryStorm(stack.gateway.baseUrl, { clients: 20, deadlineMs: 45_000, requestTimeoutMs: 35_000 });
      const log = await settledLog(stack.gateway, storm.sent);
      const upstream = stack.sim.stats().requests;
      const served = storm.firstSuccessAt.map((at) => (at ?? Infinity) - OUTAGE_MS);
      console.log(
        `storm: ${storm.sent} client requests, ${log.length} reached the gateway, ${upstream} upstream (${(upstream / log.length).toFixed(2)} ` +
          `per client request); ` +
          `first client served ${(Math.min(...served) / 1000).toFixed(1)} s after recovery, last ${(Math.max(...served) / 1000).toFixed(1)} ` +
          `s; longest request ${storm.longestMs} ms`,
      );
      expect(log).toHaveLength(storm.sent);
      expect(upstream).toBeLessThanOrEqual(1.2 * log.length);
      expect(Math.min(...served)).toBeLessThanOrEqual(10_000);
      expect(Math.max(...served)).toBeLessThanOrEqual(10_000); // once it answers a probe, every waiting client goes
      expect(storm.longestMs).toBeLessThanOrEqual(LONGEST_REQUEST_MS);
    },
  );
});

describe('a provider that recovers', () => {
  it('is used again at once for new requests after the first successful probe', { timeout: 60_000 }, async () => {
    stack.sim.setOptions({ outage: { ms: 4_000 } });
    const send = async (): Promise<{ status: number; attempts: string | null; ms: number }> => {
      const started = Date.now();
      const response = await fetch(`${stack.gateway.baseUrl}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e' },
        body: JSON.stringify({ model: 'gpt-test', input: 'say hi' }),
      });
      await response.text();
      return { status: response.status, attempts: response.headers.get('x-edge-attempts'), ms: Date.now() - started };
    };
    expect((await send()).status).toBe(503); // three failures open the breaker; its probe 2 s later fails too
    let first = await send();
    while (first.status !== 200) first = await send();
    const afterFirst = await Promise.all(Array.from({ length: 10 }, send));
    expect(afterFirst.map((answer) => [answer.status, answer.attempts])).toEqual(Array.from({ length: 10 }, () => [200, '1']));
    expect(Math.max(...afterFirst.map((answer) => answer.ms))).toBeLessThan(1_000);
  });
});

describe('work for clients that are gone', () => {
  it(
    '20 clients that give up after 500 ms, again and again, for 10 s of an outage: their abandoned requests cost at most one probe per open period',
    { timeout: 150_000 },
    async () => {
      stack.sim.setOptions({ outage: { ms: FOR_GOOD_MS } });
      const stopAt = Date.now() + 10_000;
      let sent = 0;
      const client = async (): Promise<void> => {
        while (Date.now() < stopAt) {
          sent += 1;
          await fetch(`${stack.gateway.baseUrl}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e' },
            body: JSON.stringify({ model: 'gpt-test', input: 'say hi' }),
            signal: AbortSignal.timeout(500),
          })
            .then((response) => response.text())
            .catch(() => undefined);
        }
      };
      // Bounded even if a client's give-up misfires under load: the count is taken when the clients stop.
      await Promise.race([Promise.all(Array.from({ length: 20 }, client)), new Promise((resolve) => setTimeout(resolve, 20_000))]);
      const whenStopped = stack.sim.stats().requests;
      await new Promise((resolve) => setTimeout(resolve, 35_000));
      const later = stack.sim.stats().requests;
      console.log(`gone clients: ${sent} client requests; ${whenStopped} upstream when they stopped, ${later} after 35 s more`);
      // Before: 443 when the clients stopped, 600 after 35 s more. Now: the first attempts, then a probe per open period.
      expect(whenStopped).toBeLessThanOrEqual(20 + 10);
      expect(later - whenStopped).toBeLessThanOrEqual(6);
    },
  );
});
