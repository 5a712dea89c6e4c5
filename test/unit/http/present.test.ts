import { describe, expect, it } from 'vitest';
import type { ClientProfile } from '../../../src/http/client-profile';
import { GatewayError, configurationError, invalidRequest, methodNotAllowed, notFound, unauthorized, type ClientAdvice } from '../../../src/core/errors';
import { presentError, type Audience, type PresentedError } from '../../../src/http/present';

const error = (status: number, advice: ClientAdvice, code = 'c'): GatewayError =>
  new GatewayError({ status, message: `upstream answered ${status}`, type: 't', code, advice });

type ExpectedHeaders = Record<string, string | undefined>;
/** A client that is not reading a Responses stream. */
const plain = (profile: ClientProfile): Audience => ({ profile, responsesStream: false });

function json(presented: PresentedError): Extract<PresentedError, { kind: 'json' }> {
  if (presented.kind !== 'json') throw new Error(`expected a JSON error, got ${presented.kind}`);
  return presented;
}
const FINAL: ClientAdvice = { kind: 'final' };

/** What each client receives: the whole mapping in one table. */
describe('presentError', () => {
  it.each<[string, number, string, ClientAdvice, ClientProfile, number, ExpectedHeaders]>([
    [
      'transient 502 to Codex (not a stream): 429, the one status it waits out once',
      502,
      'c',
      { kind: 'retry', afterMs: 1500 },
      'codex',
      429,
      { 'retry-after': '2', 'retry-after-ms': '1500', 'x-should-retry': 'true' },
    ],
    ['transient 502 to the SDK stays 502', 502, 'c', { kind: 'retry', afterMs: 1500 }, 'openai-sdk', 502, { 'retry-after': '2', 'x-should-retry': 'true' }],
    [
      'transient 503 to the SDK',
      503,
      'c',
      { kind: 'retry', afterMs: 1000 },
      'openai-sdk',
      503,
      { 'retry-after': '1', 'retry-after-ms': '1000', 'x-should-retry': 'true' },
    ],
    ['429 always has Retry-After', 429, 'c', { kind: 'retry', afterMs: 0 }, 'codex', 429, { 'retry-after': '1', 'x-should-retry': 'true' }],
    [
      'a zero wait is never passed on: at least 1 s',
      503,
      'c',
      { kind: 'retry', afterMs: 0 },
      'openai-sdk',
      503,
      { 'retry-after': '1', 'retry-after-ms': '1000' },
    ],
    ['429 to curl', 429, 'c', { kind: 'retry', afterMs: 20_000 }, 'generic', 429, { 'retry-after': '20', 'retry-after-ms': '20000' }],
    ['final 400 to Codex stays 400', 400, 'c', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final 401 to Codex becomes 400', 401, 'invalid_api_key', FINAL, 'codex', 400, { 'x-should-retry': 'false', 'retry-after': undefined }],
    ['final 401 to the SDK stays 401', 401, 'invalid_api_key', FINAL, 'openai-sdk', 401, { 'x-should-retry': 'false' }],
    ['final 403 to Codex becomes 400', 403, 'c', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final 404 model_not_found to Codex stays 404', 404, 'model_not_found', FINAL, 'codex', 404, { 'x-should-retry': 'false' }],
    ['final 404 unknown_url (no /responses upstream) to Codex becomes 400', 404, 'unknown_url', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final 404 of another code to Codex becomes 400', 404, 'c', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final 404 unknown_url to the SDK stays 404', 404, 'unknown_url', FINAL, 'openai-sdk', 404, { 'x-should-retry': 'false' }],
    ['final 404 unknown_url to curl stays 404', 404, 'unknown_url', FINAL, 'generic', 404, { 'x-should-retry': 'false' }],
    ['final 422 to Codex becomes 400', 422, 'c', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final quota 429 to Codex becomes 400', 429, 'insufficient_quota', FINAL, 'codex', 400, { 'retry-after': undefined }],
    [
      'final quota 429 to curl stays 429 without Retry-After',
      429,
      'insufficient_quota',
      FINAL,
      'generic',
      429,
      { 'retry-after': undefined, 'x-should-retry': 'false' },
    ],
    ['configuration error to Codex is final', 500, 'c', FINAL, 'codex', 400, { 'x-should-retry': 'false' }],
    ['426 to Codex stays 426', 426, 'websocket_not_supported', { kind: 'fallback' }, 'codex', 426, { 'x-should-retry': undefined, 'retry-after': undefined }],
  ])('%s', (_name, status, code, advice, profile, expectedStatus, expectedHeaders) => {
    const presented = json(presentError(error(status, advice, code), plain(profile)));
    expect(presented.status).toBe(expectedStatus);
    expect(presented.headers['content-type']).toBe('application/json');
    for (const [name, value] of Object.entries(expectedHeaders)) expect(presented.headers[name]).toBe(value);
    // The body is the error's own: the message still names the real status.
    expect(presented.body).toEqual({ error: { message: `upstream answered ${status}`, type: 't', code, param: null } });
  });

  /** The gateway's own final errors: Codex gets 400 for each, the other clients the real status. */
  it.each<[string, GatewayError, number]>([
    ['an unknown route (404 unknown_url)', notFound('POST', '/v2/responses'), 404],
    ['a wrong method (405)', methodNotAllowed('PUT', '/v1/responses', ['POST']), 405],
    ['a missing client key (401)', unauthorized('codex-edge: missing API key'), 401],
    ['a body too large (413)', invalidRequest(413, 'codex-edge: body too large', 'request_too_large'), 413],
    ['a configuration error (500)', configurationError('UPSTREAM_BASE_URL is not set'), 500],
  ])('%s: 400 to Codex, the real status to the others', (_name, err, status) => {
    expect(presentError(err, plain('codex'))).toMatchObject({ status: 400, headers: { 'x-should-retry': 'false' }, body: { error: err.body } });
    expect(json(presentError(err, plain('openai-sdk'))).status).toBe(status);
    expect(json(presentError(err, plain('generic'))).status).toBe(status);
  });

  it("keeps the error's own headers, such as Allow", () => {
    expect(presentError(methodNotAllowed('GET', '/v1/responses', ['POST']), plain('generic')).headers['allow']).toBe('POST');
    expect(presentError(methodNotAllowed('GET', '/v1/responses', ['POST']), plain('codex')).headers['allow']).toBe('POST');
  });
});

/** Codex reading a Responses stream is told to wait the one way it waits exactly once and shows the message. */
describe('presentError to Codex on a Responses stream', () => {
  const stream: Audience = { profile: 'codex', responsesStream: true };

  it.each<[string, ClientAdvice, string]>([
    ['a transient failure after the gateway retried', { kind: 'retry', afterMs: 1_500 }, 'try again in 1.5s'],
    ['the provider down (breaker open for 4.2 s)', { kind: 'retry', afterMs: 4_210 }, 'try again in 4.3s'],
    ['a zero wait is never passed on', { kind: 'retry', afterMs: 0 }, 'try again in 1s'],
    ['a hint of a year is told as an hour', { kind: 'retry', afterMs: 31_536_000_000 }, 'try again in 3600s'],
    ['a hint that is no number is told as the shortest wait', { kind: 'retry', afterMs: Infinity }, 'try again in 1s'],
  ])('%s: response.failed, rate_limit_exceeded, "%s"', (_name, advice, hint) => {
    const presented = presentError(error(503, advice, 'upstream_unavailable'), stream);
    expect(presented).toMatchObject({
      kind: 'failed-stream',
      headers: { 'content-type': 'text/event-stream' },
      error: { code: 'rate_limit_exceeded', message: `${hint}: upstream answered 503` },
    });
  });

  it.each<[string, GatewayError, number]>([
    ['a final upstream 401', error(401, FINAL, 'invalid_api_key'), 400],
    ['a model it does not have', error(404, FINAL, 'model_not_found'), 404],
  ])('%s stays an HTTP error it stops on', (_name, err, status) => {
    expect(presentError(err, stream)).toMatchObject({ kind: 'json', status });
  });

  it('the gateway\'s hint comes first: Codex waits the first "try again in" it finds, and a clipped message keeps it', () => {
    const err = new GatewayError({
      status: 429,
      message: 'upstream answered 429: Rate limit reached. Please try again in 20ms.',
      type: 't',
      code: null,
      advice: { kind: 'retry', afterMs: 5_000 },
    });
    const presented = presentError(err, stream);
    const message = presented.kind === 'failed-stream' ? presented.error.message : '';
    expect(/try again in\s*(\d+(?:\.\d+)?)\s*(s|ms|seconds?)/i.exec(message)?.slice(1)).toEqual(['5', 's']);
  });

  it('other clients get the same bounds in their retry headers', () => {
    const presented = json(presentError(error(503, { kind: 'retry', afterMs: Infinity }), plain('openai-sdk')));
    expect(presented.headers).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '1000' });
    expect(json(presentError(error(503, { kind: 'retry', afterMs: 9e15 }), plain('openai-sdk'))).headers).toMatchObject({ 'retry-after': '3600' });
  });

  it('other clients reading a stream get the HTTP error as it is', () => {
    expect(presentError(error(503, { kind: 'retry', afterMs: 2_000 }), { profile: 'openai-sdk', responsesStream: true })).toMatchObject({
      kind: 'json',
      status: 503,
    });
  });
});
