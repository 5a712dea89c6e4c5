/**
 * The byte relay in-process (stream/chunk-source.ts): a scripted upstream body, fake timers, the
 * fake clock as `now` (chunk-relay.ts). The client must get the upstream's bytes as they came, cut
 * only between whole events, and the closing event of its wire where the terminal event never came.
 * The drain after the terminal event: chunk-source-drain; heartbeats and caps: chunk-source-limits;
 * redaction: chunk-source-redaction.
 */
import { describe, expect, it } from 'vitest';
import { type WireApi } from '../../../src/stream/terminal';
import { useFakeClock } from '../fake-clock';
import { chunksOver, COMPLETED, CREATED, delta, drain, transcript } from './chunk-relay';
import { encode, scriptedUpstream } from './scripted-upstream';

useFakeClock();

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
    expect(source.report()).toEqual({ usage: { input: 3, output: 4, total: 7, cached: 0, reasoning: 0 }, failed: false, failure: null });
  });
});
