/**
 * Hostile faults through the simulator's dispatch (simulator/hostile.ts): the redirect, every
 * kind queued through the control API and counted in stats(), and a bad one refused. Each kind's
 * own body: hostile-echo-key, hostile-huge, hostile-trickle and gzip-bomb test files.
 */
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../simulator/server';
import { errorOf, freshSimulatorPerTest, post, sim, STREAM } from './hostile-support';
import { rawRequest } from './raw-client';

freshSimulatorPerTest();

describe('redirect', () => {
  it('answers 301, 302, 307 and 308 with the Location, and does not follow it', async () => {
    const statuses = [301, 302, 307, 308] as const;
    sim.enqueue(...statuses.map((status) => ({ kind: 'redirect' as const, status, location: `http://127.0.0.1:9/steal?from=${status}` })));
    for (const status of statuses) {
      const outcome = await post('/responses');
      expect(outcome).toMatchObject({ status, ended: true, headers: { location: `http://127.0.0.1:9/steal?from=${status}` } });
    }
    expect(sim.requests).toHaveLength(4);
    expect(() => sim.enqueue({ kind: 'redirect', status: 303, location: '/x' } as unknown as Fault)).toThrow(/301, 302, 307, 308/);
    expect(() => sim.enqueue({ kind: 'redirect', status: 302, location: '' })).toThrow(/location/);
  });
});

describe('control API and stats', () => {
  it('queues every hostile kind by JSON, applies them in order, and counts them per kind', async () => {
    const faults = [
      { kind: 'echo-key', where: 'message' },
      { kind: 'gzip-bomb', expandedBytes: 1024 },
      { kind: 'huge', status: 200, bytes: 10, shape: 'raw' },
      { kind: 'trickle', bytesPerSecond: 1000, shape: 'raw' },
      { kind: 'redirect', status: 307, location: 'https://example.invalid/v1/responses' },
    ];
    const queued = await rawRequest(`${sim.url}/__sim/faults`, { body: faults });
    expect(JSON.parse(queued.body.toString())).toEqual({ ok: true, added: 5 });
    expect((await post('/responses')).status).toBe(401);
    expect((await post('/responses')).headers['content-encoding']).toBe('gzip');
    expect((await post('/responses')).received).toBe(10);
    expect((await post('/responses', STREAM, { stopAfterMs: 50 })).ended).toBe(false);
    expect((await post('/responses')).status).toBe(307);
    expect(sim.requests.map((r) => r.faultApplied)).toEqual(['echo-key', 'gzip-bomb', 'huge', 'trickle', 'redirect']);
    const stats = JSON.parse((await rawRequest(`${sim.url}/__sim/stats`)).body.toString()) as { faultsApplied: Record<string, number> };
    expect(stats.faultsApplied).toEqual({
      status: 0,
      reset: 0,
      hang: 0,
      empty: 0,
      cut: 0,
      stall: 0,
      delay: 0,
      'echo-key': 1,
      'gzip-bomb': 1,
      huge: 1,
      trickle: 1,
      redirect: 1,
    });
    sim.reset();
    expect(Object.values(sim.stats().faultsApplied).every((n) => n === 0)).toBe(true);
  });

  it('answers a bad hostile fault with a 400 naming the field, and queues nothing', async () => {
    for (const fault of [
      { kind: 'huge', bytes: 10, shape: 'xml' },
      { kind: 'trickle', shape: 'raw', bytesPerSecond: 0 },
      { kind: 'gzip-bomb', expandedBytes: -1 },
      { kind: 'redirect', status: 301 },
    ]) {
      const answer = await rawRequest(`${sim.url}/__sim/faults`, { body: [{ kind: 'echo-key', where: 'code' }, fault] });
      expect(answer.status).toBe(400);
      expect(errorOf(answer.body).message).toMatch(new RegExp(`^${fault.kind}\\.`));
    }
    expect((await post('/responses')).status).toBe(200);
  });
});
