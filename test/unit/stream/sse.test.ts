import { describe, expect, it } from 'vitest';
import { SseSplitter } from '../../../src/stream/sse';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SseSplitter', () => {
  it('yields whole events whatever the chunk boundaries', () => {
    const stream = 'event: a\ndata: {"x":1}\n\nevent: b\ndata: {"é":2}\n\n: comment\n\n';
    const encoded = bytes(stream);
    for (let cut = 1; cut < encoded.length; cut += 1) {
      const splitter = new SseSplitter();
      const events = [...splitter.push(encoded.slice(0, cut)), ...splitter.push(encoded.slice(cut))];
      expect(events.map((e) => [e.event, e.data])).toEqual([
        ['a', '{"x":1}'],
        ['b', '{"é":2}'],
        [null, null],
      ]);
      expect(splitter.rest()).toBeNull();
    }
  });

  it.each(['\n', '\r\n'])('reassembles events fed one byte at a time (line ending %j)', (eol) => {
    const big = 'x'.repeat(5000);
    const encoded = bytes(`event: a${eol}data: {"t":"${big}"}${eol}${eol}data: 2${eol}${eol}`);
    const splitter = new SseSplitter();
    const events = Array.from(encoded, (byte) => splitter.push(Uint8Array.of(byte))).flat();
    expect(events.map((e) => e.data)).toEqual([`{"t":"${big}"}`, '2']);
  });

  it.each([
    ['CRLF', 'data: 1\r\n\r\ndata: 2\r\n\r\n'],
    ['CR', 'data: 1\r\rdata: 2\r\r'],
    ['LF', 'data: 1\n\ndata: 2\n\n'],
  ])('understands %s line endings and re-emits LF', (_name, text) => {
    const events = new SseSplitter().push(bytes(text));
    expect(events.map((e) => e.text)).toEqual(['data: 1\n\n', 'data: 2\n\n']);
  });

  it.each(['\n\r\n', '\r\n\n', '\n\r', '\r\n\r', '\r\r\n'])('a line end and a blank line written as %j end an event, wherever the chunks are cut', (blank) => {
    const encoded = bytes(`data: 1${blank}data: 2${blank}: end\n\n`);
    for (let cut = 1; cut < encoded.length; cut += 1) {
      const splitter = new SseSplitter();
      const events = [...splitter.push(encoded.slice(0, cut)), ...splitter.push(encoded.slice(cut))];
      expect(events.map((e) => e.data)).toEqual(['1', '2', null]);
      expect(splitter.rest()).toBeNull();
    }
  });

  it('takes a CRLF for one line end, never two, wherever the chunks are cut', () => {
    const encoded = bytes('data: 1\r\ndata: 2\r\n\r\n');
    for (let cut = 1; cut < encoded.length; cut += 1) {
      const splitter = new SseSplitter();
      const events = [...splitter.push(encoded.slice(0, cut)), ...splitter.push(encoded.slice(cut))];
      expect(events.map((e) => e.data)).toEqual(['1\n2']);
    }
  });

  it('joins multi-line data; at the end, keeps a last event whose last line is whole and drops one cut off mid-line', () => {
    const splitter = new SseSplitter();
    expect(splitter.push(bytes('data: a\ndata: b\n\ndata: tail\n'))).toHaveLength(1);
    expect(splitter.rest()).toMatchObject({ text: 'data: tail\n\n', data: 'tail' });
    const cut = new SseSplitter();
    cut.push(bytes('data: a\n\ndata: {"cut":'));
    expect(cut.rest()).toBeNull();
  });
});
