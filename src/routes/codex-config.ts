/**
 * `GET /v1/codex-config`: the gateway's own route, never relayed. The Codex config.toml block for
 * this deployment, as text: for a team key, the team's (`?model=` picks the default model among
 * those it routes); otherwise the single-upstream deployment's (`?model=` sets the model line,
 * else it is a commented-out hint), with the key its clients send (their own provider key, or a
 * gateway key when GATEWAY_API_KEYS is set).
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { codexCanUse, defaultCodexModel, usesClientKey } from '../teams/catalog';
import { renderCodexConfig, type CodexConfigInput } from '../teams/codex-toml';
import { modelNotFound } from '../core/errors';

export const codexConfig: Handler<AppEnv> = (c) => {
  const team = c.get('team');
  const tenant = c.get('tenant');
  const settings = c.get('settings');
  const asked = c.req.query('model');
  const common = { baseUrl: `${new URL(c.req.url).origin}/v1`, streamIdleMs: tenant.timeouts.streamIdleMs };
  let input: CodexConfigInput;
  if (team === null) {
    input = { ...common, team: null, model: asked ?? null, keys: settings.access.kind === 'keys' ? 'gateway' : 'provider' };
  } else {
    if (asked !== undefined && !codexCanUse(team, asked)) throw modelNotFound(asked, `team ${team.team.id}`);
    input = {
      ...common,
      team: { id: team.team.id, name: team.team.name },
      model: asked ?? defaultCodexModel(team),
      keys: usesClientKey(team) ? 'team+provider' : 'team',
    };
  }
  return c.text(renderCodexConfig(input), 200, { 'content-type': 'application/toml; charset=utf-8', 'cache-control': 'no-store' });
};
