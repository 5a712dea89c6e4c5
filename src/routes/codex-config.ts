/**
 * `GET /v1/codex-config` with a team key: the Codex config.toml block for this deployment and
 * team, as text (`?model=` picks the default model). Without a team key the path is relayed
 * upstream like any other, as in single-upstream mode before.
 */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { codexCanUse, defaultCodexModel, usesClientKey } from '../teams/catalog';
import { renderCodexConfig } from '../teams/codex-toml';
import { modelNotFound } from '../core/errors';

export function codexConfig(passthrough: Handler<AppEnv>): Handler<AppEnv> {
  return (c, next) => {
    const { team, tenant } = c.var;
    if (team === null) return passthrough(c, next);
    const asked = c.req.query('model');
    if (asked !== undefined && !codexCanUse(team, asked)) throw modelNotFound(asked, `team ${team.team.id}`);
    const toml = renderCodexConfig({
      baseUrl: `${new URL(c.req.url).origin}/v1`,
      teamId: team.team.id,
      teamName: team.team.name,
      model: asked ?? defaultCodexModel(team),
      clientKey: usesClientKey(team),
      streamIdleMs: tenant.timeouts.streamIdleMs,
    });
    return c.text(toml, 200, { 'content-type': 'application/toml; charset=utf-8', 'cache-control': 'no-store' });
  };
}
