import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TEXT_CHARS } from '../../../src/core/clip';
import { Redactor } from '../../../src/core/redact';
import { failureFields, RequestTrace } from '../../../src/http/log';
import { requestSecrets } from '../../../src/http/secrets';

/** The one line a finished trace writes. */
function lineOf(trace: RequestTrace): string {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  trace.finish();
  expect(log).toHaveBeenCalledTimes(1);
  return String(log.mock.calls[0]?.[0]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('RequestTrace: the log line', () => {
  it('is one JSON object: level and msg first, then every field of the entry in order', () => {
    const trace = new RequestTrace('req_1', 'POST', '/v1/responses', 'codex');
    trace.set({ model: 'gpt-test', status: 200 });
    const line = lineOf(trace);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed).slice(0, 6)).toEqual(['level', 'msg', 'request_id', 'method', 'route', 'client']);
    expect(parsed).toMatchObject({ level: 'info', msg: 'request', request_id: 'req_1', model: 'gpt-test', status: 200, bytes_out: null });
    expect(line).not.toContain('\n');
  });

  it('is an error line for a 5xx', () => {
    const trace = new RequestTrace('req_2', 'POST', '/v1/responses', 'generic');
    trace.set({ status: 502 });
    expect(JSON.parse(lineOf(trace))).toMatchObject({ level: 'error', status: 502 });
  });

  it('clips a long field, and redacts what the request must not show', () => {
    const trace = new RequestTrace('req_3', 'POST', '/v1/responses', 'generic');
    trace.protect(Redactor.patterns.with(['client-key-0123456789']));
    trace.set({ error: `rejected client-key-0123456789 ${'x'.repeat(3 * MAX_TEXT_CHARS)}` });
    const parsed = JSON.parse(lineOf(trace)) as { error: string };
    expect(parsed.error).toContain('more characters)');
    expect(parsed.error.length).toBeLessThan(MAX_TEXT_CHARS + 40);
    expect(parsed.error).not.toContain('client-key-0123456789');
  });

  it.each(['"level":"warn', '"status":401', 'team":"acme', '","msg":"x'])(
    'stays valid JSON, its own fields intact, when a client presents %s as its key',
    (key) => {
      const trace = new RequestTrace('req_4', 'POST', '/v1/responses', 'generic');
      trace.protect(Redactor.patterns.with(requestSecrets(new Headers({ authorization: `Bearer ${key}` }), 'https://gateway.example/v1/responses')));
      trace.set({ team: 'acme', status: 401, error_code: 'invalid_api_key', error: `unknown key ${key}` });
      const line = lineOf(trace);
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed).toMatchObject({ level: 'info', msg: 'request', team: 'acme', status: 401, error_code: 'invalid_api_key' });
      expect(parsed['error']).toContain('unknown key [redacted]');
      expect(parsed['error']).not.toContain(key);
    },
  );

  it('redacts before it clips: a clip that falls inside a key leaves none of it', () => {
    const secret = 'client-key-0123456789abcdef';
    const trace = new RequestTrace('req_5', 'POST', '/v1/responses', 'generic');
    trace.protect(Redactor.patterns.with([secret]));
    // The clip falls 7 characters into the key: "client-" would be left, shorter than what finds the key.
    trace.set({ error: `${'x'.repeat(MAX_TEXT_CHARS - 8)} ${secret} ${'y'.repeat(100)}` });
    const { error } = JSON.parse(lineOf(trace)) as { error: string };
    expect(error).toContain('more characters)');
    expect(error).not.toContain(secret.slice(0, 7));
  });
});

describe('failureFields: a failed stream in the line', () => {
  it.each([
    ['no failure: nothing set', null, {}],
    ['a code and a message', { code: 'server_error', message: 'boom' }, { error_code: 'server_error', error: 'boom' }],
    ['a message alone', { code: null, message: 'boom' }, { error_code: null, error: 'boom' }],
  ] as const)('%s', (_name, failure, expected) => {
    expect(failureFields(failure)).toEqual(expected);
  });

  it('is redacted and clipped as every field is', () => {
    const trace = new RequestTrace('req_f', 'POST', '/v1/responses', 'codex');
    trace.protect(Redactor.patterns.with(['client-key-0123456789']));
    trace.set(failureFields({ code: 'client-key-0123456789', message: `echoed client-key-0123456789 ${'x'.repeat(3 * MAX_TEXT_CHARS)}` }));
    const parsed = JSON.parse(lineOf(trace)) as { error_code: string; error: string };
    expect(parsed.error_code).toBe('[redacted]');
    expect(parsed.error).toMatch(/^echoed \[redacted\] x+/);
    expect(parsed.error.length).toBeLessThan(MAX_TEXT_CHARS + 40);
  });
});
