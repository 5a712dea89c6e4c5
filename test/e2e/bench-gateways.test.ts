/**
 * The gateways `npm run bench` serves (scripts/lib/gateway.ts `healthObject`): the built Worker
 * with its provider-health object bound, unbound, and counted by the bench's wrapper Worker
 * (scripts/bench/health-counted.js) each answer a request through the simulator, and the counted
 * one reports no call to the object on a healthy provider; and its two floors (floor-worker.js,
 * reader-worker.js) relay a JSON answer and a whole stream, so that their figures are for the same
 * work. The bench itself is not run here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFloor, type FloorKind } from '../../scripts/bench/runtimes';
import { startGateway, type GatewayOptions } from '../../scripts/lib/gateway';
import { startSimulator, type Simulator } from '../../simulator/server';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim.close();
});

describe('the gateways the bench serves', () => {
  it.each<NonNullable<GatewayOptions['healthObject']>>(['bound', 'unbound', 'counted'])(
    'with the health object %s: a turn through the simulator',
    async (healthObject) => {
      const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl }, { healthObject });
      try {
        const response = await fetch(`${gateway.baseUrl}/responses`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-any', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-test', input: 'hi' }),
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        if (healthObject === 'counted') {
          const counted = await fetch(`${gateway.url}/__bench/health-calls`);
          expect(await counted.json()).toEqual({ calls: 0 });
        }
      } finally {
        await gateway.close();
      }
    },
  );
});

describe('the floors the bench measures the gateway against', () => {
  it.each<FloorKind>(['floor', 'reader'])('the %s relays a JSON answer and a whole stream', async (kind) => {
    const floor = await startFloor(sim.url, kind);
    try {
      const call = (body: object) =>
        fetch(`${floor.baseUrl}/responses`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-any', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-test', input: 'hi', ...body }),
        });
      const json = await call({});
      expect(json.status).toBe(200);
      expect(await json.json()).toMatchObject({ object: 'response', status: 'completed' });
      const stream = await call({ stream: true });
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(await stream.text()).toMatch(/"type":"response\.completed"[^\n]*\n\n$/);
    } finally {
      await floor.close();
    }
  });
});
