import { describe, expect, it } from 'vitest';
import { renderCodexConfig, tomlString, type CodexConfigInput } from '../../../src/teams/codex-toml';

const input: CodexConfigInput = {
  baseUrl: 'https://edge.example.com/v1',
  teamId: 'acme',
  teamName: 'Acme "Inc"\nsecond line',
  model: 'gpt-5',
  clientKey: false,
  streamIdleMs: 300_000,
};

describe('renderCodexConfig', () => {
  it('renders a provider block with the team key in an env var', () => {
    const toml = renderCodexConfig(input);
    expect(toml).toContain('model = "gpt-5"\nmodel_provider = "codex-edge"\n');
    expect(toml).toContain('[model_providers.codex-edge]\nname = "codex-edge (acme)"\nbase_url = "https://edge.example.com/v1"\nenv_key = "CODEX_EDGE_API_KEY"\nwire_api = "responses"\n');
    expect(toml).toContain('request_max_retries = 1\nstream_max_retries = 5\nstream_idle_timeout_ms = 360000\n');
    expect(toml).not.toContain('env_http_headers');
    // A name with a newline stays inside its comment line.
    expect(toml.split('\n')[0]).toBe('# codex-edge for team "acme" (Acme "Inc" second line).');
  });

  it('puts the team key in x-api-key when a provider uses the client\'s own key', () => {
    const toml = renderCodexConfig({ ...input, clientKey: true });
    expect(toml).toContain('env_key = "CODEX_EDGE_PROVIDER_KEY"\nenv_http_headers = { "x-api-key" = "CODEX_EDGE_API_KEY" }\n');
  });

  it('comments the model out when the team routes no exact model', () => {
    expect(renderCodexConfig({ ...input, model: null })).toContain('# model = "<a model your team routes: GET /v1/models>"\nmodel_provider');
  });

  it.each([
    ['plain', '"plain"'],
    ['quote " and \\ backslash', '"quote \\" and \\\\ backslash"'],
    ['tab\tnewline\n', '"tab\\tnewline\\n"'],
  ])('tomlString(%j) → %s', (value, expected) => {
    expect(tomlString(value)).toBe(expected);
  });
});
