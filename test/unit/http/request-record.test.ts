import { describe, expect, it, vi } from 'vitest';
import { MAX_TEXT_CHARS } from '../../../src/core/clip';
import { Redactor } from '../../../src/core/redact';
import { notRequest, requestOutcome, requestRecord } from '../../../src/http/request-record';
import { RequestTrace, type RequestLog } from '../../../src/http/log';
import type { AttemptRecord } from '../../../src/upstream/attempts';

const ok: AttemptRecord = { target: 'a', outcome: 'ok', status: 200, ms: 5 };
const reset: AttemptRecord = { target: 'a', outcome: 'transport', status: null, ms: 1 };
const fiveHundred: AttemptRecord = { target: 'b', outcome: 'status', status: 503, ms: 2 };

describe('requestOutcome', () => {
  it.each([
    ['a plain success', 200, null, [ok], 'terminal', 'ok'],
    ['a success after a reset', 200, false, [reset, ok], null, 'absorbed'],
    ['an error answer after attempts', 502, true, [fiveHundred, fiveHundred], null, 'failed'],
    ['a stream that ended in a failure', 200, true, [ok], 'terminal', 'failed'],
    ['a 401 before any attempt', 401, null, [], null, 'refused'],
    ['a 429 of a team limit', 429, null, [], null, 'refused'],
    ['a client that left', 499, false, [reset], 'client-gone', 'cancelled'],
    // not API requests: counted apart by the overview
    ['a WebSocket connection (its line, at close)', 101, null, [], null, 'connection'],
    ['a prewarm turn, answered by the gateway', 200, null, [], 'prewarm', 'prewarm'],
  ] as const)('%s', (_name, status, failed, attempts, streamEnd, outcome) => {
    expect(requestOutcome({ status, failed, attempts, stream_end: streamEnd })).toBe(outcome);
  });

  it.each([
    [101, null, 'connection'],
    [200, 'prewarm', 'prewarm'],
    [200, 'terminal', null],
    [401, null, null],
    [null, null, null],
  ] as const)('notRequest(%j, %j) = %j', (status, streamEnd, expected) => {
    expect(notRequest(status, streamEnd)).toBe(expected);
  });
});

describe('requestRecord', () => {
  it('keeps the log line fields, redacted, with retries and fallback', () => {
    const trace = new RequestTrace('req_1', 'POST', '/v1/responses', 'codex');
    trace.set({ status: 200, attempts: [reset, fiveHundred, ok], error: 'upstream said sk-secret-123', model: 'gpt-x' });
    let entry: RequestLog | null = null;
    trace.sendTo((written) => {
      entry = { ...written };
      return Promise.resolve();
    });
    trace.finish();
    expect(entry).not.toBeNull();
    const record = requestRecord(entry as unknown as RequestLog, new Redactor(['sk-secret-123']), 1000);
    expect(record).toMatchObject({ at: 1000, requestId: 'req_1', outcome: 'absorbed', retries: 2, fallback: true, model: 'gpt-x' });
    expect(record.error).not.toContain('sk-secret-123');
  });
});

/** A finished request's log entry, as the store's sink receives it, with `fields` on top. */
function logEntry(fields: Partial<RequestLog>): RequestLog {
  const trace = new RequestTrace('req_2', 'POST', '/v1/responses', 'codex');
  const written: RequestLog[] = [];
  trace.sendTo((entry) => {
    written.push({ ...entry });
    return Promise.resolve();
  });
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  trace.finish({ status: 401 });
  log.mockRestore();
  const [entry] = written;
  if (entry === undefined) throw new Error('no entry');
  return { ...entry, ...fields };
}

describe('requestRecord: every text of the row passes the redactor, then the clip', () => {
  const secret = 'provider-secret-0123456789abcdef';
  const redactor = Redactor.patterns.with([secret]);
  // The clip falls 7 characters into the secret: clipped first, "provider" would be too short to find.
  const cutInside = `${'x'.repeat(MAX_TEXT_CHARS - 8)} ${secret} tail`;
  const fields = [
    ['route', 'route'],
    ['method', 'method'],
    ['model', 'model'],
    ['upstream_host', 'upstreamHost'],
    ['error_code', 'errorCode'],
    ['error', 'error'],
    ['stream_end', 'streamEnd'],
  ] as const;

  it.each(fields)('%s: a secret in it is not stored', (field, column) => {
    const record = requestRecord(logEntry({ [field]: `invalid_key:${secret}` }), redactor, 1);
    expect(record[column]).not.toContain(secret.slice(0, 8));
    expect(record[column]).toContain('[redacted]');
  });

  it.each(fields)('%s: a long value is clipped after it is redacted, leaving no part of a secret', (field, column) => {
    const stored = requestRecord(logEntry({ [field]: cutInside }), redactor, 1)[column] ?? '';
    expect(stored).toContain('more characters)');
    expect(stored.length).toBeLessThan(MAX_TEXT_CHARS + 40);
    expect(stored).not.toContain(secret.slice(0, 7));
  });
});
