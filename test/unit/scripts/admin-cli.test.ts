import { describe, expect, it } from 'vitest';
import { CliError, keyIdByPrefix, parseAdminCommand, parseRouteSpec, type ApiCall, type CliContext, type Lookup } from '../../../scripts/lib/admin-cli';

const ctx: CliContext = {
  env: { OPENAI_KEY: 'sk-from-env' },
  now: new Date('2030-01-01T00:00:00Z'),
  readFile: (path) => (path === 'routes.json' ? '{"routes": [{"model": "m", "targets": [{"provider": "p"}]}]}' : '[]'),
};

/** The call a command line stands for (one that needs no lookup). */
const parse = (line: string): ApiCall => {
  const step = parseAdminCommand(line.split(' '), ctx);
  if ('lookup' in step) throw new Error(`${line}: a lookup, not a call`);
  return step;
};

const lookup = (line: string): Lookup => {
  const step = parseAdminCommand(line.split(' '), ctx);
  if (!('lookup' in step)) throw new Error(`${line}: a call, not a lookup`);
  return step;
};

const KEYS = {
  object: 'list',
  data: [
    { id: 'key_one', prefix: 'cxe_AbCd1234', status: 'active' },
    { id: 'key_two', prefix: 'cxe_AbXy9876', status: 'active' },
  ],
};

