/**
 * What a valid configuration amounts to, as `/healthz` reports it and the first request of an
 * isolate logs it: the mode the gateway serves in, how many teams its registry holds, and the
 * problems that keep it from serving (with what to do about them). The only I/O is one COUNT on
 * the team registry when there is one.
 */
import type { Settings } from './settings';

/** single-upstream: no registry; teams: registry, no UPSTREAM_BASE_URL; both: the two. */
export type Mode = 'single-upstream' | 'teams' | 'both';

export interface ConfigStatus {
  /** ok: no problem; degraded: serves some requests, not all it should; unconfigured: refuses every request. */
  readonly status: 'ok' | 'degraded' | 'unconfigured';
  readonly mode: Mode;
  /** Teams in the registry; null without a registry, or when it cannot be read. */
  readonly teams: number | null;
  readonly problems: readonly string[];
}

/** What reading the registry gave: the number of teams, or why it could not be read. */
export type RegistryReading = { readonly teams: number } | { readonly error: string };

export function modeOf(settings: Settings): Mode {
  if (settings.teams === null) return 'single-upstream';
  return settings.upstream === null ? 'teams' : 'both';
}

const SET_UPSTREAM =
  'set UPSTREAM_BASE_URL to the provider base URL (locally: npm run dev -- --var UPSTREAM_BASE_URL:http://127.0.0.1:9000/v1; deployed: [vars] ' +
  'in wrangler.toml)';

/** Pure: the status of valid settings, given what the registry held (null: no registry). */
export function describeConfiguration(settings: Settings, registry: RegistryReading | null): ConfigStatus {
  const mode = modeOf(settings);
  if (registry === null) return { status: 'ok', mode, teams: null, problems: [] };
  if ('error' in registry) {
    const problem =
      `the team registry (D1 binding "DB") cannot be read (${registry.error}); apply the migrations: npm run dev does it ` +
      `locally, npm run deploy:hosted when deployed`;
    return { status: mode === 'teams' ? 'unconfigured' : 'degraded', mode, teams: null, problems: [problem] };
  }
  if (mode !== 'teams' || registry.teams > 0) return { status: 'ok', mode, teams: registry.teams, problems: [] };
  const admin =
    settings.admin === null
      ? 'set ADMIN_TOKEN (locally in .dev.vars.hosted; deployed: wrangler secret put ADMIN_TOKEN --env hosted), then create a team with the ' +
        'admin CLI: npm run admin -- teams create --id <id> --name <name> (docs/teams.md)'
      : 'create a team with the admin CLI: npm run admin -- teams create --id <id> --name <name> (docs/teams.md)';
  const problem = `no upstream and no team is configured, so every request is refused: ${SET_UPSTREAM}; or ${admin}`;
  return { status: 'unconfigured', mode, teams: 0, problems: [problem] };
}

async function readRegistry(db: D1Database): Promise<RegistryReading> {
  try {
    const row = await db.prepare('SELECT COUNT(*) AS n FROM teams').first<{ n: number }>();
    return { teams: row?.n ?? 0 };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** The status of valid settings, reading the registry if there is one. Never throws. */
export async function configurationStatus(settings: Settings): Promise<ConfigStatus> {
  const registry = settings.teams === null ? null : await readRegistry(settings.teams.db);
  return describeConfiguration(settings, registry);
}
