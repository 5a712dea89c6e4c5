import { describe, expect, it } from 'vitest';
import { renderCodexConfig, tomlString, type CodexConfigInput } from '../../../src/teams/codex-toml';

const input: CodexConfigInput = {
  baseUrl: 'https://edge.example.com/v1',
  team: { id: 'acme', name: 'Acme "Inc"\nsecond line' },
  model: 'gpt-5',
  keys: 'team',
  streamIdleMs: 300_000,
};

/** The keys TOML puts at the top level: those before the first [table] header that are not comments. */
function topLevelKeys(toml: string): string[] {
  const lines = toml.split('\n');
  const firstTable = lines.findIndex((line) => line.startsWith('['));
  return lines
    .slice(0, firstTable)
    .filter((line) => /^\w+\s*=/.test(line))
    .map((line) => line.split('=')[0]?.trim() ?? '');
}

describe('renderCodexConfig', () => {
  it('renders a provider block with the team key in an env var', () => {
    const toml = renderCodexConfig(input);
    expect(toml).toContain('model = "gpt-5"\nmodel_provider = "codex-edge"\n');
    expect(toml).toContain(
      '[model_providers.codex-edge]\nname = "codex-edge (acme)"\nbase_url = "https://edge.example.com/v1"\nenv_key = ' +
        '"CODEX_EDGE_API_KEY"\nwire_api = "responses"\n',
    );
    expect(toml).toContain('request_max_retries = 1\nstream_max_retries = 5\nstream_idle_timeout_ms = 360000\n');
    expect(toml).not.toContain('env_http_headers');
    // A name with a newline stays inside its comment line.
    expect(toml.split('\n')[0]).toBe('# codex-edge for team "acme" (Acme "Inc" second line).');
  });

  it('keeps every control character TOML forbids out of its comments and strings', () => {
    const toml = renderCodexConfig({ ...input, team: { id: 'acme', name: 'Acme\u000bcorp\u007f\u0000x' }, model: 'm\u007f' });
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(toml).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/); // lines end with LF, nothing else
    expect(toml.split('\n')[0]).toBe('# codex-edge for team "acme" (Acme corp x).');
    expect(tomlString('m\u007f')).toBe('"m\\u007f"');
  });

  it('puts model and model_provider before any [table], and says where they go in an existing config.toml', () => {
    for (const keys of ['team', 'team+provider', 'gateway', 'provider'] as const) {
      for (const team of [input.team, null]) {
        const toml = renderCodexConfig({ ...input, team, keys });
        expect(topLevelKeys(toml)).toEqual(['model', 'model_provider']);
        expect(toml).toContain('above any [table]');
      }
    }
  });

  it("puts the team key in x-api-key when a provider uses the client's own key", () => {
    const toml = renderCodexConfig({ ...input, keys: 'team+provider' });
    expect(toml).toContain('env_key = "CODEX_EDGE_PROVIDER_KEY"\nenv_http_headers = { "x-api-key" = "CODEX_EDGE_API_KEY" }\n');
  });

  it('comments the model out when the team routes no exact model', () => {
    expect(renderCodexConfig({ ...input, model: null })).toContain('# model = "<a model your team routes: GET /v1/models>"\nmodel_provider');
  });

  it('renders a single-upstream deployment without a team: the own provider key, or a gateway key', () => {
    const own = renderCodexConfig({ ...input, team: null, model: null, keys: 'provider' });
    expect(own.split('\n')[0]).toBe('# codex-edge at https://edge.example.com/v1.');
    expect(own).toContain('# Then: export OPENAI_API_KEY=<your own provider key>');
    expect(own).toContain('# model = "<a model your provider serves: GET /v1/models>"\nmodel_provider = "codex-edge"\n');
    expect(own).toContain('name = "codex-edge"\nbase_url = "https://edge.example.com/v1"\nenv_key = "OPENAI_API_KEY"\n');
    expect(own).not.toContain('team');
    const gateway = renderCodexConfig({ ...input, team: null, keys: 'gateway' });
    expect(gateway).toContain('env_key = "CODEX_EDGE_API_KEY"');
    expect(gateway).toContain('model = "gpt-5"');
  });

  it.each([
    ['plain', '"plain"'],
    ['quote " and \\ backslash', '"quote \\" and \\\\ backslash"'],
    ['tab\tnewline\n', '"tab\\tnewline\\n"'],
  ])('tomlString(%j) → %s', (value, expected) => {
    expect(tomlString(value)).toBe(expected);
  });
});
