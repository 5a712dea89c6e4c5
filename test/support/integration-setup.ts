/**
 * globalSetup of the `integration` vitest project. Runs in Node, once per run, before the
 * workerd pool starts: starts the flaky provider simulator on 127.0.0.1 (random port) and
 * provides its URL (see provided-context.ts). Tests inside workerd read it with
 * `inject('upstreamUrl')` and drive the simulator through its /__sim/ control API;
 * vitest.config.ts also binds it as UPSTREAM_BASE_URL for the Worker behind `exports.default`.
 * The upstream is closed when the run ends.
 */
import { startSimulator } from '../../simulator/server';
import type { TestProject } from 'vitest/node';
import type { HarnessContext } from './provided-context';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [upstream, second] = await Promise.all([startSimulator(), startSimulator()]);
  const provided: HarnessContext = { upstreamUrl: upstream.url, upstreamBaseUrl: upstream.baseUrl, secondUpstreamUrl: second.url };
  project.provide('upstreamUrl', provided.upstreamUrl);
  project.provide('upstreamBaseUrl', provided.upstreamBaseUrl);
  project.provide('secondUpstreamUrl', provided.secondUpstreamUrl);
  return async () => {
    await Promise.all([upstream.close(), second.close()]);
  };
}
