/**
 * Pure: the Codex `config.toml` block a team hands its developers: a provider pointing at this
 * gateway, the env var that holds the team key (never the key itself), and retry settings that
 * leave to the gateway what it already does (retries and fallback before the first byte) and to
 * Codex what only it can do (retry a stream that broke after it started).
 */

const TEAM_KEY_ENV = 'CODEX_EDGE_API_KEY';
const PROVIDER_KEY_ENV = 'CODEX_EDGE_PROVIDER_KEY';
const PROVIDER_ID = 'codex-edge';
/** Codex's own idle timeout stays above the gateway's, so that the gateway's explicit, retryable end of a stalled stream arrives first. */
const IDLE_MARGIN_MS = 60_000;

export interface CodexConfigInput {
  /** The gateway's OpenAI base URL as clients reach it, e.g. https://edge.example.com/v1. */
  readonly baseUrl: string;
  readonly teamId: string;
  readonly teamName: string;
  /** The default model; null when the team routes no exact model over the Responses API. */
  readonly model: string | null;
  /** True when a routed provider uses the client's own key: then the team key travels in x-api-key. */
  readonly clientKey: boolean;
  readonly streamIdleMs: number;
}

/** A TOML basic string: JSON's escapes (\", \\, \n, \uXXXX) are TOML's too. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

function comment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}`;
}

export function renderCodexConfig(input: CodexConfigInput): string {
  const lines = [
    comment(`codex-edge for team "${input.teamId}" (${input.teamName}).`),
    '# Paste into ~/.codex/config.toml (or $CODEX_HOME/config.toml); the two top-level keys must stand before any [table].',
    input.clientKey
      ? `# Then: export ${TEAM_KEY_ENV}=<your team key, cxe_...> and ${PROVIDER_KEY_ENV}=<your own provider key>`
      : `# Then: export ${TEAM_KEY_ENV}=<your team key, cxe_...>`,
    input.model === null ? '# model = "<a model your team routes: GET /v1/models>"' : `model = ${tomlString(input.model)}`,
    `model_provider = ${tomlString(PROVIDER_ID)}`,
    '',
    `[model_providers.${PROVIDER_ID}]`,
    `name = ${tomlString(`codex-edge (${input.teamId})`)}`,
    `base_url = ${tomlString(input.baseUrl)}`,
    ...(input.clientKey
      ? [`env_key = ${tomlString(PROVIDER_KEY_ENV)}`, `env_http_headers = { "x-api-key" = ${tomlString(TEAM_KEY_ENV)} }`]
      : [`env_key = ${tomlString(TEAM_KEY_ENV)}`]),
    'wire_api = "responses"',
    '# The gateway retries and falls over between providers before the first byte; Codex retries what broke after it.',
    'request_max_retries = 1',
    'stream_max_retries = 5',
    `stream_idle_timeout_ms = ${input.streamIdleMs + IDLE_MARGIN_MS}`,
  ];
  return `${lines.join('\n')}\n`;
}
