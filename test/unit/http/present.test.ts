import { describe, expect, it } from 'vitest';
import type { ClientProfile } from '../../../src/http/client-profile';
import { GatewayError, methodNotAllowed, type ClientAdvice } from '../../../src/core/errors';
import { presentError } from '../../../src/http/present';

const error = (status: number, advice: ClientAdvice): GatewayError =>
  new GatewayError({ status, message: `upstream answered ${status}`, type: 't', code: 'c', advice });

/** What each client receives: the whole mapping in one table. */
describe('presentError', () => {
  it.each<[string, number, ClientAdvice, ClientProfile, number, Record<string, string | undefined>]>([
    ['transient 502 to Codex', 502, { kind: 'retry', afterMs: 1500 }, 'codex', 502, { 'retry-after': '2', 'retry-after-ms': '1500', 'x-should-retry': 'true' }],
    ['transient 503 to the SDK', 503, { kind: 'retry', afterMs: 1000 }, 'openai-sdk', 503, { 'retry-after': '1', 'retry-after-ms': '1000', 'x-should-retry': 'true' }],
    ['429 always has Retry-After', 429, { kind: 'retry', afterMs: 0 }, 'codex', 429, { 'retry-after': '1', 'x-should-retry': 'true' }],
    ['429 to curl', 429, { kind: 'retry', afterMs: 20_000 }, 'generic', 429, { 'retry-after': '20', 'retry-after-ms': '20000' }],
    ['final 401 to Codex becomes 400', 401, { kind: 'final' }, 'codex', 400, { 'x-should-retry': 'false', 'retry-after': undefined }],
    ['final 401 to the SDK stays 401', 401, { kind: 'final' }, 'openai-sdk', 401, { 'x-should-retry': 'false' }],
    ['final 403 to Codex becomes 400', 403, { kind: 'final' }, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final 404 to Codex stays 404', 404, { kind: 'final' }, 'codex', 404, { 'x-should-retry': 'false' }],
    ['final 422 to Codex becomes 400', 422, { kind: 'final' }, 'codex', 400, { 'x-should-retry': 'false' }],
    ['final quota 429 to Codex becomes 400', 429, { kind: 'final' }, 'codex', 400, { 'retry-after': undefined }],
    ['final quota 429 to curl stays 429 without Retry-After', 429, { kind: 'final' }, 'generic', 429, { 'retry-after': undefined, 'x-should-retry': 'false' }],
    ['configuration error to Codex is final', 500, { kind: 'final' }, 'codex', 400, { 'x-should-retry': 'false' }],
    ['426 to Codex stays 426', 426, { kind: 'fallback' }, 'codex', 426, { 'x-should-retry': undefined, 'retry-after': undefined }],
  ])('%s', (_name, status, advice, profile, expectedStatus, expectedHeaders) => {
    const presented = presentError(error(status, advice), profile);
    expect(presented.status).toBe(expectedStatus);
    expect(presented.headers['content-type']).toBe('application/json');
    for (const [name, value] of Object.entries(expectedHeaders)) expect(presented.headers[name]).toBe(value);
    expect(presented.body).toEqual({ error: { message: `upstream answered ${status}`, type: 't', code: 'c', param: null } });
  });

  it('keeps the error\'s own headers, such as Allow', () => {
    expect(presentError(methodNotAllowed('GET', '/v1/responses', ['POST']), 'generic').headers['allow']).toBe('POST');
  });
});
