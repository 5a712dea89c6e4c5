/**
 * `GET /healthz`: the gateway's own health, without any upstream call. An invalid setting is the
 * configuration error (500 gateway_misconfigured, naming the setting); otherwise the mode
 * (single-upstream / teams / both), the registry's team count and any problem, with what to do.
 */
import type { Handler } from 'hono';
import { loadSettings } from '../config/settings';
import { configurationStatus } from '../config/status';
import type { AppEnv } from '../http/context';
import { fail } from '../http/respond';

export const health: Handler<AppEnv> = async (c) => {
  const result = loadSettings(c.env);
  if (!result.ok) return fail(c, result.error);
  return c.json(await configurationStatus(result.settings));
};
