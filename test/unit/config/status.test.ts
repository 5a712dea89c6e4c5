import { describe, expect, it } from 'vitest';
import { parseSettings, type Settings } from '../../../src/config/settings';
import { describeConfiguration } from '../../../src/config/status';
import type { Env } from '../../../src/config/env';

/** Describing settings never touches the binding: any object stands in for D1. */
const DB = {} as D1Database;
const UPSTREAM = 'http://127.0.0.1:9000/v1';

function settings(env: Env): Settings {
  const result = parseSettings(env);
  if (!result.ok) throw result.error;
  return result.settings;
}

describe('describeConfiguration', () => {
  it.each<[string, Env, Parameters<typeof describeConfiguration>[1], object]>([
    ['single upstream, no registry', { UPSTREAM_BASE_URL: UPSTREAM }, null, { status: 'ok', mode: 'single-upstream', teams: null, problems: [] }],
    ['both, no team yet: the upstream serves', { UPSTREAM_BASE_URL: UPSTREAM, DB }, { teams: 0 }, { status: 'ok', mode: 'both', teams: 0, problems: [] }],
    ['teams only, with teams', { DB }, { teams: 3 }, { status: 'ok', mode: 'teams', teams: 3, problems: [] }],
    ['teams only, no team', { DB }, { teams: 0 }, { status: 'unconfigured', mode: 'teams', teams: 0 }],
    ['teams only, registry not migrated', { DB }, { error: 'no such table: teams' }, { status: 'unconfigured', mode: 'teams', teams: null }],
    [
      'both, registry not migrated: the upstream still serves',
      { UPSTREAM_BASE_URL: UPSTREAM, DB },
      { error: 'no such table: teams' },
      { status: 'degraded', mode: 'both' },
    ],
  ])('%s', (_name, env, registry, expected) => {
    expect(describeConfiguration(settings(env), registry)).toMatchObject(expected);
  });

  it('says what to do when nothing is served', () => {
    const [problem] = describeConfiguration(settings({ DB }), { teams: 0 }).problems;
    expect(problem).toContain('no upstream and no team is configured');
    expect(problem).toContain('npm run dev -- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1');
    expect(problem).toContain('set ADMIN_TOKEN');
    const [unmigrated] = describeConfiguration(settings({ DB }), { error: 'no such table: teams' }).problems;
    expect(unmigrated).toContain('no such table: teams');
    expect(unmigrated).toContain('apply the migrations');
  });
});
