import { describe, expect, it } from 'vitest';
import { parseUpstreamError } from '../../../src/upstream/error-body';

describe('parseUpstreamError', () => {
  it.each<[string, string, string | null, object]>([
    ['OpenAI error', '{"error":{"message":"bad","type":"invalid_request_error","code":"x","param":"model"}}', 'application/json', { message: 'bad', type: 'invalid_request_error', code: 'x', param: 'model', shape: 'json' }],
    ['error string', '{"error":"nope"}', 'application/json', { message: 'nope', shape: 'json' }],
    ['message field', '{"message":"nope"}', 'application/json', { message: 'nope', shape: 'json' }],
    ['detail field', '{"detail":"Not Found"}', 'application/json', { message: 'Not Found', shape: 'json' }],
    ['HTML page', '<html><body><h1>400 Bad Request</h1></body></html>', 'text/html', { message: null, shape: 'other' }],
    ['empty body', '', null, { message: null, shape: 'other' }],
    ['plain text', 'upstream connect error', 'text/plain', { message: 'upstream connect error', shape: 'other' }],
    ['JSON array', '[1]', 'application/json', { message: null, shape: 'other' }],
  ])('%s', (_name, body, contentType, expected) => {
    expect(parseUpstreamError(body, contentType)).toMatchObject(expected);
  });
});
