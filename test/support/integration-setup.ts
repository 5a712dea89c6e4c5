/**
 * globalSetup of the `integration` vitest project. Runs in Node, once per run, before the
 * workerd pool starts: starts the test upstream on 127.0.0.1 (random port) and provides its
 * URL (see provided-context.ts). Tests inside workerd read it with `inject('upstreamUrl')`;
 * vitest.config.ts also binds it as UPSTREAM_BASE_URL for the Worker behind `exports.default`.
 * The upstream is closed when the run ends.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import type { HarnessContext } from './provided-context';

interface TestUpstream {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** url + '/v1' */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * The one place that decides which upstream the integration tests get. To use the flaky
 * provider simulator (simulator/server.ts, controllable from workerd through its /__sim/ HTTP
 * API) instead of the placeholder, replace the body with:
 *   return (await import('../../simulator/server')).startSimulator();
 * test/integration/harness.test.ts passes with either.
 */
async function startUpstream(): Promise<TestUpstream> {
  return startPlaceholderUpstream();
}

/**
 * A minimal stand-in upstream: `GET /v1/models` answers a model list shaped like the
 * simulator's (and OpenAI's); every other request is echoed back as JSON
 * `{ method, path, headers, body }` with status 200.
 */
async function startPlaceholderUpstream(): Promise<TestUpstream> {
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-test', object: 'model', created: 1_700_000_000, owned_by: 'placeholder' }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const upstream = await startUpstream();
  const provided: HarnessContext = { upstreamUrl: upstream.url, upstreamBaseUrl: upstream.baseUrl };
  project.provide('upstreamUrl', provided.upstreamUrl);
  project.provide('upstreamBaseUrl', provided.upstreamBaseUrl);
  return () => upstream.close();
}
