import { describe, expect, it } from 'vitest';
import type { Route } from '../../../src/teams/model';
import { listedModels, matchRoute, modelAllowed, patternMatches, upstreamModel } from '../../../src/teams/routing';

describe('patternMatches', () => {
  it.each<[string, string, boolean]>([
    ['gpt-5', 'gpt-5', true],
    ['gpt-5', 'gpt-5-mini', false],
    ['gpt-*', 'gpt-5', true],
    ['gpt-*', 'gpt-', true],
    ['gpt-*', 'xgpt-5', false],
    ['*', 'anything', true],
    ['*', '', true],
    ['*-mini', 'gpt-5-mini', true],
    ['*-mini', 'gpt-5-mini-2', false],
    ['gpt-*-mini', 'gpt-5-mini', true],
    ['gpt-*-mini', 'gpt-mini', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false],
    ['org/*', 'org/model:tag', true],
  ])('%s ~ %s → %s', (pattern, name, expected) => {
    expect(patternMatches(pattern, name)).toBe(expected);
  });
});

const routes: Route[] = [
  { model: 'gpt-*', aliases: [], targets: [{ provider: 'openai', model: null }] },
  {
    model: 'gpt-5',
    aliases: ['fast', 'default'],
    targets: [
      { provider: 'a', model: 'gpt-5-2025' },
      { provider: 'b', model: null },
    ],
  },
  { model: '*', aliases: [], targets: [{ provider: 'catch-all', model: 'small' }] },
];

describe('matchRoute', () => {
  it.each<[string, string, boolean]>([
    ['gpt-5', 'gpt-5', true], // the exact route wins over the earlier pattern
    ['fast', 'gpt-5', true],
    ['gpt-4.1', 'gpt-*', false], // the first pattern in table order
    ['claude', '*', false],
  ])('%s → route %s (exact: %s)', (requested, model, exact) => {
    const match = matchRoute(routes, requested);
    expect(match?.route.model).toBe(model);
    expect(match?.exact).toBe(exact);
  });

  it('finds nothing without a matching route', () => {
    expect(matchRoute(routes.slice(0, 2), 'claude')).toBeNull();
    expect(matchRoute([], 'gpt-5')).toBeNull();
  });
});

describe('upstreamModel', () => {
  it.each<[string, number, string]>([
    ['gpt-5', 0, 'gpt-5-2025'], // the target's own name for the model
    ['gpt-5', 1, 'gpt-5'], // else the route's model
    ['fast', 1, 'gpt-5'], // an alias is sent as the route's model
    ['gpt-4.1', 0, 'gpt-4.1'], // a pattern route sends what was asked
  ])('%s, target %i → %s', (requested, index, expected) => {
    const match = matchRoute(routes, requested);
    if (match === null) throw new Error('no match');
    const target = match.route.targets[index];
    if (target === undefined) throw new Error('no target');
    expect(upstreamModel(match, target, requested)).toBe(expected);
  });

  it('a pattern route with a target model sends that model', () => {
    const match = matchRoute(routes, 'claude');
    if (match === null) throw new Error('no match');
    expect(upstreamModel(match, { provider: 'catch-all', model: 'small' }, 'claude')).toBe('small');
  });
});

describe('modelAllowed and listedModels', () => {
  it.each<[readonly string[] | null, string, boolean]>([
    [null, 'anything', true],
    [[], 'gpt-5', false],
    [['gpt-5'], 'gpt-5', true],
    [['gpt-5'], 'gpt-5-mini', false],
    [['gpt-*', 'o3'], 'gpt-5-mini', true],
    [['gpt-*', 'o3'], 'o3', true],
  ])('allowed %j, %s → %s', (allowed, name, expected) => {
    expect(modelAllowed(allowed, name)).toBe(expected);
  });

  it('lists exact models and aliases in route order, without patterns or duplicates', () => {
    expect(listedModels(routes, null)).toEqual(['gpt-5', 'fast', 'default']);
    expect(listedModels([...routes, { model: 'fast', aliases: [], targets: [] }], null)).toEqual(['gpt-5', 'fast', 'default']);
  });

  it('leaves out what the allow-list forbids', () => {
    expect(listedModels(routes, ['gpt-*'])).toEqual(['gpt-5']);
  });
});
