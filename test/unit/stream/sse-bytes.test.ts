/** SSE framing on bytes (stream/sse-bytes.ts): where the last whole event of a chunk ends, and which event holds a place of a text. */
import { describe, expect, it } from 'vitest';
import { boundaryEnd, eachEvent, eventAround, lastEventLines } from '../../../src/stream/sse-bytes';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('boundaryEnd', () => {
  it.each<[string, string, string, number]>([
    ['none yet', '', 'data: 1\n', 0],
    ['one event', '', 'data: 1\n\n', 9],
    ['the last of two, the rest waits', '', 'data: 1\n\ndata: 2\n\ndata: 3', 18],
    ['a line inside an event is no boundary', '', 'event: x\ndata: 1\n', 0],
    ['CRLF', '', 'data: 1\r\n\r\ndata: 2', 11],
    ['CR only', '', 'data: 1\r\rdata: 2', 9],
    ['straddling what was held: "\\n" + "\\n"', 'data: 1\n', '\ndata: 2', 1],
    ['straddling what was held: "\\r\\n\\r" + "\\n"', 'data: 1\r\n\r', '\ndata: 2', 1],
    ['an empty chunk', 'data: 1\n', '', 0],
  ])('%s', (_name, held, chunk, end) => {
    expect(boundaryEnd(bytes(chunk), held === '' ? [] : [bytes(held.slice(0, 2)), bytes(held.slice(2))])).toBe(end);
  });
});

describe('events in a text', () => {
  const text = 'data: 1\n\nevent: e\ndata: 2\r\n\r\n: c\n\n';
  it.each<[number, string]>([
    [0, 'data: 1'],
    [12, 'event: e\ndata: 2'],
    [text.length - 3, ': c'],
  ])('the event around %i', (index, lines) => {
    const span = eventAround(text, index);
    expect(text.slice(span.start, span.linesEnd)).toBe(lines);
  });

  const mixed = 'data: a\r\rdata: b\r\n\r\ndata: c\n\ndata: d';
  it.each<[number, string]>([
    [0, 'data: a'],
    [9, 'data: b'], // the first character after a "\r\r"
    [mixed.indexOf('data: c'), 'data: c'],
    [mixed.length, 'data: d'], // an event still open at the end
  ])('in a text whose boundaries mix CR, CRLF and LF, the event around %i', (index, lines) => {
    const span = eventAround(mixed, index);
    expect(mixed.slice(span.start, span.linesEnd)).toBe(lines);
  });

  it('each event with its boundary, and the last one', () => {
    expect(eachEvent(`${text}data: tail`)).toEqual(['data: 1\n\n', 'event: e\ndata: 2\r\n\r\n', ': c\n\n', 'data: tail']);
    expect(lastEventLines(text)).toBe(': c');
    expect(lastEventLines('\n\n')).toBeNull();
  });
});
