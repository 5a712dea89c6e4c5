/**
 * What every team-registry handler needs: the registry (a 404 in single-upstream mode, which has
 * none), who is calling (the `x-admin-actor` header, for the audit log; "admin" when absent), the
 * request's JSON body, the team it names, and one way to write: a change and its audit entry in
 * one D1 batch, after which this isolate forgets its cached key lookups so that the change
 * applies here at once.
 */
import type { Context } from 'hono';
import type { TeamSettings } from '../config/settings';
import { readBody } from '../http/body';
import type { AppEnv } from '../http/context';
import { GatewayError, invalidRequest, notFound, resourceNotFound, unknownUrl } from '../core/errors';
import { forgetKeyLookups } from '../teams/admission';
import { insertAudit, type AuditEntry } from '../teams/db/audit';
import { getTeam } from '../teams/db/teams';
import type { Team } from '../teams/model';

const MAX_ADMIN_BODY_BYTES = 256 * 1024;
const ACTOR = /^[!-~][ -~]{0,99}$/;

export interface AdminCall {
  readonly teams: TeamSettings;
  readonly db: D1Database;
  readonly actor: string;
  readonly requestId: string;
  readonly now: Date;
}

/** What single-upstream mode answers where the hosted mode's team registry would be. */
const NO_TEAM_REGISTRY =
  "this deployment has no team registry: teams, their keys, providers, routes, usage and the audit log are the hosted mode's " +
  '(the D1 binding DB of wrangler.toml [env.hosted]: npm run dev locally, npm run deploy:hosted when deployed; docs/teams.md)';

export function adminCall(c: Pick<Context<AppEnv>, 'get' | 'req'>): AdminCall {
  const { teams } = c.get('settings');
  if (teams === null) throw unknownUrl(`codex-edge: ${NO_TEAM_REGISTRY}`);
  const actor = c.req.header('x-admin-actor')?.trim() ?? '';
  return { teams, db: teams.db, actor: ACTOR.test(actor) ? actor : 'admin', requestId: c.get('trace').requestId, now: new Date() };
}

export function pathParam(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw notFound(c.req.method, c.req.path);
  return value;
}

export async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  const bytes = await readBody(c.req.raw, MAX_ADMIN_BODY_BYTES);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidRequest(400, 'codex-edge: the request body is not valid JSON', 'invalid_json');
  }
}

export async function requireTeam(call: AdminCall, teamId: string): Promise<Team> {
  const team = await getTeam(call.db, teamId);
  if (team === null) throw resourceNotFound('team', teamId);
  return team;
}

export type AuditChange = Omit<AuditEntry, 'at' | 'actor' | 'requestId'>;

/** Runs the statements and the audit entry as one transaction; a uniqueness violation becomes a 409 with `onDuplicate`'s words. */
export async function commit(call: AdminCall, statements: readonly D1PreparedStatement[], change: AuditChange, onDuplicate?: GatewayError): Promise<void> {
  const audit = insertAudit(call.db, { ...change, at: call.now.toISOString(), actor: call.actor, requestId: call.requestId });
  try {
    await call.db.batch([...statements, audit]);
  } catch (err) {
    if (onDuplicate !== undefined && err instanceof Error && /UNIQUE constraint failed/i.test(err.message)) throw onDuplicate;
    throw err;
  } finally {
    forgetKeyLookups();
  }
}
