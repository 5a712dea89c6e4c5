/** `GET /healthz`: the gateway's own health, without any upstream call; a broken configuration shows here first. */
import type { Handler } from 'hono';
import { loadSettings } from '../config/settings';
import type { AppEnv } from '../http/context';
import { fail } from '../http/respond';

export const health: Handler<AppEnv> = (c) => {
  const result = loadSettings(c.env);
  return result.ok ? c.json({ status: 'ok' }) : fail(c, result.error);
};
