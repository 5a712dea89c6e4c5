/** Admin: a team's API keys. The secret is in the create response only; lists show the prefix and state. */
import type { Handler } from 'hono';
import type { AppEnv } from '../http/context';
import { getKey, insertKey, listKeys, revokeKey } from '../teams/db/keys';
import { generateTeamKey, newId } from '../teams/keys';
import type { ApiKey } from '../teams/model';
import { validateKeyCreate } from '../teams/validate';
import { resourceNotFound } from '../core/errors';
import { adminCall, commit, jsonBody, pathParam, requireTeam } from './call';

/** Pure: what a key is at `now`. */
export function keyStatus(key: ApiKey, now: Date): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now.toISOString()) return 'expired';
  return 'active';
}

export function keyJson(key: ApiKey, now: Date): Record<string, unknown> {
  return {
    id: key.id,
    object: 'team.key',
    team_id: key.teamId,
    name: key.name,
    prefix: key.prefix,
    status: keyStatus(key, now),
    created_at: key.createdAt,
    expires_at: key.expiresAt,
    revoked_at: key.revokedAt,
    last_used_at: key.lastUsedAt,
    rpm: key.limits.rpm,
    max_streams: key.limits.maxStreams,
  };
}

export const createKey: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const input = validateKeyCreate(await jsonBody(c), call.now);
  const secret = await generateTeamKey();
  const key: ApiKey = {
    id: newId('key'),
    teamId: team.id,
    name: input.name,
    prefix: secret.prefix,
    createdAt: call.now.toISOString(),
    expiresAt: input.expiresAt,
    revokedAt: null,
    lastUsedAt: null,
    limits: input.limits,
  };
  await commit(call, [insertKey(call.db, key, secret.hash)], {
    action: 'key.create',
    teamId: team.id,
    subject: key.id,
    details: { name: key.name, prefix: key.prefix, expires_at: key.expiresAt, rpm: key.limits.rpm, max_streams: key.limits.maxStreams },
  });
  return c.json({ ...keyJson(key, call.now), key: secret.key }, 201, { 'cache-control': 'no-store' });
};

export const listTeamKeys: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const keys = await listKeys(call.db, team.id);
  return c.json({ object: 'list', data: keys.map((key) => keyJson(key, call.now)) });
};

export const revokeTeamKey: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const keyId = pathParam(c, 'key');
  const key = await getKey(call.db, team.id, keyId);
  if (key === null) throw resourceNotFound('key', keyId);
  if (key.revokedAt !== null) return c.json(keyJson(key, call.now));
  const revoked: ApiKey = { ...key, revokedAt: call.now.toISOString() };
  await commit(call, [revokeKey(call.db, team.id, key.id, revoked.revokedAt ?? '')], {
    action: 'key.revoke',
    teamId: team.id,
    subject: key.id,
    details: { prefix: key.prefix },
  });
  return c.json(keyJson(revoked, call.now));
};
