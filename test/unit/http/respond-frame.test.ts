/** An error as a WebSocket frame: the same table as over HTTP, in a frame, redacted. */
import { describe, expect, it } from 'vitest';
import { invalidRequest, retryable, unauthorized, previousResponseNotFound, type GatewayError } from '../../../src/core/errors';
import { Redactor } from '../../../src/core/redact';
import type { ClientProfile } from '../../../src/http/client-profile';
import { errorFrame } from '../../../src/http/respond';

const SECRET = 'sk-secret-upstream-key-0123456789';
const redactor = new Redactor([SECRET]);
const frameOf = (err: GatewayError, profile: ClientProfile) => {
  const frame = errorFrame(err, { profile, responsesStream: true }, redactor, 'resp_x');
  return { status: frame.status, doc: JSON.parse(frame.text) as Record<string, unknown> };
};

describe('errorFrame', () => {
  it.each<[string, GatewayError, ClientProfile, number, Record<string, unknown>]>([
    [
      'a final 401 to Codex: status 400, which it stops on',
      unauthorized('bad key'),
      'codex',
      400,
      { type: 'error', status: 400, error: { code: 'invalid_api_key' } },
    ],
    ['a final 401 to another client: 401 as it is', unauthorized('bad key'), 'generic', 401, { type: 'error', status: 401 }],
    [
      'previous_response_not_found keeps its code (Codex resends the full request on it)',
      previousResponseNotFound('resp_1', 'why'),
      'codex',
      400,
      { type: 'error', error: { code: 'previous_response_not_found', param: 'previous_response_id' } },
    ],
    [
      'a transient failure to Codex: response.failed with rate_limit_exceeded and "try again in"',
      retryable(503, 'upstream_unavailable', 'upstream down', 2000),
      'codex',
      200,
      {
        type: 'response.failed',
        response: { id: 'resp_x', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'try again in 2s: upstream down' } },
      },
    ],
    [
      'a transient failure to another client: an error frame with the retry headers',
      retryable(503, 'upstream_unavailable', 'upstream down', 2000),
      'generic',
      503,
      { type: 'error', status: 503, headers: { 'retry-after': '2', 'retry-after-ms': '2000', 'x-should-retry': 'true' } },
    ],
  ])('%s', (_name, err, profile, status, expected) => {
    const frame = frameOf(err, profile);
    expect(frame.status).toBe(status);
    expect(frame.doc).toMatchObject(expected);
  });

  it('redacts a secret from every field', () => {
    const { doc } = frameOf(invalidRequest(400, `upstream said: bad key ${SECRET}`, 'bad'), 'codex');
    expect(JSON.stringify(doc)).not.toContain(SECRET);
    expect(JSON.stringify(doc)).toContain('[redacted]');
  });
});
