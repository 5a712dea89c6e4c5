/**
 * The upstream event source in-process: a scripted upstream body (a ReadableStream the test
 * feeds, breaks or closes), fake timers for heartbeats and the idle cap, and the fake clock as
 * the source's `now`. Every guarantee a streaming client relies on, in milliseconds.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { upstreamEvents, type EventSource, type SourceItem } from '../../../src/stream/source';
import type { SseEvent } from '../../../src/stream/sse';
import { type WireApi } from '../../../src/stream/terminal';
import { encode, HEARTBEAT_MS, IDLE_MS, itemsToEnd, itemsWhileSending, relayOptions, type ScriptedUpstream, scriptedUpstream } from './scripted-upstream';

/** The source as passthrough.ts builds it, on the fake clock. */
function sourceOver(upstream: ScriptedUpstream, wire: WireApi, first: string | Uint8Array): EventSource {
  return upstreamEvents(relayOptions(upstream, wire, first));
}

const drain = (source: EventSource): Promise<SourceItem[]> => itemsToEnd(source);

const eventsOf = (items: readonly SourceItem[]): SseEvent[] => items.flatMap((item) => (item.kind === 'events' ? item.events : []));
const endOf = (items: readonly SourceItem[]): SourceItem | undefined => items.find((item) => item.kind === 'end');
const closingData = (item: SourceItem | undefined): unknown => (item?.kind === 'end' && item.closing !== null ? JSON.parse(item.closing.data ?? 'null') : null);

/** The next item, with fake time advanced by ms while waiting for it; fails if it came earlier. */
async function nextAfter(source: EventSource, ms: number): Promise<SourceItem> {
  let settled = false;
  const pending = source.next().finally(() => {
    settled = true;
  });
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(settled, `an item came before ${ms} ms`).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  return pending;
}

const responsesEvent = (type: string, sequence: number, extra = ''): string =>
  `event: ${type}\ndata: {"type":"${type}","sequence_number":${sequence}${extra}}\n\n`;
