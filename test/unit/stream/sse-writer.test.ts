/**
 * The SSE writer in-process: a scripted event source (items handed out when the test says),
 * the client's side read through the returned stream, and the summary the log line gets. The
 * last block runs the real upstream source through it, on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redactor } from '../../../src/core/redact';
import { upstreamEvents, type EventSource, type SourceItem } from '../../../src/stream/source';
import { commentEvent, dataEvent, type SseEvent } from '../../../src/stream/sse';
import { relayEnd, sseBody, type RelaySummary } from '../../../src/stream/sse-writer';
import { watchStream, type StreamFailure, type StreamReport, type WireApi } from '../../../src/stream/terminal';

const HEARTBEAT = ': keep-alive\n\n';
const KIB_64 = 64 * 1024;
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** An event source that hands out the items it is given, waiting for more when it has none; records pulls and cancel. */
interface ScriptedSource extends EventSource {
  give(...items: SourceItem[]): void;
  readonly pulls: () => number;
  readonly cancelled: () => boolean;
}

function scriptedSource(...initial: SourceItem[]): ScriptedSource {
  const queue = [...initial];
  const waiting: ((item: SourceItem) => void)[] = [];
  let pulls = 0;
  let cancelled = false;
  return {
    next: () => {
      pulls += 1;
      const item = queue.shift();
      return item === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(item);
    },
    cancel: () => {
      cancelled = true;
    },
    report: () => ({ usage: null, failed: false, failure: null }),
    give: (...items) => {
      for (const item of items) {
        const resolve = waiting.shift();
        if (resolve === undefined) queue.push(item);
        else resolve(item);
      }
    },
    pulls: () => pulls,
    cancelled: () => cancelled,
  };
}

const events = (...list: SseEvent[]): SourceItem => ({ kind: 'events', events: list });
const end = (kind: 'terminal' | 'upstream-closed' | 'upstream-broke' | 'idle', closing: SseEvent | null = null, failure: string | null = null): SourceItem => ({
  kind: 'end',
  end: kind,
  closing,
  failure,
});
const delta = (text: string): SseEvent => dataEvent('response.output_text.delta', { type: 'response.output_text.delta', delta: text });
const FAILED = dataEvent('response.failed', { type: 'response.failed', response: { status: 'failed' } });

interface Client {
  readonly body: ReadableStream<Uint8Array>;
  readonly summaries: RelaySummary[];
  readonly abort: () => void;
}

function writeTo(source: EventSource): Client {
  const controller = new AbortController();
  const summaries: RelaySummary[] = [];
  const body = sseBody(source, { heartbeat: HEARTBEAT, client: controller.signal, onEnd: (summary) => summaries.push(summary) });
  return { body, summaries, abort: () => controller.abort() };
}

/** What the client receives: each chunk as text, until the stream closes. */
async function chunksOf(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const chunks: string[] = [];
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(decode(read.value));
  return chunks;
}

/** Lets the stream machinery run (pulls are promise jobs). */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('what the client receives', () => {
  it('events as they came, heartbeats, the closing event the gateway owed, then a clean close; the summary counts them', async () => {
    const source = scriptedSource(events(delta('hé'), delta('llo')), { kind: 'heartbeat' }, events(delta('!')), end('upstream-broke', FAILED));
    const client = writeTo(source);
    const text = (await chunksOf(client.body)).join('');
    expect(text).toBe(delta('hé').text + delta('llo').text + HEARTBEAT + delta('!').text + FAILED.text);
    expect(client.summaries).toEqual([{ end: 'upstream-broke', bytes: encode(text).byteLength, repaired: true, usage: null, failed: false, failure: null }]);
  });

  it('a stream that ended by itself is closed as it is, not repaired', async () => {
    const client = writeTo(scriptedSource(events(delta('a'), commentEvent('upstream ping')), end('terminal')));
    const text = `${delta('a').text}: upstream ping\n\n`;
    expect((await chunksOf(client.body)).join('')).toBe(text);
    expect(client.summaries).toEqual([{ end: 'terminal', bytes: encode(text).byteLength, repaired: false, usage: null, failed: false, failure: null }]);
  });

  it('a stream that broke with no closing event for its wire is errored, so the client cannot take it as complete', async () => {
    const source = scriptedSource(events(delta('partial')));
    const client = writeTo(source);
    const reader = client.body.getReader();
    expect(decode((await reader.read()).value ?? new Uint8Array())).toBe(delta('partial').text);
    source.give(end('upstream-broke', null, 'codex-edge: the upstream stream broke (reset)'));
    await expect(reader.read()).rejects.toThrow('codex-edge: the upstream stream broke (reset)');
    expect(client.summaries).toEqual([
      {
        end: 'upstream-broke',
        bytes: encode(delta('partial').text).byteLength,
        repaired: false,
        usage: null,
        failed: true,
        failure: { code: null, message: 'codex-edge: the upstream stream broke (reset)' },
      },
    ]);
  });

  it('the summary carries what the source reports of itself: its usage and whether it ended in a failure', async () => {
    const usage = { input: 10, output: 5, total: 15, cached: 2, reasoning: 1 };
    const failure = { code: 'server_error', message: 'the model crashed' };
    const source = { ...scriptedSource(events(delta('a')), end('terminal')), report: () => ({ usage, failed: true, failure }) };
    const client = writeTo(source);
    await chunksOf(client.body);
    expect(client.summaries).toMatchObject([{ end: 'terminal', usage, failed: true, failure }]);
  });
});

