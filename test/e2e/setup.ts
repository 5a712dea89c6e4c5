/**
 * One simulator and the built gateway in front of it, for a whole e2e file: started before its
 * tests, closed after them, and (unless `fresh` is false) with the simulator's queue and the
 * gateway's captured logs cleared before each test. Also: waiting, bounded, for what arrives
 * asynchronously (log lines).
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';

export interface Stack {
  readonly sim: Simulator;
  readonly gateway: Gateway;
}

export function useStack(options: { simulator?: SimulatorOptions; vars?: Record<string, string>; fresh?: boolean } = {}): Stack {
  let sim: Simulator | undefined;
  let gateway: Gateway | undefined;
  beforeAll(async () => {
    sim = await startSimulator(options.simulator);
    gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, ...options.vars });
  });
  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
  });
  if (options.fresh !== false) {
    beforeEach(() => {
      sim?.reset();
      gateway?.clearLogs();
    });
  }
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the e2e stack is used before beforeAll started it');
    return value;
  };
  return {
    get sim() {
      return started(sim);
    },
    get gateway() {
      return started(gateway);
    },
  };
}

/** Resolves once `done()` holds, or after timeoutMs (the caller's assertion then says what is missing). */
export async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  for (let waited = 0; !done() && waited < timeoutMs; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
}
