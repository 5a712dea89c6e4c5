/**
 * The demo's scene "Codex on a chat-only provider": the simulator as a strict Chat Completions
 * server (no /v1/responses; a 400 for the developer role, a late system message, a non-function
 * tool, an unknown field, a bad tool name, a tool call without its tool message), the real Codex
 * CLI pointed at it directly and through codex-edge with UPSTREAM_WIRE_API=chat, on the same
 * task: run a command and report what it printed.
 */
import { CODEX_VERSIONS, runCodex, type CodexRun } from './codex';
import { startGateway } from './gateway';
import { startSimulator, type Simulator } from '../../simulator/server';

const VERSION = CODEX_VERSIONS[CODEX_VERSIONS.length - 1] ?? '0.171.0';
const COMMAND = 'echo codex-edge-demo';
const PROMPT = `run ${COMMAND} and tell me what it printed`;

interface Outcome {
  readonly path: string;
  readonly result: string;
  readonly codexRequests: number;
  readonly providerRequests: number;
  readonly seconds: number;
}

/** What Codex printed last: its error, or whether its final answer quotes what the command printed. */
function resultOf(run: CodexRun): string {
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').map((line) => line.trim());
  if (run.code !== 0) {
    const error = lines.filter((line) => line.startsWith('ERROR:') && !line.includes('Reconnecting')).at(-1) ?? 'ERROR: none shown';
    return `failed: ${error.replace(/^ERROR: /, '').replace(/, url: .*$/, '')}`;
  }
  const answer = run.stdout.slice(run.stdout.lastIndexOf('The tool printed:'));
  return answer.includes(COMMAND.replace('echo ', '')) ? `exec_command ran; the answer quotes its output` : 'completed, without the output';
}

async function codexTurn(sim: Simulator, path: string, baseUrl: string, codexRequests: () => number): Promise<Outcome> {
  sim.reset();
  sim.reply({ kind: 'tool-call', name: 'exec_command', arguments: { cmd: COMMAND } }, { kind: 'quote-tool-output' });
  const started = performance.now();
  const run = await runCodex({ version: VERSION, baseUrl, apiKey: 'sk-demo', prompt: PROMPT });
  return { path, result: resultOf(run), codexRequests: codexRequests(), providerRequests: sim.requests.length, seconds: (performance.now() - started) / 1000 };
}

function table(rows: readonly Outcome[]): string {
  const head = ['', 'what Codex got', 'Codex requests', 'provider requests', 'time'];
  const body = rows.map((row) => [row.path, row.result, String(row.codexRequests), String(row.providerRequests), `${row.seconds.toFixed(1)} s`]);
  const widths = head.map((cell, i) => Math.max(cell.length, ...body.map((line) => (line[i] ?? '').length)));
  return [head, ...body].map((line) => line.map((cell, i) => (i <= 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('   ')).join('\n');
}

export async function chatProviderScene(): Promise<void> {
  const sim = await startSimulator({ chatStrict: true });
  const gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, UPSTREAM_WIRE_API: 'chat' });
  try {
    console.log(`\nScene: Codex on a chat-only provider. The provider (simulator at ${sim.url}) speaks only Chat Completions, strictly:`);
    console.log('no /v1/responses, and a 400 for the developer role, a late system message, a non-function tool, an unknown field,');
    console.log(`a tool name outside ^[a-zA-Z0-9_-]{1,64}$ or a tool call without its tool message. Codex ${VERSION} is asked to "${PROMPT}".\n`);
    process.stderr.write('[scene] Codex directly to the provider (its default retries) ...');
    const direct = await codexTurn(sim, 'Codex → the provider', sim.baseUrl, () => sim.requests.length);
    process.stderr.write(` ${direct.seconds.toFixed(1)} s\n[scene] Codex through codex-edge (UPSTREAM_WIRE_API=chat) ...`);
    gateway.clearLogs();
    const countTurns = (): number => gateway.logs().filter((line) => line.includes('"msg":"request"') && line.includes('"route":"/v1/responses"')).length;
    const through = await codexTurn(sim, 'Codex → codex-edge', gateway.baseUrl, countTurns);
    process.stderr.write(` ${through.seconds.toFixed(1)} s\n\n`);
    console.log(table([direct, through]));
    const line = gateway.logs().find((entry) => entry.includes('"translation"'));
    const translation = line === undefined ? null : ((JSON.parse(line) as { translation?: { dropped_tools?: string[] } }).translation ?? null);
    const upstream = sim.requests.map((request) => JSON.parse(request.body) as { messages?: { role: string }[]; tools?: unknown[] });
    const last = upstream.at(-1);
    const roles = (last?.messages ?? []).map((message) => message.role).join(', ');
    console.log('\nThrough codex-edge, each Responses request went up as POST /v1/chat/completions:');
    console.log('  the developer messages folded into one leading system message;');
    console.log(`  ${last?.tools?.length ?? 0} function tools, the namespaced ones flattened to ns__name;`);
    console.log(`  the tool call and its output as assistant tool_calls answered by a tool message (last request: ${roles});`);
    console.log(`  dropped, and said so in x-edge-dropped-tools: ${(translation?.dropped_tools ?? []).join(', ') || 'nothing'}.`);
    console.log('The chat stream came back as the Responses events Codex needs (README: Providers).');
    console.log(
      '\nBy hand: `npm run simulator -- --chat-strict`, then `npm run dev -- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1 --var UPSTREAM_WIRE_API:chat`.',
    );
  } finally {
    await gateway.close();
    await sim.close();
  }
}
