/** Admin: the audit log, newest first; `?team=` narrows it to one team, `?limit=` (1-500, default 100) and `?before=<id>` page it. */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { listAudit } from '../teams/db/audit';
import { wholeParam } from './query';
import { adminCall } from './call';

export const getAudit: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const limit = wholeParam(c.req.query('limit'), 'limit', 1, 500) ?? 100;
  const before = wholeParam(c.req.query('before'), 'before', 1, Number.MAX_SAFE_INTEGER);
  const entries = await listAudit(call.db, { teamId: c.req.query('team') ?? null, limit, before });
  return c.json({
    object: 'list',
    data: entries.map((entry) => ({
      id: entry.id,
      at: entry.at,
      actor: entry.actor,
      request_id: entry.requestId,
      action: entry.action,
      team_id: entry.teamId,
      subject: entry.subject,
      details: entry.details,
    })),
  });
};
