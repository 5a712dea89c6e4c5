import { describe, expect, it } from 'vitest';
import { parseUpstreamError } from '../../../src/upstream/error-body';

describe('parseUpstreamError', () => {
  it.each<[string, string, string | null, object]>([
    [
      'OpenAI error',
      '{"error":{"message":"bad","type":"invalid_request_error","code":"x","param":"model"}}',
      'application/json',
      { message: 'bad', type: 'invalid_request_error', code: 'x', param: 'model', shape: 'json' },
    ],
    ['error string', '{"error":"nope"}', 'application/json', { message: 'nope', shape: 'json' }],
    ['message field', '{"message":"nope"}', 'application/json', { message: 'nope', shape: 'json' }],
    ['detail field', '{"detail":"Not Found"}', 'application/json', { message: 'Not Found', shape: 'json' }],
    ['HTML page', '<html><body><h1>400 Bad Request</h1></body></html>', 'text/html', { message: null, shape: 'other' }],
    ['empty body', '', null, { message: null, shape: 'other' }],
    ['plain text', 'upstream connect error', 'text/plain', { message: 'upstream connect error', shape: 'other' }],
    ['JSON array', '[1]', 'application/json', { message: null, shape: 'other' }],
    [
      "Google's error in an array",
      '[{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \\"reasoning\\"","status":"INVALID_ARGUMENT"}}]',
      'application/json',
      { message: 'Invalid JSON payload received. Unknown name "reasoning"', code: '400', shape: 'json' },
    ],
  ])('%s', (_name, body, contentType, expected) => {
    expect(parseUpstreamError(body, contentType)).toMatchObject(expected);
  });

  it.each<[string, string, object]>([
    [
      'a huge message cut at the read cap',
      '{"error":{"type":"invalid_request_error","code":"too_big","message":"aaaa',
      { message: 'aaaa…', type: 'invalid_request_error', code: 'too_big', shape: 'json' },
    ],
    ['cut inside an escape', '{"error":{"message":"line\\', { message: 'line…', shape: 'json' }],
    ['cut before any message', '{"error":{"code":"x"', { message: null, code: 'x', shape: 'json' }],
    ['cut after a long run of escaped backslashes', `{"error":{"message":"${'\\\\'.repeat(20_000)}x\\`, { message: `${'\\'.repeat(20_000)}x…` }],
  ])('a JSON error cut short: %s', (_name, body, expected) => {
    expect(parseUpstreamError(body, 'application/json', true)).toMatchObject(expected);
  });
});
