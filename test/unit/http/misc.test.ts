import { describe, expect, it } from 'vitest';
import { clientProfile, type ClientProfile } from '../../../src/http/client-profile';
import { canonicalPath } from '../../../src/http/paths';
import { redactSecrets } from '../../../src/core/redact';

describe('clientProfile', () => {
  it.each<[Record<string, string>, ClientProfile]>([
    [{ originator: 'codex_exec' }, 'codex'],
    [{ originator: 'codex_cli_rs' }, 'codex'],
    [{ 'user-agent': 'codex_vscode/0.169.0 (Linux)' }, 'codex'],
    [{ 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js' }, 'openai-sdk'],
    [{ 'user-agent': 'OpenAI/Python 1.0' }, 'openai-sdk'],
    [{ 'user-agent': 'curl/8.0' }, 'generic'],
    [{}, 'generic'],
  ])('%j → %s', (headers, expected) => {
    expect(clientProfile(new Headers(headers))).toBe(expected);
  });
});

describe('canonicalPath', () => {
  it.each([
    ['/v1/responses', '/v1/responses'],
    ['/responses', '/v1/responses'],
    ['/responses/compact', '/v1/responses/compact'],
    ['/chat/completions', '/v1/chat/completions'],
    ['/models', '/v1/models'],
    ['/healthz', '/healthz'],
    ['/admin/teams', '/admin/teams'],
    ['/unknown', '/unknown'],
  ])('%s → %s', (path, expected) => {
    expect(canonicalPath(path)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcdef123456.', 'Incorrect API key provided: sk-[redacted].'],
    ['token Bearer abc.def.ghi rejected', 'token Bearer [redacted] rejected'],
    ['team key cxe_0123456789abcdef is revoked', 'team key cxe[redacted] is revoked'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
});
