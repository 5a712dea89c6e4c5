import { describe, expect, it } from 'vitest';
import type { AttemptFailure } from '../../../src/upstream/outcome';
import { failureToError, providerDown } from '../../../src/upstream/failure-error';

const ctx = { host: 'api.example.com', tries: { attempts: 3, reconnects: 0 }, stop: 'budget' as const };
const upstream = (status: number, code: string | null, message: string | null, retryAfterMs: number | null = null): AttemptFailure => ({
  kind: 'status',
  status,
  error: { message, type: 'some_type', code, param: null, shape: 'json' },
  retryAfterMs,
});

describe('failureToError', () => {
  it.each<[string, AttemptFailure, number, string, string | null]>([
    ['connection failures → 502, retry', { kind: 'transport', message: 'Network connection lost.', phase: 'headers' }, 502, 'retry', 'upstream_unreachable'],
    ['headers timeout → 504, retry', { kind: 'timeout', afterMs: 5000, phase: 'headers' }, 504, 'retry', 'upstream_timeout'],
    ['empty stream → 502, retry', { kind: 'empty' }, 502, 'retry', 'upstream_empty_response'],
    ['a body trickled past the deadline → 504, retry', { kind: 'timeout', afterMs: 5000, phase: 'body' }, 504, 'retry', 'upstream_timeout'],
    ['a redirect → 502, final', { kind: 'redirect', status: 307, location: 'evil.example' }, 502, 'final', 'upstream_redirect'],
    [
      'a JSON answer over its cap → 502, final',
      { kind: 'oversized', what: 'a JSON answer', limitBytes: 1024, setting: 'MAX_UPSTREAM_JSON_BYTES' },
      502,
      'final',
      'upstream_response_too_large',
    ],
    ['a body in an encoding workerd left encoded → 502, final', { kind: 'undecodable', encoding: 'deflate' }, 502, 'final', 'upstream_unsupported_encoding'],
    ['500 → 502, retry', upstream(500, null, 'boom'), 502, 'retry', null],
    ['503 stays 503', upstream(503, null, 'overloaded'), 503, 'retry', null],
    ['408 → 504', upstream(408, null, 'timeout'), 504, 'retry', null],
    ['429 stays 429 with a wait', upstream(429, 'rate_limit_exceeded', 'slow down', 20_000), 429, 'retry', 'rate_limit_exceeded'],
    ['insufficient_quota is final', upstream(429, 'insufficient_quota', 'quota'), 429, 'final', 'insufficient_quota'],
    ['401 is final, code kept', upstream(401, 'invalid_api_key', 'bad key'), 401, 'final', 'invalid_api_key'],
    ['context length is final', upstream(400, 'context_length_exceeded', 'too long'), 400, 'final', 'context_length_exceeded'],
  ])('%s', (_name, failure, status, advice, code) => {
    const err = failureToError(failure, ctx);
    expect(err.status).toBe(status);
    expect(err.advice.kind).toBe(advice);
    expect(err.body.code).toBe(code);
    expect(err.body.message).toContain('api.example.com');
  });

  it('says the upstream status and message, and carries the upstream wait', () => {
    const err = failureToError(upstream(429, 'rate_limit_exceeded', 'Rate limit reached', 20_000), ctx);
    expect(err.body.message).toBe('upstream api.example.com answered 429 (3 attempts): Rate limit reached');
    expect(err.advice).toEqual({ kind: 'retry', afterMs: 20_000 });
  });

  it.each<[string, 'headers' | 'body', string]>([
    ['before any answer', 'headers', 'could not reach upstream api.example.com (3 attempts): Network connection lost.'],
    ['while the answer came', 'body', 'upstream api.example.com lost the connection while sending its answer (3 attempts): Network connection lost.'],
  ])('says when a connection was lost: %s', (_name, phase, message) => {
    expect(failureToError({ kind: 'transport', message: 'Network connection lost.', phase }, ctx).body.message).toBe(`codex-edge: ${message}`);
  });

  it.each<[string, { attempts: number; reconnects: number }, string]>([
    ['one attempt', { attempts: 1, reconnects: 0 }, '(1 attempt)'],
    ['reconnects after our own stale connections, beside the attempts', { attempts: 1, reconnects: 8 }, '(1 attempt, 8 reconnects)'],
    ['none made', { attempts: 0, reconnects: 0 }, '(no attempt made)'],
  ])('counts what was made: %s', (_name, tries, text) => {
    expect(providerDown('api.example.com', 'answered 503', 2_000, tries).body.message).toContain(text);
  });

  it('a 404 page that came back after its retry is final (a wrong base URL must not make Codex loop)', () => {
    const failure: AttemptFailure = {
      kind: 'status',
      status: 404,
      error: { message: '404 page not found', type: null, code: null, param: null, shape: 'other' },
      retryAfterMs: null,
    };
    const err = failureToError(failure, { ...ctx, stop: 'final' });
    expect(err.status).toBe(404);
    expect(err.advice).toEqual({ kind: 'final' });
  });

  it('describes an HTML answer instead of passing it on', () => {
    const failure: AttemptFailure = {
      kind: 'status',
      status: 404,
      error: { message: null, type: null, code: null, param: null, shape: 'other' },
      retryAfterMs: null,
    };
    const err = failureToError(failure, { ...ctx, tries: { attempts: 2, reconnects: 0 } });
    expect(err.body.message).toMatch(/answered 404 \(2 attempts\): no JSON error in the body/);
    expect(err.body.type).toBe('invalid_request_error');
  });
});
