/**
 * The byte relay in-process (stream/chunk-source.ts): a scripted upstream body, fake timers, the
 * fake clock as `now`. The client must get the upstream's bytes as they came, cut only between
 * whole events, with the event relay's guarantees (heartbeats, idle cap, closing event,
 * redaction, the event cap), and the body read to its end after the terminal event, bounded.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import { DRAIN_MAX_BYTES, DRAIN_MAX_MS, upstreamChunks, type ChunkItem, type ChunkSource } from '../../../src/stream/chunk-source';
import { type WireApi } from '../../../src/stream/terminal';
import { encode, HEARTBEAT_MS, IDLE_MS, itemsToEnd, itemsWhileSending, relayOptions, type ScriptedUpstream, scriptedUpstream } from './scripted-upstream';

const SECRET = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

function chunksOver(upstream: ScriptedUpstream, wire: WireApi, first: string | Uint8Array): ChunkSource {
  return upstreamChunks(relayOptions(upstream, wire, first, { redactor: Redactor.patterns.with([SECRET]) }));
}

/** Every item up to and including the end (no time passes). */
const drain = (source: ChunkSource): Promise<ChunkItem[]> => itemsToEnd(source);

/** The bytes an item hands the client: its chunks, a heartbeat as "<hb>", the closing event's text. */
function bytesOf(item: ChunkItem): Uint8Array[] {
  if (item.kind === 'chunks') return [...item.chunks];
  return [encode(item.kind === 'heartbeat' ? '<hb>' : (item.closing?.text ?? ''))];
}

/** What the client reads, decoded as a whole (a character may be split between chunks). */
function transcript(items: readonly ChunkItem[]): string {
  return Buffer.concat(items.flatMap(bytesOf)).toString('utf8');
}

const responsesEvent = (type: string, sequence: number, extra = ''): string =>
  `event: ${type}\ndata: {"type":"${type}","sequence_number":${sequence}${extra}}\n\n`;
