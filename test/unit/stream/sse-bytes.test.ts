/** SSE framing on bytes (stream/sse-bytes.ts): where the last whole event of a chunk ends, and which event holds a place of a text. */
import { describe, expect, it } from 'vitest';
import { boundaryEnd, eachEvent, eventAround, lastEventLines } from '../../../src/stream/sse-bytes';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('boundaryEnd', () => {
  it.each<[string, string, string, number | null]>([
    ['none yet', '', 'data: 1\n', null],
    ['one event', '', 'data: 1\n\n', 9],
    ['the last of two, the rest waits', '', 'data: 1\n\ndata: 2\n\ndata: 3', 18],
    ['a line inside an event is no boundary', '', 'event: x\ndata: 1\n', null],
    ['CRLF', '', 'data: 1\r\n\r\ndata: 2', 11],
    ['CR only', '', 'data: 1\r\rdata: 2', 9],
    ['an LF line, then a CRLF blank line', '', 'data: 1\n\r\ndata: 2', 10],
    ['a CRLF line, then an LF blank line', '', 'data: 1\r\n\ndata: 2', 10],
    ['an LF line, then a CR blank line', '', 'data: 1\n\rdata: 2', 9],
    ['a CRLF line, then a CR blank line', '', 'data: 1\r\n\rdata: 2', 10],
    ['a CR line, then a CRLF blank line', '', 'data: 1\r\r\ndata: 2', 10],
    ['a CRLF is one line end, not two', '', 'event: x\r\ndata: 1\r\n', null],
    ['a CR blank line after the last LF one', '', 'data: 1\n\ndata: 2\n\rdata: 3', 18],
    ['a CR last may be half a CRLF: it waits', '', 'data: 1\r\n\r', null],
    ['...but not after a CR line (a stream of CR line ends is not held back)', '', 'data: 1\r\r', 9],
    ['straddling what was held: "\\n" + "\\n"', 'data: 1\n', '\ndata: 2', 1],
    ['straddling what was held: "\\r\\n\\r" + "\\n"', 'data: 1\r\n\r', '\ndata: 2', 1],
    ['straddling what was held: "\\n" + "\\r\\n"', 'data: 1\n', '\r\ndata: 2', 2],
    ['what was held ends with a CR this chunk shows is no half CRLF', 'data: 1\n\r', 'data: 2', 0],
    ['an empty chunk', 'data: 1\n', '', null],
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

  const mixed = 'data: a\r\rdata: b\r\n\r\ndata: c\n\ndata: d\n\r\ndata: e\r\ndata: f\n\rdata: g';
  it.each<[number, string]>([
    [0, 'data: a'],
    [9, 'data: b'], // the first character after a "\r\r"
    [mixed.indexOf('data: c'), 'data: c'],
    [mixed.indexOf('data: d'), 'data: d'],
    [mixed.indexOf('data: f'), 'data: e\r\ndata: f'], // a CRLF is one line end
    [mixed.length, 'data: g'], // an event still open at the end
  ])('in a text whose boundaries mix CR, CRLF and LF, the event around %i', (index, lines) => {
    const span = eventAround(mixed, index);
    expect(mixed.slice(span.start, span.linesEnd)).toBe(lines);
  });

  it('each event with its boundary, and the last one', () => {
    expect(eachEvent(`${text}data: tail`)).toEqual(['data: 1\n\n', 'event: e\ndata: 2\r\n\r\n', ': c\n\n', 'data: tail']);
    expect(eachEvent('data: 1\n\r\ndata: 2\r\n\ndata: 3\n\r')).toEqual(['data: 1\n\r\n', 'data: 2\r\n\n', 'data: 3\n\r']);
    expect(lastEventLines(text)).toBe(': c');
    expect(lastEventLines('\n\n')).toBeNull();
    // A long run of line ends before the last event (a pattern for the trailing ones took quadratic time: seconds here).
    expect(lastEventLines(`data: x\n\n${'\r'.repeat(200_000)}data: y\n\n`)).toBe('data: y');
  });
});
