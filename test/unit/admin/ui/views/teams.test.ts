import { describe, expect, it } from 'vitest';
import { teamsView, teamView, type LimitPolicy } from '../../../../../src/admin/ui/views/teams';
import type { Team } from '../../../../../src/teams/model';
import { ZERO_USAGE } from '../../../../../src/teams/usage';
import { aTeam, NO_OVERRIDES } from '../../../teams/fixtures';

const DEFAULTS: LimitPolicy = { defaults: { rpm: 60, maxStreams: 2 }, enforced: true };
const NO_DEFAULTS: LimitPolicy = { defaults: { rpm: null, maxStreams: null }, enforced: true };

/** The text of a team page's card, tags left out. */
async function card(team: Team, policy: LimitPolicy, title: string): Promise<string> {
  const page = String(await teamView({ team, keys: [], providers: [], routes: [], usage: ZERO_USAGE, today: ZERO_USAGE, now: new Date(0), policy }));
  const dd = new RegExp(`<dt>${title}</dt>\\s*<dd>(.*?)</dd>`, 's').exec(page)?.[1] ?? '';
  return dd
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the team page shows the limits that are enforced', () => {
  it.each<[string, Team['overrides'], LimitPolicy, string, string]>([
    ['the deployment defaults', NO_OVERRIDES, DEFAULTS, '60 default (TEAM_DEFAULT_RPM)', '2 default (TEAM_DEFAULT_MAX_STREAMS)'],
    ["the team's own over the defaults", { ...NO_OVERRIDES, rpm: 600, maxStreams: 20 }, DEFAULTS, '600', '20'],
    ['one of each', { ...NO_OVERRIDES, maxStreams: 20 }, DEFAULTS, '60 default (TEAM_DEFAULT_RPM)', '20'],
    ['none anywhere', NO_OVERRIDES, NO_DEFAULTS, 'unlimited', 'unlimited'],
  ])('%s', async (_name, overrides, policy, rpm, streams) => {
    const team = aTeam({ overrides });
    expect(await card(team, policy, 'Requests per minute')).toBe(rpm);
    expect(await card(team, policy, 'Streams at once')).toBe(streams);
  });

  it('says when nothing enforces them (no TEAM_LIMITER binding)', async () => {
    const enforced = String(await teamsView([{ team: aTeam(), today: ZERO_USAGE }], DEFAULTS));
    const unenforced = String(await teamsView([{ team: aTeam(), today: ZERO_USAGE }], { ...DEFAULTS, enforced: false }));
    expect(enforced).not.toContain('not enforced');
    expect(unenforced).toContain('Limits are not enforced');
  });

  it('the teams list shows the default a team is held to', async () => {
    const list = String(await teamsView([{ team: aTeam(), today: ZERO_USAGE }], DEFAULTS)).replace(/\s+/g, ' ');
    expect(list).toContain('60 <small class="muted">default (TEAM_DEFAULT_RPM)</small>');
    expect(list).not.toContain('unlimited');
  });
});
