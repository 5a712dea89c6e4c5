/**
 * Streams always end properly: a stream the upstream breaks or stalls ends with the wire API's
 * terminal event, heartbeats keep a silent stream alive without keeping it forever, and a
 * stream that broke before its first byte is retried as if nothing happened.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CODEX_HEADERS, callGateway, captureLogs, post, sim, sseEvents, typesOf } from './support';

beforeEach(() => sim.reset());

const streamTurn = (headers: Record<string, string> = {}) => post('/v1/responses', { model: 'gpt-test', stream: true, input: 'hi' }, headers);
const chatTurn = () => post('/v1/chat/completions', { model: 'gpt-test', stream: true, messages: [{ role: 'user', content: 'hi' }] });

interface FailedEvent {
  type: string;
  response: { id: string; status: string; error: { code: string; message: string } };
}

describe('Responses streams', () => {
  it('a stream cut mid-way ends with response.failed (retryable code, clear message), never a silent close', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 3 });
    const { result: response, lines } = await captureLogs(async () => {
      const res = await callGateway(streamTurn(CODEX_HEADERS));
      await res.clone().text();
      return res;
    });
    expect(response.status).toBe(200);
    const events = await sseEvents(response);
    expect(typesOf(events).slice(0, 3)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    const last = events.at(-1) as FailedEvent;
    expect(last.type).toBe('response.failed');
    expect(last.response.status).toBe('failed');
    expect(last.response.id).toMatch(/^resp_/);
    expect(last.response.error.code).toBe('server_error');
    expect(last.response.error.message).toMatch(/^codex-edge: the upstream stream broke .* \(upstream 127\.0\.0\.1:\d+\); the request can be retried$/);
    expect(lines[0]).toMatchObject({ stream_end: 'upstream-broke', status: 200 });
    // Bytes had reached the client: the gateway must not retry behind its back.
    expect(await sim.requests()).toHaveLength(1);
  });

  it('a stream cut before its first byte is retried: the client sees one clean stream', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 0 });
    const response = await callGateway(streamTurn());
    expect(response.headers.get('x-edge-attempts')).toBe('2');
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
  });

  it('a stream cut during its preamble (response.created, in_progress) is retried: the preamble was held back', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 2 });
    const response = await callGateway(streamTurn(CODEX_HEADERS));
    expect(response.headers.get('x-edge-attempts')).toBe('2');
    const types = typesOf(await sseEvents(response));
    expect(types.filter((type) => type === 'response.created')).toHaveLength(1);
    expect(types.at(-1)).toBe('response.completed');
  });

  it('an empty 200 stream is a transient failure, retried', async () => {
    await sim.faults({ kind: 'empty' });
    const response = await callGateway(streamTurn());
    expect(response.headers.get('x-edge-attempts')).toBe('2');
    expect(typesOf(await sseEvents(response)).at(-1)).toBe('response.completed');
  });

  it('a stalled stream gets data heartbeats for Codex, then response.failed at the idle timeout', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const { result: text, lines } = await captureLogs(async () => (await callGateway(streamTurn(CODEX_HEADERS))).text());
    const heartbeats = text.split('\n\n').filter((block) => block.includes('codex_edge.heartbeat'));
    // Codex's idle timer ignores comments, so its heartbeats are data events of a type it ignores.
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(heartbeats[0]).toBe('event: codex_edge.heartbeat\ndata: {"type":"codex_edge.heartbeat"}');
    expect(text).not.toContain(': keep-alive');
    const events = await sseEvents(new Response(text));
    expect((events.at(-1) as FailedEvent).response.error.message).toContain('the upstream sent nothing for 600 ms');
    expect(lines[0]).toMatchObject({ stream_end: 'idle' });
  });

  it('other clients get SSE comments as heartbeats', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const text = await (await callGateway(streamTurn())).text();
    expect(text).toContain(': keep-alive\n\n');
    expect(text).not.toContain('codex_edge.heartbeat');
    expect(typesOf(await sseEvents(new Response(text))).at(-1)).toBe('response.failed');
  });

  it('a slow but live stream is relayed whole, with heartbeats between events', async () => {
    await sim.options({ eventDelayMs: 150 });
    const text = await (await callGateway(streamTurn(CODEX_HEADERS))).text();
    const types = typesOf(await sseEvents(new Response(text)));
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('codex_edge.heartbeat');
    expect(types.filter((type) => type === 'response.output_text.delta')).toHaveLength(5);
  });
});

describe('Chat Completions streams', () => {
  it('a stream cut mid-way ends with an error chunk the SDKs raise', async () => {
    await sim.faults({ kind: 'cut', afterEvents: 2 });
    const events = await sseEvents(await callGateway(chatTurn()));
    expect(events.at(-1)).toMatchObject({ error: { type: 'server_error', code: 'server_error' } });
    expect(events).not.toContain('[DONE]');
  });

  it('a normal stream ends with [DONE] exactly once', async () => {
    const events = await sseEvents(await callGateway(chatTurn()));
    expect(events.filter((event) => event === '[DONE]')).toHaveLength(1);
    expect(events.at(-1)).toBe('[DONE]');
  });
});

describe('a client that goes away', () => {
  it('cancels the upstream stream and is logged as client-gone', async () => {
    await sim.faults({ kind: 'stall', afterEvents: 3 });
    const controller = new AbortController();
    const request = new Request(streamTurn(CODEX_HEADERS), { signal: controller.signal });
    const { lines } = await captureLogs(async () => {
      const response = await callGateway(request);
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      await reader?.cancel().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(lines[0]).toMatchObject({ stream_end: 'client-gone' });
  });
});