describe('chunking and backpressure', () => {
  it('a large batch of events goes out in chunks of at most 64 KiB, nothing lost or reordered', async () => {
    const many = Array.from({ length: 300 }, (_, i) => delta(`${i}:${'x'.repeat(700)}`));
    const client = writeTo(scriptedSource(events(...many), end('terminal')));
    const chunks = await chunksOf(client.body);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(encode(chunk).byteLength).toBeLessThanOrEqual(KIB_64);
    expect(chunks.join('')).toBe(many.map((event) => event.text).join(''));
    expect(client.summaries[0]).toMatchObject({ bytes: encode(chunks.join('')).byteLength });
  });

  it('an event larger than 64 KiB is never cut: it goes out whole, in a chunk of its own', async () => {
    const small = delta('a');
    const huge = delta('y'.repeat(100 * 1024));
    const chunks = await chunksOf(writeTo(scriptedSource(events(small, huge, small), end('terminal'))).body);
    expect(chunks).toEqual([small.text, huge.text, small.text]);
  });

  it('reads from the upstream only about 64 KiB ahead of a client that does not read', async () => {
    const source = scriptedSource(...Array.from({ length: 50 }, () => events(delta('z'.repeat(16 * 1024)))));
    const client = writeTo(source);
    await settle();
    const ahead = source.pulls();
    expect(ahead).toBeGreaterThan(0);
    expect(ahead).toBeLessThanOrEqual(5);
    const reader = client.body.getReader();
    await reader.read();
    await settle();
    expect(source.pulls()).toBe(ahead + 1);
  });
});

describe('a client that goes away', () => {
  const SENT = encode(delta('a').text).byteLength;

  it('its request signal aborts: the upstream is cancelled, the end is client-gone, nothing more is written', async () => {
    const source = scriptedSource(events(delta('a')));
    const client = writeTo(source);
    const reader = client.body.getReader();
    await reader.read();
    let written = false;
    void reader.read().then(() => (written = true));
    await settle(); // the writer now waits on the source for its next item
    expect(source.pulls()).toBe(2);
    client.abort();
    expect(source.cancelled()).toBe(true);
    source.give(events(delta('late')), end('upstream-closed', FAILED));
    await settle();
    expect(written).toBe(false);
    expect(client.summaries).toEqual([{ end: 'client-gone', bytes: SENT, repaired: false, usage: null, failed: false, failure: null }]);
  });

  it('it cancels the body: the upstream is cancelled and the end is client-gone, once', async () => {
    const source = scriptedSource(events(delta('a')));
    const client = writeTo(source);
    const reader = client.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(source.cancelled()).toBe(true);
    source.give(events(delta('late')), end('upstream-closed', FAILED));
    client.abort();
    await settle();
    expect(client.summaries).toEqual([{ end: 'client-gone', bytes: SENT, repaired: false, usage: null, failed: false, failure: null }]);
  });

  it('going away after the end changes nothing', async () => {
    const source = scriptedSource(events(delta('a')), end('terminal'));
    const client = writeTo(source);
    await chunksOf(client.body);
    client.abort();
    expect(source.cancelled()).toBe(false);
    expect(client.summaries.map((summary) => summary.end)).toEqual(['terminal']);
  });
});