describe('parseAdminCommand', () => {
  it.each<[string, Partial<ApiCall>]>([
    ['teams list', { method: 'GET', path: '/admin/teams' }],
    ['teams get acme', { method: 'GET', path: '/admin/teams/acme' }],
    ['teams create --name Acme --id acme', { method: 'POST', path: '/admin/teams', body: { id: 'acme', name: 'Acme' } }],
    [
      'teams create --name A --max-attempts 3 --retry-budget-ms none --allowed-models gpt-*,o3',
      { body: { name: 'A', max_attempts: 3, retry_budget_ms: null, allowed_models: ['gpt-*', 'o3'] } },
    ],
    ['teams update acme --enabled false --allowed-models none', { method: 'PATCH', path: '/admin/teams/acme', body: { enabled: false, allowed_models: null } }],
    ['teams update acme --max-attempts lots', { body: { max_attempts: 'lots' } }], // the server names the field
    ['teams create --name A --rpm 600 --max-streams 20', { body: { name: 'A', rpm: 600, max_streams: 20 } }],
    ['teams update acme --rpm none --max-streams 4', { method: 'PATCH', body: { rpm: null, max_streams: 4 } }],
    ['teams disable acme', { method: 'PATCH', body: { enabled: false } }],
    ['teams enable acme', { method: 'PATCH', body: { enabled: true } }],
    ['keys list acme', { method: 'GET', path: '/admin/teams/acme/keys' }],
    ['keys create acme --name laptop --expires-in-days 30', { method: 'POST', body: { name: 'laptop', expires_at: '2030-01-31T00:00:00.000Z' } }],
    ['keys create acme --expires-at 2031-01-01T00:00:00Z', { body: { expires_at: '2031-01-01T00:00:00Z' } }],
    ['keys create acme --name ci --rpm 30 --max-streams 2', { body: { name: 'ci', rpm: 30, max_streams: 2 } }],
    ['keys revoke acme key_123', { method: 'POST', path: '/admin/teams/acme/keys/key_123/revoke' }],
    [
      'providers create acme --name openai --base-url https://api.openai.com/v1 --wire-api responses --api-key-env OPENAI_KEY',
      {
        method: 'POST',
        path: '/admin/teams/acme/providers',
        body: { name: 'openai', base_url: 'https://api.openai.com/v1', wire_api: 'responses', auth: 'key', api_key: 'sk-from-env' },
      },
    ],
    [
      'providers create acme --name own --base-url http://x/v1 --wire-api chat --client-key',
      { body: { name: 'own', base_url: 'http://x/v1', wire_api: 'chat', auth: 'client' } },
    ],
    [
      'providers create acme --name ds --base-url http://x/v1 --wire-api chat --client-key --capabilities reasoning_content,reasoning_effort=low|high',
      { body: { name: 'ds', wire_api: 'chat', auth: 'client', capabilities: { reasoning_effort: ['low', 'high'], reasoning_content: true } } },
    ],
    ['providers update acme ds --capabilities default', { method: 'PATCH', body: { capabilities: null } }],
    [
      'providers update acme openai --api-key-env OPENAI_KEY',
      { method: 'PATCH', path: '/admin/teams/acme/providers/openai', body: { auth: 'key', api_key: 'sk-from-env' } },
    ],
    ['providers delete acme openai', { method: 'DELETE', path: '/admin/teams/acme/providers/openai' }],
    ['routes get acme', { method: 'GET', path: '/admin/teams/acme/routes' }],
    ['routes set acme --file routes.json', { method: 'PUT', body: { routes: [{ model: 'm', targets: [{ provider: 'p' }] }] } }],
    [
      'routes set acme --route gpt-5,fast=primary(gpt-5-2025),backup --route oss-*=backup',
      {
        body: {
          routes: [
            { model: 'gpt-5', aliases: ['fast'], targets: [{ provider: 'primary', model: 'gpt-5-2025' }, { provider: 'backup' }] },
            { model: 'oss-*', targets: [{ provider: 'backup' }] },
          ],
        },
      },
    ],
    ['routes set acme', { body: { routes: [] } }],
    ['audit', { method: 'GET', path: '/admin/audit' }],
    ['audit --team acme --limit 5', { path: '/admin/audit?team=acme&limit=5' }],
    ['usage acme', { method: 'GET', path: '/admin/teams/acme/usage', output: 'usage-table' }],
    ['usage acme --from 2030-01-01 --to 2030-01-31', { path: '/admin/teams/acme/usage?from=2030-01-01&to=2030-01-31', output: 'usage-table' }],
    ['usage acme --json', { path: '/admin/teams/acme/usage', output: 'json' }],
    ['codex-config', { method: 'GET', path: '/v1/codex-config', auth: 'team', output: 'text' }],
    ['codex-config --model gpt-5', { path: '/v1/codex-config?model=gpt-5', auth: 'team' }],
    ['codex-config --out codex-edge.toml', { path: '/v1/codex-config', auth: 'team', output: 'text', out: 'codex-edge.toml' }],
  ])('%s', (line, expected) => {
    const call = parse(line);
    expect(call).toMatchObject(expected);
    if (expected.auth === undefined) expect(call.auth).toBe('admin');
  });

  it.each<[string, RegExp]>([
    ['teams', /unknown command "teams"/],
    ['teams remove acme', /unknown command/],
    ['teams get', /teams get takes <team>/],
    ['teams list extra', /teams list takes no arguments/],
    ['keys revoke acme', /keys revoke takes <team> <key-id\|prefix>/],
    ['teams list --name x', /teams list does not take --name/],
    ['teams create --colour red', /Unknown option '--colour'/],
    ['keys list acme --rpm 5', /keys list does not take --rpm/],
    ['usage', /usage takes <team>/],
    ['usage acme --team acme', /usage does not take --team/],
    ['providers create acme --name p --api-key-env MISSING', /MISSING is not set/],
    ['providers create acme --name p --api-key-env OPENAI_KEY --client-key', /exclude each other/],
    ['providers update acme p --capabilities developer', /--capabilities: "developer" is not a capability/],
    ['keys create acme --expires-in-days soon', /whole number of days/],
    ['keys create acme --expires-in-days 1 --expires-at 2031-01-01T00:00:00Z', /exclude each other/],
    ['routes set acme --route gpt-5', /expected <model>/],
    ['routes set acme --route m=p(x', /is not <provider>/],
    ['routes set acme --file other.json', /expected \{"routes"/],
  ])('%s → %s', (line, message) => {
    expect(() => parse(line)).toThrow(CliError);
    expect(() => parse(line)).toThrow(message);
  });

  it('never puts an upstream key on the command line: it comes from the named variable', () => {
    expect(() => parse('providers create acme --name p --api-key sk-literal')).toThrow(/Unknown option '--api-key'/);
  });
});

describe('keys revoke by the visible prefix', () => {
  it("lists the team's keys, then revokes the one key the prefix names", () => {
    const step = lookup('keys revoke acme cxe_AbCd1234');
    expect(step.lookup).toBe('/admin/teams/acme/keys');
    expect(step.then(KEYS)).toMatchObject({ method: 'POST', path: '/admin/teams/acme/keys/key_one/revoke', auth: 'admin' });
  });

  it.each<[string, string]>([
    ['cxe_AbCd1234', 'key_one'], // the prefix as lists and messages show it
    ['cxe_AbX', 'key_two'], // a shorter part, still unique
    ['cxe_AbCd1234restOfTheSecretKey0123456789abcdefghij', 'key_one'], // the whole key
  ])('%s → %s', (given, id) => {
    expect(keyIdByPrefix('acme', given, KEYS)).toBe(id);
  });

  it.each<[string, RegExp]>([
    ['cxe_Ab', /keys revoke: 2 keys of team "acme" match "cxe_Ab": key_one \(cxe_AbCd1234\), key_two \(cxe_AbXy9876\); give the key id or a longer prefix/],
    ['cxe_Zz', /keys revoke: no key of team "acme" has the prefix "cxe_Zz" \(keys list acme shows every key's id and prefix\)/],
  ])('%s is refused clearly', (given, message) => {
    expect(() => keyIdByPrefix('acme', given, KEYS)).toThrow(CliError);
    expect(() => keyIdByPrefix('acme', given, KEYS)).toThrow(message);
  });
});

describe('parseRouteSpec', () => {
  it('keeps provider order and upstream model names with slashes and colons', () => {
    expect(parseRouteSpec('llama=groq(meta/llama-3:70b),local')).toEqual({
      model: 'llama',
      targets: [{ provider: 'groq', model: 'meta/llama-3:70b' }, { provider: 'local' }],
    });
  });
});
