import { describe, expect, it } from 'vitest';
import { codexCanUse, defaultCodexModel, teamModels, usesClientKey } from '../../../src/teams/catalog';
import type { LiveProvider, TeamView } from '../../../src/teams/tenant';
import { aTeam } from './fixtures';

const team = aTeam();
const providers: LiveProvider[] = [
  { name: 'chat', baseUrl: new URL('http://x/v1'), wire: 'chat', credential: { kind: 'key', key: 'k' } },
  { name: 'resp', baseUrl: new URL('http://y/v1'), wire: 'responses', credential: { kind: 'key', key: 'k' } },
  { name: 'own', baseUrl: new URL('http://z/v1'), wire: 'responses', credential: { kind: 'client' } },
];
const view: TeamView = {
  team,
  providers: new Map(providers.map((p) => [p.name, p])),
  routes: [
    { model: 'llama', aliases: ['l'], targets: [{ provider: 'chat', model: null }] },
    { model: 'gpt-*', aliases: [], targets: [{ provider: 'resp', model: null }] },
    { model: 'gpt-5', aliases: ['fast'], targets: [{ provider: 'resp', model: null }] },
  ],
};

describe('team catalog', () => {
  it('lists exact models and aliases as OpenAI model objects', () => {
    expect(teamModels(view)).toEqual({
      object: 'list',
      data: ['llama', 'l', 'gpt-5', 'fast'].map((id) => ({ id, object: 'model', created: 0, owned_by: 'codex-edge/acme' })),
    });
  });

  it('picks the first exact model served on /v1/responses (a Chat provider translated) as the Codex default', () => {
    expect(defaultCodexModel(view)).toBe('llama');
    expect(defaultCodexModel({ ...view, team: { ...team, allowedModels: ['gpt-*'] } })).toBe('gpt-5');
    expect(defaultCodexModel({ ...view, team: { ...team, allowedModels: ['claude'] } })).toBeNull();
  });

  it.each<[string, boolean]>([
    ['gpt-5', true],
    ['fast', true],
    ['gpt-4.1', true],
    ['llama', true],
    ['l', true],
    ['claude', false],
  ])('Codex can use %s: %s', (model, expected) => {
    expect(codexCanUse(view, model)).toBe(expected);
  });

  it("knows when a routed provider uses the client's own key", () => {
    expect(usesClientKey(view)).toBe(false);
    expect(usesClientKey({ ...view, routes: [...view.routes, { model: 'mine', aliases: [], targets: [{ provider: 'own', model: null }] }] })).toBe(true);
  });
});