const CREATED = responsesEvent('response.created', 0, ',"response":{"id":"resp_1","model":"gpt-x"}');
const delta = (sequence: number, text: string): string => responsesEvent('response.output_text.delta', sequence, `,"delta":"${text}"`);
const COMPLETED = responsesEvent('response.completed', 9, ',"response":{"id":"resp_1","usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}');

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the bytes as they came', () => {
  const body = `${CREATED}${delta(1, 'héllo')}: upstream comment\r\n\r\n${delta(2, ' wörld ✓')}${COMPLETED}`;
  const bytes = encode(body);

  it.each([1, 2, 3, 7, 64, bytes.byteLength])('whatever the chunk boundaries (chunks of %i bytes): the same bytes, each handed out whole', async (size) => {
    const upstream = scriptedUpstream();
    const chunks = Array.from({ length: Math.ceil(bytes.byteLength / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
    const [first = new Uint8Array(), ...rest] = chunks;
    for (const chunk of rest) upstream.sendBytes(chunk);
    upstream.close();
    const source = chunksOver(upstream, 'responses', first);
    const items = await drain(source);
    expect(transcript(items)).toBe(body);
    for (const item of items) if (item.kind === 'chunks') expect(transcript([item])).toMatch(/(\n\n|\r\n\r\n)$/);
    expect(items.at(-1)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
    expect(source.report().usage).not.toBeNull();
  });

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('events ended by %s lines are found too', async (_name, eol) => {
    const upstream = scriptedUpstream();
    const event = `data: {"n":1}${eol}${eol}`;
    const source = chunksOver(upstream, 'opaque', event);
    expect(transcript([await source.next()])).toBe(event);
  });

  it.each(['\n\r\n', '\n\r', '\r\n\r'])(
    'events whose lines and blank lines end in a mix of CR and LF (%j) are told apart: one terminal event, nothing after it',
    async (blank) => {
      const body = `${CREATED}${delta(1, 'x').trimEnd()}${blank}${COMPLETED.trimEnd()}${blank}`;
      const upstream = scriptedUpstream();
      upstream.send(`${body}: after\n\n`);
      upstream.close();
      const source = chunksOver(upstream, 'responses', '');
      const items = await drain(source);
      expect(transcript(items)).toBe(body);
      expect(items.at(-1)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
      expect(source.report()).toMatchObject({ failed: false, usage: { total: 3 } });
    },
  );

  it.each<[string, WireApi, string, string]>([
    ['response.completed, its last line ended by LF', 'responses', CREATED, COMPLETED.slice(0, -1)],
    ['data: [DONE], ended by LF', 'chat', 'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\n', 'data: [DONE]\n'],
    ['data: [DONE], ended by CR', 'chat', 'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\r\r', 'data: [DONE]\r'],
  ])('an event whose blank line never came (%s) is handed out at the end of the body, ended', async (_name, wire, first, last) => {
    const upstream = scriptedUpstream();
    upstream.send(last);
    upstream.close();
    const items = await drain(chunksOver(upstream, wire, first));
    expect(transcript(items)).toBe(first + last + last.slice(-1));
    expect(items.at(-1)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
  });

  it('an event cut off mid-line at the end of the body is no event: it is dropped, and the closing event follows', async () => {
    const upstream = scriptedUpstream();
    upstream.send(COMPLETED.slice(0, COMPLETED.indexOf('"usage"')));
    upstream.close();
    const source = chunksOver(upstream, 'responses', CREATED);
    const items = await drain(source);
    const end = items.at(-1);
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-closed', closing: { event: 'response.failed' } });
    expect(transcript(items)).toBe(`${CREATED}${end?.kind === 'end' ? (end.closing?.text ?? '') : ''}`);
    expect(source.report().failed).toBe(true);
  });
});

describe('after the terminal event', () => {
  it('what follows it in the same read is dropped; the body is read to its end, not cancelled', async () => {
    const upstream = scriptedUpstream();
    upstream.send(`${COMPLETED}data: {"after":"the end"}\n\n`);
    const source = chunksOver(upstream, 'responses', CREATED);
    expect(transcript([await source.next(), await source.next()])).toBe(CREATED + COMPLETED);
    const end = source.next();
    upstream.send('data: {"more":"trailing"}\n\n');
    upstream.close();
    expect(await end).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
    expect(upstream.cancelled()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it(`an upstream that keeps sending is cancelled after ${DRAIN_MAX_BYTES} bytes`, async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'chat', 'data: [DONE]\n\n');
    await source.next();
    const end = source.next();
    for (let i = 0; i < 20; i += 1) upstream.send(`data: ${'x'.repeat(8 * 1024)}\n\n`);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
  });

  it(`an upstream that stays open is cancelled after ${DRAIN_MAX_MS} ms`, async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED + COMPLETED);
    await source.next();
    let settled = false;
    const end = source.next().finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(DRAIN_MAX_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
  });
  it(`the drain lasts ${DRAIN_MAX_MS} ms too when the terminal event came while a heartbeat was due later`, async () => {
    const upstream = scriptedUpstream();
    const source = upstreamChunks(relayOptions(upstream, 'responses', CREATED, { heartbeatMs: 15 * DRAIN_MAX_MS, idleMs: 300 * DRAIN_MAX_MS }));
    await source.next();
    const terminal = source.next(); // a read under way: the timer is set for the heartbeat
    await vi.advanceTimersByTimeAsync(100);
    upstream.send(COMPLETED);
    expect(transcript([await terminal])).toBe(COMPLETED);
    let settled = false;
    const end = source.next().finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(DRAIN_MAX_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled, 'the client still waits for the end of its response').toBe(true);
    expect(await end).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
    expect(upstream.cancelled()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a body that ends without its terminal event', () => {
  it('responses: response.failed after the last event, with its response id and the next sequence number', async () => {
    const upstream = scriptedUpstream();
    upstream.send(delta(1, 'a') + delta(4, 'b'));
    upstream.close();
    const items = await drain(chunksOver(upstream, 'responses', CREATED));
    const end = items.at(-1);
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-closed', failure: null, closing: { event: 'response.failed' } });
    const closing: unknown = end?.kind === 'end' ? JSON.parse(end.closing?.data ?? 'null') : null;
    expect(closing).toMatchObject({ sequence_number: 5, response: { id: 'resp_1', model: 'gpt-x', error: { code: 'server_error' } } });
  });

  it('chat that finished gets its [DONE]; chat cut mid-answer an error chunk', async () => {
    const finished = scriptedUpstream();
    finished.close();
    const done = await drain(chunksOver(finished, 'chat', 'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\n'));
    expect(done.at(-1)).toMatchObject({ end: 'upstream-closed', closing: { text: 'data: [DONE]\n\n' } });
    const cut = scriptedUpstream();
    cut.close();
    const broken = await drain(chunksOver(cut, 'chat', 'data: {"choices":[{"delta":{"content":"ha"},"finish_reason":null}]}\n\n'));
    expect(broken.at(-1)).toMatchObject({ end: 'upstream-closed', closing: { data: expect.stringContaining('"server_error"') as unknown } });
  });

  it('chat whose every chunk says finish_reason "" (older Ollama), then breaks: an error chunk, not a [DONE] that looks like success', async () => {
    const upstream = scriptedUpstream();
    upstream.fail(new Error('Network connection lost.'));
    const items = await drain(chunksOver(upstream, 'chat', 'data: {"choices":[{"index":0,"delta":{"content":" if"},"finish_reason":""}]}\n\n'));
    expect(items.at(-1)).toMatchObject({ end: 'upstream-broke', closing: { data: expect.stringContaining('"server_error"') as unknown } });
  });

  it('chat with "error": null on its finishing chunk: the usage chunk and [DONE] after it still reach the client', async () => {
    const upstream = scriptedUpstream();
    const rest = 'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}\n\ndata: [DONE]\n\n';
    upstream.send(rest);
    upstream.close();
    const finishing = 'data: {"choices":[{"delta":{},"finish_reason":"stop"}],"error":null}\n\n';
    const source = chunksOver(upstream, 'chat', finishing);
    const items = await drain(source);
    expect(transcript(items)).toBe(finishing + rest);
    expect(items.at(-1)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
    expect(source.report()).toEqual({ usage: { input: 3, output: 4, total: 7, cached: 0, reasoning: 0 }, failed: false });
  });
});

describe('heartbeats, the idle cap and the event cap', () => {
  it('a heartbeat goes out between events, never inside one that is still arriving', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    const items: ChunkItem[] = [await source.next()];
    const half = delta(1, 'split in two');
    upstream.send(half.slice(0, 20));
    const heartbeat = source.next(); // the half event waits
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    items.push(await heartbeat);
    upstream.send(half.slice(20));
    items.push(await source.next());
    expect(transcript(items)).toBe(`${CREATED}<hb>${half}`);
  });

  it('the idle cap ends a silent stream with the closing event; comments alone neither hold it off nor put the heartbeat off', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    const items = await itemsWhileSending(source, upstream, { text: ': PROCESSING\n\n', everyMs: HEARTBEAT_MS / 2, forMs: IDLE_MS });
    expect(items.filter(([, item]) => item.kind === 'heartbeat').map(([at]) => at)).toEqual([HEARTBEAT_MS, 2 * HEARTBEAT_MS, 3 * HEARTBEAT_MS]);
    expect(transcript(items.filter(([, item]) => item.kind === 'chunks').map(([, item]) => item))).toMatch(/^(: PROCESSING\n\n)+$/);
    expect(items.at(-1)).toEqual([
      IDLE_MS,
      expect.objectContaining({ end: 'idle', closing: expect.objectContaining({ event: 'response.failed' }) as unknown }),
    ]);
    expect(upstream.cancelled()).toBe(true);
  });

  it('an event past the cap ends the stream with none of it sent', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    for (let i = 0; i < 20; i += 1) upstream.send(`data: ${'x'.repeat(4 * 1024)}`);
    const end = await source.next();
    expect(end).toMatchObject({ end: 'too-large', closing: { event: 'response.failed' } });
    expect(upstream.cancelled()).toBe(true);
  });

  it('a client that goes away cancels the upstream and stops the timers', async () => {
    const upstream = scriptedUpstream();
    const source = chunksOver(upstream, 'responses', CREATED);
    await source.next();
    const pending = source.next();
    source.cancel();
    expect(upstream.cancelled()).toBe(true);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('redaction', () => {
  const echoes: readonly (readonly [string, string])[] = [
    ['raw', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['base64', btoa(`user:${SECRET}`)],
  ];

  it.each(echoes)('a key echoed %s, whatever the chunk boundaries, never reaches the client', async (_how, echo) => {
    const body = encode(`${delta(1, `key ${echo} rejected`)}${COMPLETED}`);
    for (const size of [1, 5, 9, 33]) {
      const upstream = scriptedUpstream();
      for (let i = size; i < body.byteLength; i += size) upstream.sendBytes(body.slice(i, i + size));
      upstream.close();
      const text = transcript(await drain(chunksOver(upstream, 'responses', body.slice(0, size))));
      expect(text).not.toContain(echo.slice(0, 12));
      expect(text).toContain('[redacted]');
      expect(text).toContain('response.completed');
    }
  });

  it('the terminal event is redacted by pattern too (a key the gateway was never told)', async () => {
    const upstream = scriptedUpstream();
    const stranger = 'sk-live-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
    upstream.close();
    const text = transcript(
      await drain(chunksOver(upstream, 'responses', responsesEvent('response.failed', 3, `,"response":{"error":{"message":"${stranger}"}}`))),
    );
    expect(text).not.toContain(stranger);
  });

  it.each([
    ['with the events before it in the same read', 'héllo'],
    ['after events of one byte a character', 'hello'],
  ])('the terminal event %s: only it is rewritten, what came before goes out as it came', async (_case, word) => {
    const stranger = 'sk-live-Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2';
    const before = `${CREATED}${delta(1, word)}${delta(2, 'sk-not-a-key')}`;
    const upstream = scriptedUpstream();
    upstream.close();
    const items = await drain(
      chunksOver(upstream, 'responses', `${before}${responsesEvent('response.failed', 3, `,"response":{"error":{"message":"${stranger}"}}`)}`),
    );
    const text = transcript(items);
    expect(text.startsWith(before)).toBe(true);
    expect(text).not.toContain(stranger);
    expect(text).toMatch(/"type":"response\.failed".*\[redacted\]/);
    expect(items.at(-1)).toMatchObject({ kind: 'end', end: 'terminal', closing: null });
  });
});
