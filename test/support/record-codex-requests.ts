/**
 * Records what the real Codex CLI sends, as fixtures for the translation's golden tests
 * (test/fixtures/codex/): for each supported version, one `codex exec` tool loop through the
 * gateway (UPSTREAM_WIRE_API=chat) against the strict chat-only simulator, with a recording
 * proxy in front of the gateway. Writes `request-<version>.json` (the first request: system
 * prompt, tools, the user turn) and `request-<version>-tool-loop.json` (the second: the same plus
 * the reasoning item, the function_call and its function_call_output). Run: `npx tsx test/support/record-codex-requests.ts`,
 * then `npx tsx test/support/chat-golden.ts`, and review both diffs.
 */
import { writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CODEX_VERSIONS, runCodex } from '../../scripts/lib/codex';
import { startGateway } from '../../scripts/lib/gateway';
import { startSimulator } from '../../simulator/server';

const dir = fileURLToPath(new URL('../fixtures/codex/', import.meta.url));
const sim = await startSimulator({ chatStrict: true });
const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, UPSTREAM_WIRE_API: 'chat' });
const bodies: string[] = [];
const target = new URL(gateway.url);
const proxy = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url?.endsWith('/responses') === true) bodies.push(body.toString('utf8'));
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.end(body);
  });
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const { port } = proxy.address() as AddressInfo;
try {
  for (const version of CODEX_VERSIONS) {
    bodies.length = 0;
    sim.reset();
    sim.reply(
      {
        kind: 'tool-call',
        name: 'exec_command',
        arguments: { cmd: 'echo codex-edge-tool-ok' },
        reasoning: 'The user wants a greeting; first I check the shell works.',
      },
      { kind: 'quote-tool-output' },
    );
    const run = await runCodex({ version, baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-record', prompt: 'say hi' });
    if (run.code !== 0 || bodies.length !== 2) throw new Error(`Codex ${version}: exit ${String(run.code)}, ${bodies.length} requests\n${run.stderr}`);
    const [first = '', second = ''] = bodies;
    writeFileSync(`${dir}request-${version}.json`, `${JSON.stringify(JSON.parse(first), null, 2)}\n`);
    writeFileSync(`${dir}request-${version}-tool-loop.json`, `${JSON.stringify(JSON.parse(second), null, 2)}\n`);
    console.log(`Codex ${version}: recorded 2 requests`);
  }
} finally {
  proxy.close();
  await gateway.close();
  await sim.close();
}
