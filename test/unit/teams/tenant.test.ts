import { describe, expect, it } from 'vitest';
import type { WireApi } from '../../../src/stream/terminal';
import { parseSettings, type Settings } from '../../../src/config/settings';
import { GatewayError } from '../../../src/core/errors';
import type { Route } from '../../../src/teams/model';
import { planRoute, teamTenant, type LiveProvider, type ProviderCredential, type TeamView } from '../../../src/teams/tenant';
import { FREE_ADMISSION } from '../../../src/tenancy/ticket';
import { aTeam } from './fixtures';

const team = aTeam();
const FREE = () => Promise.resolve(FREE_ADMISSION);

function provider(name: string, wire: 'responses' | 'chat', credential: ProviderCredential = { kind: 'key', key: `sk-${name}` }): LiveProvider {
  return { name, baseUrl: new URL(`http://127.0.0.1:9000/${name}/v1`), wire, credential };
}

const providers = [
  provider('primary', 'responses'),
  provider('backup', 'responses'),
  provider('chatty', 'chat'),
  provider('byok', 'responses', { kind: 'client' }),
  provider('broken', 'responses', { kind: 'unusable', reason: 'ENCRYPTION_KEY cannot decrypt its upstream key' }),
];
const routes: Route[] = [
  {
    model: 'gpt-5',
    aliases: ['fast'],
    targets: [
      { provider: 'primary', model: 'gpt-5-2025' },
      { provider: 'backup', model: null },
    ],
  },
  {
    model: 'mixed',
    aliases: [],
    targets: [
      { provider: 'chatty', model: 'llama' },
      { provider: 'primary', model: null },
    ],
  },
  { model: 'chat-only', aliases: [], targets: [{ provider: 'chatty', model: null }] },
  { model: 'own-key', aliases: [], targets: [{ provider: 'byok', model: null }] },
  { model: 'bad', aliases: [], targets: [{ provider: 'broken', model: null }] },
  { model: 'oss-*', aliases: [], targets: [{ provider: 'backup', model: null }] },
];
const view: TeamView = { team, providers: new Map(providers.map((p) => [p.name, p])), routes };

/** The wire API of each routed path, as the app's route table gives it. */
function routeWire(apiPath: string): WireApi {
  return apiPath === '/chat/completions' ? 'chat' : apiPath === '/responses' ? 'responses' : 'opaque';
}

function plan(apiPath: string, model: string | null, providerKey: string | null = null, on: TeamView = view): [string, string | null, string][] {
  return planRoute(on, { apiPath, wire: routeWire(apiPath), model }, providerKey).map((t) => [t.name, t.model, t.auth.kind === 'key' ? t.auth.key : 'client']);
}

function planError(apiPath: string, model: string | null, on: TeamView = view): GatewayError {
  try {
    planRoute(on, { apiPath, wire: routeWire(apiPath), model }, null);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('planRoute', () => {
  it.each<[string, string, string | null, [string, string | null, string][]]>([
    [
      'route order, per-provider model names',
      '/responses',
      'gpt-5',
      [
        ['primary', 'gpt-5-2025', 'sk-primary'],
        ['backup', 'gpt-5', 'sk-backup'],
      ],
    ],
    [
      'an alias is sent as the route model',
      '/responses',
      'fast',
      [
        ['primary', 'gpt-5-2025', 'sk-primary'],
        ['backup', 'gpt-5', 'sk-backup'],
      ],
    ],
    [
      'compact is a responses path',
      '/responses/compact',
      'gpt-5',
      [
        ['primary', 'gpt-5-2025', 'sk-primary'],
        ['backup', 'gpt-5', 'sk-backup'],
      ],
    ],
    [
      'a chat provider serves chat',
      '/chat/completions',
      'mixed',
      [
        ['chatty', 'llama', 'sk-chatty'],
        ['primary', 'mixed', 'sk-primary'],
      ],
    ],
    [
      'a chat provider serves /responses too (translated), a Responses provider behind it',
      '/responses',
      'mixed',
      [
        ['chatty', 'llama', 'sk-chatty'],
        ['primary', 'mixed', 'sk-primary'],
      ],
    ],
    ['a chat provider is skipped on /responses/compact', '/responses/compact', 'mixed', [['primary', 'mixed', 'sk-primary']]],
    ['a pattern route sends the asked name', '/responses', 'oss-120b', [['backup', 'oss-120b', 'sk-backup']]],
  ])('%s', (_name, apiPath, model, expected) => {
    expect(plan(apiPath, model)).toEqual(expected);
  });

  it("a client-key provider gets the client's own provider key, never the team key", () => {
    expect(plan('/responses', 'own-key', 'sk-own')).toEqual([['byok', 'own-key', 'sk-own']]);
  });

  it.each<[string, string, string | null, number, string, RegExp]>([
    ['unknown model', '/responses', 'claude', 404, 'model_not_found', /model "claude" is not available to team acme/],
    ['no model', '/responses', null, 400, 'missing_required_parameter', /"model" is required/],
    ['path a team does not route', '/embeddings', 'gpt-5', 404, 'unknown_url', /not on \/embeddings/],
    [
      'chat-only model on /responses/compact',
      '/responses/compact',
      'chat-only',
      400,
      'unsupported_wire_api',
      /Chat Completions providers, which cannot serve \/v1\/responses\/compact/,
    ],
    ['own-key model without a provider key', '/responses', 'own-key', 401, 'invalid_api_key', /your own provider key/],
    ['provider whose key cannot be decrypted', '/responses', 'bad', 500, 'gateway_misconfigured', /provider "broken" of team acme: ENCRYPTION_KEY/],
  ])('%s → %i %s', (_name, apiPath, model, status, code, message) => {
    const error = planError(apiPath, model);
    expect(error.status).toBe(status);
    expect(error.body.code).toBe(code);
    expect(error.body.message).toMatch(message);
    expect(error.advice.kind).toBe('final');
  });

  it('the allow-list hides routed models as not found', () => {
    const limited: TeamView = { ...view, team: { ...team, allowedModels: ['oss-*'] } };
    expect(planError('/responses', 'gpt-5', limited).body.code).toBe('model_not_found');
    expect(plan('/responses', 'oss-1', null, limited)).toEqual([['backup', 'oss-1', 'sk-backup']]);
  });
});

describe('teamTenant', () => {
  const result = parseSettings({ UPSTREAM_BASE_URL: 'http://127.0.0.1:9000/v1' });
  if (!result.ok) throw result.error;
  const settings: Settings = result.settings;

  it('keeps the deployment limits without overrides', () => {
    const tenant = teamTenant(view, settings, null, FREE);
    expect(tenant.teamId).toBe('acme');
    expect(tenant.retry).toEqual(settings.retry);
    expect(tenant.timeouts).toEqual(settings.timeouts);
  });

  it('applies the team overrides', () => {
    const overridden: TeamView = {
      ...view,
      team: { ...team, overrides: { maxAttempts: 2, budgetMs: 5000, headersMs: 1000, streamIdleMs: 2000, rpm: 10, maxStreams: 2 } },
    };
    const tenant = teamTenant(overridden, settings, null, FREE);
    expect(tenant.retry).toEqual({ ...settings.retry, maxAttempts: 2, budgetMs: 5000 });
    expect(tenant.timeouts).toEqual({ ...settings.timeouts, headersMs: 1000, streamIdleMs: 2000 });
    expect(tenant.plan({ apiPath: '/responses', wire: 'responses', model: 'gpt-5' })[0].name).toBe('primary');
  });
});
