/**
 * The bench's translated turn (scripts/lib/bench-chat.ts): a recorded Codex request through
 * /v1/responses to a Chat provider, against the plain relay to a Responses provider, on a
 * simulator and gateways of its own. Returns the table to print.
 */
import { startSimulator } from '../../simulator/server';
import { startGateway } from '../lib/gateway';
import { translatedTurnRows } from '../lib/bench-chat';
import { formatTable } from './report';

const HEADER = ['level', 'path', 'ttfb p50', 'ttfb p99', 'total p50', 'total p99', 'req/s'];

export async function translatedTurnTable(): Promise<string[]> {
  const sim = await startSimulator();
  try {
    const relay = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, HEARTBEAT_INTERVAL_MS: '15000' });
    try {
      const rows = await translatedTurnRows(sim, relay);
      return [
        'Translated turn: a recorded Codex request (47 KB) streamed through /v1/responses to a Chat Completions provider',
        '(UPSTREAM_WIRE_API=chat), against the plain relay to a Responses provider',
        ...formatTable(HEADER, rows, 2),
      ];
    } finally {
      await relay.close();
    }
  } finally {
    await sim.close();
  }
}
