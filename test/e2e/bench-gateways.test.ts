/**
 * The gateways `npm run bench` serves (scripts/lib/gateway.ts `healthObject`): the built Worker
 * with its provider-health object bound, unbound, and counted by the bench's wrapper Worker
 * (scripts/bench/health-counted.js) each answer a request through the simulator, and the counted
 * one reports no call to the object on a healthy provider. The bench itself is not run here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