const CREATED = responsesEvent('response.created', 0, ',"response":{"id":"resp_1","model":"gpt-x"}');
const delta = (sequence: number, text: string): string => responsesEvent('response.output_text.delta', sequence, `,"delta":"${text}"`);
const COMPLETED = responsesEvent('response.completed', 9, ',"response":{"id":"resp_1"}');
const chatChunk = (content: string, finish: string | null = null): string =>
  `data: {"choices":[{"delta":{"content":"${content}"},"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('whole events, in order', () => {
  const transcript = encode(`${CREATED}${delta(1, 'héllo')}: upstream comment\r\n\r\n${delta(2, ' wörld ✓')}${COMPLETED}`);
  const expected = [CREATED, delta(1, 'héllo'), ': upstream comment\n\n', delta(2, ' wörld ✓'), COMPLETED];

  it.each([1, 2, 3, 7, 64, transcript.byteLength])('whatever the chunk boundaries (chunks of %i bytes, multi-byte characters split too)', async (size) => {
    const upstream = scriptedUpstream();
    const chunks = Array.from({ length: Math.ceil(transcript.byteLength / size) }, (_, i) => transcript.slice(i * size, (i + 1) * size));
    const [first = new Uint8Array(), ...rest] = chunks;
    for (const chunk of rest) upstream.sendBytes(chunk);
    const items = await drain(sourceOver(upstream, 'responses', first));
    expect(eventsOf(items).map((event) => event.text)).toEqual(expected);
    expect(items.every((item) => item.kind !== 'events' || item.events.length > 0)).toBe(true);
    expect(endOf(items)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
  });

  it.each(['\n\r\n', '\n\r', '\r\n\r'])('events whose lines and blank lines end in a mix of CR and LF (%j) are told apart', async (blank) => {
    const upstream = scriptedUpstream();
    upstream.send(`${delta(1, 'x').trimEnd()}${blank}${COMPLETED.trimEnd()}${blank}: after\n\n`);
    upstream.close();
    const items = await drain(sourceOver(upstream, 'responses', CREATED));
    expect(eventsOf(items).map((event) => event.event)).toEqual(['response.created', 'response.output_text.delta', 'response.completed']);
    expect(endOf(items)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
  });

  it.each<[string, WireApi, string, string, (string | null)[]]>([
    ['response.completed, its last line ended by LF', 'responses', CREATED, COMPLETED.slice(0, -1), ['response.created', 'response.completed']],
    ['data: [DONE], ended by CR', 'chat', chatChunk('hi', 'stop'), 'data: [DONE]\r', [null, null]],
  ])('an event whose blank line never came (%s) is still handed out at the end of the body', async (_name, wire, first, last, types) => {
    const upstream = scriptedUpstream();
    upstream.send(last);
    upstream.close();
    const items = await drain(sourceOver(upstream, wire, first));
    expect(eventsOf(items).map((event) => event.event)).toEqual(types);
    expect(eventsOf(items).at(-1)?.text).toBe(`${last.trimEnd()}\n\n`);
    expect(endOf(items)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
  });

  it('an event cut off mid-line at the end of the body is no event: it is dropped, and the closing event follows', async () => {
    const upstream = scriptedUpstream();
    upstream.send(COMPLETED.slice(0, COMPLETED.indexOf('"id"')));
    upstream.close();
    const source = sourceOver(upstream, 'responses', CREATED);
    const items = await drain(source);
    expect(eventsOf(items).map((event) => event.event)).toEqual(['response.created']);
    expect(endOf(items)).toMatchObject({ kind: 'end', end: 'upstream-closed', closing: { event: 'response.failed' } });
    expect(source.report().failed).toBe(true);
  });
});

describe('the terminal event ends the stream', () => {
  const ERROR_CHUNK = 'data: {"error":{"message":"overloaded"}}\n\n';
  it.each<[string, WireApi, string, string]>([
    ['response.completed', 'responses', CREATED + COMPLETED, COMPLETED],
    ['[DONE]', 'chat', `${chatChunk('hi', 'stop')}data: [DONE]\n\n`, 'data: [DONE]\n\n'],
    ['an error chunk', 'chat', ERROR_CHUNK, ERROR_CHUNK],
  ])('%s: what follows it is dropped and the upstream cancelled', async (_name, wire, text, last) => {
    const upstream = scriptedUpstream();
    upstream.send(`${text}data: {"after":"the end"}\n\n`);
    const items = await drain(sourceOver(upstream, wire, ''));
    const events = eventsOf(items);
    expect(events.at(-1)?.text).toBe(last);
    expect(events.some((event) => event.data?.includes('after'))).toBe(false);
    expect(endOf(items)).toEqual({ kind: 'end', end: 'terminal', closing: null, failure: null });
    expect(upstream.cancelled()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a body that ends without its terminal event gets the closing event of its wire', () => {
  it('responses: response.failed with code server_error, the response id and the next sequence number', async () => {
    const upstream = scriptedUpstream();
    upstream.send(delta(1, 'a') + delta(4, 'b'));
    upstream.close();
    const end = endOf(await drain(sourceOver(upstream, 'responses', CREATED)));
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-closed', failure: null, closing: { event: 'response.failed' } });
    expect(closingData(end)).toMatchObject({
      type: 'response.failed',
      sequence_number: 5,
      response: {
        id: 'resp_1',
        model: 'gpt-x',
        status: 'failed',
        error: {
          code: 'server_error',
          message: 'codex-edge: the upstream closed the stream before its terminal event (upstream api.example); the request can be retried',
        },
      },
    });
  });

  it.each<[string, string, object | null]>([
    ['chat cut mid-answer: an error chunk', chatChunk('hal'), { error: { type: 'server_error', code: 'server_error' } }],
    ['chat that finished: its [DONE]', chatChunk('done', 'stop'), null],
  ])('%s', async (_name, text, data) => {
    const upstream = scriptedUpstream();
    upstream.close();
    const end = endOf(await drain(sourceOver(upstream, 'chat', text)));
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-closed', failure: null });
    if (data === null) expect(end?.kind === 'end' && end.closing?.text).toBe('data: [DONE]\n\n');
    else expect(closingData(end)).toMatchObject(data);
  });

  it('opaque: the end of the body is the end of the stream (nothing owed, nothing to signal)', async () => {
    const upstream = scriptedUpstream();
    upstream.close();
    const items = await drain(sourceOver(upstream, 'opaque', 'data: {"x":1}\n\n'));
    expect(endOf(items)).toEqual({ kind: 'end', end: 'upstream-closed', closing: null, failure: null });
  });
});

describe('a read that breaks', () => {
  const secret = 'sk-proj-abcdefghijklmnop1234';

  it('responses: the closing event names the cause, with any key in it redacted', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    expect((await source.next()).kind).toBe('events');
    upstream.fail(new Error(`connection reset (Authorization: ${secret})`));
    const end = await source.next();
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-broke', failure: null });
    const text = end.kind === 'end' ? (end.closing?.text ?? '') : '';
    expect(text).not.toContain('abcdefghijklmnop1234');
    expect(closingData(end)).toMatchObject({
      sequence_number: 1,
      response: {
        error: {
          code: 'server_error',
          message: 'codex-edge: the upstream stream broke (connection reset (Authorization: sk-[redacted])) (upstream api.example); the request can be retried',
        },
      },
    });
  });

  it('opaque: no closing event exists, so the end carries the (redacted) failure for the writer to signal', async () => {
    const upstream = scriptedUpstream();
    upstream.fail(new Error(`reset by peer ${secret}`));
    const end = endOf(await drain(sourceOver(upstream, 'opaque', 'data: 1\n\n')));
    expect(end).toMatchObject({ kind: 'end', end: 'upstream-broke', closing: null });
    expect(end?.kind === 'end' && end.failure).toBe(
      'codex-edge: the upstream stream broke (reset by peer sk-[redacted]) (upstream api.example); the request can be retried',
    );
  });
});

describe('heartbeats and the idle cap', () => {
  it('a heartbeat after every heartbeatMs of silence towards the client', async () => {
    const source = sourceOver(scriptedUpstream(), 'responses', CREATED);
    expect((await source.next()).kind).toBe('events');
    for (let i = 0; i < 3; i += 1) expect(await nextAfter(source, HEARTBEAT_MS)).toEqual({ kind: 'heartbeat' });
  });

  it('no heartbeat while events flow, even when they come slower than half the interval', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    const items: SourceItem[] = [await source.next()];
    for (let i = 1; i <= 8; i += 1) {
      const pending = source.next();
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - 100);
      upstream.send(delta(i, 'x'));
      items.push(await pending);
    }
    expect(items.map((item) => item.kind)).toEqual(Array.from({ length: 9 }, () => 'events'));
  });

  it('the silence is counted from what the client last got: an event pushes the next heartbeat back', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    await source.next();
    expect(await nextAfter(source, HEARTBEAT_MS)).toEqual({ kind: 'heartbeat' });
    const pending = source.next();
    await vi.advanceTimersByTimeAsync(400);
    upstream.send(delta(1, 'x'));
    expect((await pending).kind).toBe('events');
    expect(await nextAfter(source, HEARTBEAT_MS)).toEqual({ kind: 'heartbeat' });
  });

  it('the idle cap ends a silent stream with the closing event, though heartbeats went out', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    await source.next();
    for (let i = 0; i < 3; i += 1) expect(await nextAfter(source, HEARTBEAT_MS)).toEqual({ kind: 'heartbeat' });
    const end = await nextAfter(source, IDLE_MS - 3 * HEARTBEAT_MS);
    expect(end).toMatchObject({ kind: 'end', end: 'idle', failure: null });
    expect(closingData(end)).toMatchObject({
      type: 'response.failed',
      response: { error: { code: 'server_error', message: expect.stringContaining(`the upstream sent nothing for ${IDLE_MS} ms`) as unknown } },
    });
    expect(upstream.cancelled()).toBe(true);
  });

  it('upstream comments neither hold the idle cap off nor put the heartbeat off (Codex ignores comments); they go out as they came', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    await source.next();
    const items = await itemsWhileSending(source, upstream, { text: ': PROCESSING\n\n', everyMs: HEARTBEAT_MS / 2, forMs: IDLE_MS });
    expect(items.filter(([, item]) => item.kind === 'heartbeat').map(([at]) => at)).toEqual([HEARTBEAT_MS, 2 * HEARTBEAT_MS, 3 * HEARTBEAT_MS]);
    const relayed = eventsOf(items.map(([, item]) => item));
    expect(relayed.length).toBeGreaterThan(1);
    expect(relayed.every((event) => event.text === ': PROCESSING\n\n')).toBe(true);
    expect(items.at(-1)).toEqual([
      IDLE_MS,
      expect.objectContaining({ kind: 'end', end: 'idle', closing: expect.objectContaining({ event: 'response.failed' }) as unknown }),
    ]);
  });
});

describe('a client that goes away', () => {
  it('cancels the upstream and stops the timers: no heartbeat, no idle end afterwards', async () => {
    const upstream = scriptedUpstream();
    const source = sourceOver(upstream, 'responses', CREATED);
    await source.next();
    const pending = source.next();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS / 2);
    source.cancel();
    expect(upstream.cancelled()).toBe(true);
    await pending;
    expect(vi.getTimerCount()).toBe(0);
    await expect(source.next()).rejects.toThrow('the event source has ended');
  });
});
