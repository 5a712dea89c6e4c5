/**
 * Pure: the Codex `config.toml` block a deployment hands its developers: a provider pointing at
 * this gateway, the env var that holds the key to send (never the key itself), and retry
 * settings that leave to the gateway what it already does (retries, and fallback between a
 * team's providers, before the first byte) and to Codex what only it can do (retry a stream that
 * broke after it started). One renderer for a team and for a single-upstream deployment.
 */

const TEAM_KEY_ENV = 'CODEX_EDGE_API_KEY';
const PROVIDER_KEY_ENV = 'CODEX_EDGE_PROVIDER_KEY';
/** Single-upstream, bring your own key: the variable Codex and the OpenAI SDKs already use. */
const OWN_KEY_ENV = 'OPENAI_API_KEY';
const PROVIDER_ID = 'codex-edge';
/** Codex's own idle timeout stays above the gateway's, so that the gateway's explicit, retryable end of a stalled stream arrives first. */
const IDLE_MARGIN_MS = 60_000;

/**
 * Which key the developer's Codex sends:
 *  team          a team key (cxe_…)
 *  team+provider a team key in x-api-key, and their own provider key as the bearer token
 *  gateway       one of the single-upstream gateway's client keys (GATEWAY_API_KEYS)
 *  provider      their own provider key (single upstream, bring your own key)
 */
export type CodexKeys = 'team' | 'team+provider' | 'gateway' | 'provider';

export interface CodexConfigInput {
  /** The gateway's OpenAI base URL as clients reach it, e.g. https://edge.example.com/v1. */
  readonly baseUrl: string;
  /** The team the block is for; null for a single-upstream deployment. */
  readonly team: { readonly id: string; readonly name: string } | null;
  /** The default model; null when none is known (the line is then a commented-out hint). */
  readonly model: string | null;
  readonly keys: CodexKeys;
  readonly streamIdleMs: number;
}

/** A TOML basic string: JSON's escapes (\", \\, \n, \uXXXX) are TOML's too; DEL, which JSON leaves as it is, TOML forbids. */
export function tomlString(value: string): string {
  return JSON.stringify(value).replaceAll('\u007f', '\\u007f');
}

/** A comment line: the control characters TOML forbids in one (a team name may hold any) become spaces. */
function comment(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return `# ${text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]+/g, ' ')}`;
}

interface KeyLines {
  /** What to export, for the "Then:" comment. */
  readonly exports: string;
  readonly lines: readonly string[];
}

function keyLines(keys: CodexKeys): KeyLines {
  switch (keys) {
    case 'team':
      return { exports: `${TEAM_KEY_ENV}=<your team key, cxe_...>`, lines: [`env_key = ${tomlString(TEAM_KEY_ENV)}`] };
    case 'team+provider':
      return {
        exports: `${TEAM_KEY_ENV}=<your team key, cxe_...> and ${PROVIDER_KEY_ENV}=<your own provider key>`,
        lines: [`env_key = ${tomlString(PROVIDER_KEY_ENV)}`, `env_http_headers = { "x-api-key" = ${tomlString(TEAM_KEY_ENV)} }`],
      };
    case 'gateway':
      return { exports: `${TEAM_KEY_ENV}=<your key for this gateway>`, lines: [`env_key = ${tomlString(TEAM_KEY_ENV)}`] };
    case 'provider':
      return { exports: `${OWN_KEY_ENV}=<your own provider key>`, lines: [`env_key = ${tomlString(OWN_KEY_ENV)}`] };
  }
}

export function renderCodexConfig(input: CodexConfigInput): string {
  const { team } = input;
  const keys = keyLines(input.keys);
  const lines = [
    comment(team === null ? `codex-edge at ${input.baseUrl}.` : `codex-edge for team "${team.id}" (${team.name}).`),
    '# Paste into ~/.codex/config.toml (or $CODEX_HOME/config.toml) with model and model_provider above any [table]',
    '# (e.g. [features]): TOML puts the keys that follow a table header into that table.',
    `# Then: export ${keys.exports}`,
    input.model === null
      ? `# model = "<a model ${team === null ? 'your provider serves' : 'your team routes'}: GET /v1/models>"`
      : `model = ${tomlString(input.model)}`,
    `model_provider = ${tomlString(PROVIDER_ID)}`,
    '',
    `[model_providers.${PROVIDER_ID}]`,
    `name = ${tomlString(team === null ? 'codex-edge' : `codex-edge (${team.id})`)}`,
    `base_url = ${tomlString(input.baseUrl)}`,
    ...keys.lines,
    'wire_api = "responses"',
    team === null
      ? '# The gateway retries what is transient before the first byte; Codex retries what broke after it.'
      : '# The gateway retries and falls over between providers before the first byte; Codex retries what broke after it.',
    'request_max_retries = 1',
    'stream_max_retries = 5',
    `stream_idle_timeout_ms = ${input.streamIdleMs + IDLE_MARGIN_MS}`,
  ];
  return `${lines.join('\n')}\n`;
}
