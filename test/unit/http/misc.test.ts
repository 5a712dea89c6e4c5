import { describe, expect, it } from 'vitest';
import { clientProfile, type ClientProfile } from '../../../src/http/client-profile';
import { canonicalPath, requestTarget } from '../../../src/http/paths';

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

describe('requestTarget: what new URL() gives, by position', () => {
  it.each([
    'https://host.example/v1/responses',
    'https://host.example/v1/models?x=1&y=%20',
    'https://host.example',
    'https://host.example?q=1',
    'https://host.example/a?',
    'https://host.example/a?b#c',
    'https://host.example/a#c?d',
    'http://127.0.0.1:8787/responses/compact?stream=true',
    'https://user:pw@host.example:8443/a/b/%7Ec/?x=/y?z',
  ])('%s', (url) => {
    const { pathname, search } = new URL(url);
    expect(requestTarget(url)).toEqual({ path: pathname, search });
  });
});
