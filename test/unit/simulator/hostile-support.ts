/**
 * What the hostile-fault tests share: a fresh simulator for each test (`sim`, a live binding that
 * `freshSimulatorPerTest` sets), the key they send and the bodies they post, read with the bare
 * client of raw-client.ts.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { rawRequest, type RawOptions } from './raw-client';

/** The running test's simulator. */
export let sim: Simulator;

/** Starts a simulator before each test of the calling file and closes it after (mocks restored too). */
export function freshSimulatorPerTest(): void {
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
    vi.restoreAllMocks();
  });
}

/** Not a real key; '+', '/' and '=' make its URL-encoded form differ from it. */
export const KEY = 'sk-proj-Zx9+Secret/Key=0123456789abcdef';
const AUTH = { authorization: `Bearer ${KEY}` };
export const STREAM = { model: 'gpt-test', input: 'hi', stream: true };
export const CHAT_STREAM = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], stream: true };

export const post = (path: string, body: unknown = STREAM, options: RawOptions = {}) =>
  rawRequest(`${sim.baseUrl}${path}`, { body, headers: AUTH, ...options });
export const errorOf = (body: Buffer): Record<string, unknown> => (JSON.parse(body.toString()) as { error: Record<string, unknown> }).error;