describe('the upstream source through the writer', () => {
  /** A silent upstream after its first bytes, the source as passthrough.ts builds it, and its client. */
  function silentUpstream(wire: WireApi, first: string): { client: Client; cancelled: () => boolean; fail: (error: Error) => void } {
    let cancelled = false;
    let fail: (error: Error) => void = () => undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        fail = (error) => controller.error(error);
      },
      cancel() {
        cancelled = true;
      },
    });
    const source = upstreamEvents({
      first: encode(first),
      reader: stream.getReader(),
      watch: watchStream(wire),
      heartbeatMs: 1_000,
      idleMs: 2_500,
      explain: (cause) => `codex-edge: ${cause}`,
      maxEventBytes: 1024 * 1024,
      redactor: Redactor.patterns,
      now: () => Date.now(),
    });
    return { client: writeTo(source), cancelled: () => cancelled, fail: (error) => fail(error) };
  }

  it('a silent Responses stream: heartbeats each second, then response.failed at the idle cap and a clean close', async () => {
    const upstream = silentUpstream('responses', 'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1"}}\n\n');
    const chunks = chunksOf(upstream.client.body);
    await vi.advanceTimersByTimeAsync(2_500);
    const text = (await chunks).join('');
    expect(text.split(HEARTBEAT)).toHaveLength(3);
    expect(text).toMatch(
      /event: response\.failed\ndata: .*"sequence_number":1.*"code":"server_error","message":"codex-edge: the upstream sent nothing for 2500 ms"/,
    );
    expect(upstream.client.summaries).toMatchObject([{ end: 'idle', repaired: true }]);
    expect(upstream.cancelled()).toBe(true);
  });

  it('an opaque stream that breaks is errored towards the client, with the cause redacted', async () => {
    const upstream = silentUpstream('opaque', 'data: {"part":1}\n\n');
    const reader = upstream.client.body.getReader();
    expect(decode((await reader.read()).value ?? new Uint8Array())).toBe('data: {"part":1}\n\n');
    upstream.fail(new Error('reset, key sk-proj-abcdefghijklmnop1234'));
    await expect(reader.read()).rejects.toThrow('codex-edge: the upstream stream broke (reset, key sk-[redacted])');
    expect(upstream.client.summaries).toMatchObject([{ end: 'upstream-broke', repaired: false }]);
  });

  it('the client going away mid-stream cancels the upstream body', async () => {
    const upstream = silentUpstream('responses', 'data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1"}}\n\n');
    const reader = upstream.client.body.getReader();
    await reader.read();
    upstream.client.abort();
    expect(upstream.cancelled()).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(upstream.client.summaries).toMatchObject([{ end: 'client-gone' }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('relayEnd: what the end of a relay says of its stream', () => {
  const said = { code: 'server_error', message: 'the model crashed' };
  const report = (failed: boolean, failure: StreamFailure | null = null): StreamReport => ({ usage: null, failed, failure });
  it.each<[string, StreamReport, string | null, Pick<RelaySummary, 'failed' | 'failure'>]>([
    ['ended well', report(false), null, { failed: false, failure: null }],
    ['ended in a failure that says why', report(true, said), null, { failed: true, failure: said }],
    ['ended in a failure that says nothing', report(true), null, { failed: true, failure: null }],
    [
      'errored by the writer, with a message',
      report(false),
      'the upstream stream broke',
      { failed: true, failure: { code: null, message: 'the upstream stream broke' } },
    ],
    ['errored by the writer, without one', report(false), '', { failed: true, failure: null }],
    ['a failure said and an error signalled: what the stream said', report(true, said), 'the socket refused a frame', { failed: true, failure: said }],
    ['a failure said, on a stream that then did not fail: nothing', report(false, said), null, { failed: false, failure: null }],
  ])('%s', (_name, reported, broke, expected) => {
    expect(relayEnd(reported, broke)).toEqual({ usage: null, ...expected });
  });
});
