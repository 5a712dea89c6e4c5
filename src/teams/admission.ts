/**
 * Team keys in, team tenants out: a presented `cxe_` key is hashed and looked up (through the
 * isolate cache, teams/cache.ts: known keys for KEY_CACHE_TTL_MS, unknown ones for at most 10 s),
 * then checked on every request for revocation, expiry and a disabled team, so that an expiry
 * takes effect to the second even while the lookup is cached. Unknown, revoked and expired keys
 * get 401; a disabled team's keys get 403. An admitted key's last use is written once per lookup
 * (so at most once per KEY_CACHE_TTL_MS in an isolate), in the background; a refused one's never.
 */
import type { Settings, TeamSettings } from '../config/settings';
import { forbidden, GatewayError, unauthorized, unavailable } from '../core/errors';
import { KeyLookups } from './cache';
import { decryptSecret, providerKeyContext } from './crypto';
import { loadKeyGrant, touchKey, type KeyGrant } from './db/lookup';
import { hashTeamKey, isWellFormedTeamKey, type PresentedTeamKey } from './keys';
import type { ApiKey, StoredProvider } from './model';
import { admitTeamRequest } from './requests';
import { teamTenant, type LiveProvider, type ProviderCredential, type TeamTenant, type TeamView } from './tenant';

interface CachedGrant {
  readonly key: ApiKey;
  readonly view: TeamView;
  /** The key's last use was written for this lookup: one write per lookup (per KEY_CACHE_TTL_MS), by the first request it admits. */
  touched: boolean;
}

const MAX_KNOWN_KEYS = 10_000;
const MAX_UNKNOWN_KEYS = 10_000;
const grants = new KeyLookups<CachedGrant>(MAX_KNOWN_KEYS, MAX_UNKNOWN_KEYS);

/** Forgets every cached lookup in this isolate (after an admin change). */
export function forgetKeyLookups(): void {
  grants.clear();
}

export interface AdmissionContext {
  readonly teams: TeamSettings;
  readonly settings: Settings;
  readonly now: Date;
  /** Runs work that may outlive the response (the last-used write). */
  readonly background: (work: Promise<unknown>) => void;
}

export async function admitTeamKey(presented: PresentedTeamKey, ctx: AdmissionContext): Promise<TeamTenant> {
  if (!isWellFormedTeamKey(presented.teamKey)) throw unauthorized('codex-edge: invalid team key (a team key is "cxe_" followed by 43 letters and digits)');
  const { teams, now } = ctx;
  const hash = await hashTeamKey(presented.teamKey);
  const grant = await grants.find(hash, teams.keyCacheMs, now.getTime(), async () => {
    const loaded = await loadKeyGrant(teams.db, hash).catch((err: unknown) => {
      if (err instanceof GatewayError) throw err; // a record that cannot be read: final
      throw unavailable('registry_unavailable', 'codex-edge: the team registry did not answer; try again', err);
    });
    if (loaded === null) return null;
    return { key: loaded.key, view: await teamView(loaded, teams.encryptionKey), touched: false };
  });
  if (grant === null) throw unauthorized('codex-edge: unknown team key');
  const { key, view } = grant;
  if (key.revokedAt !== null) throw unauthorized(`codex-edge: team key ${key.prefix}… was revoked`);
  if (key.expiresAt !== null && key.expiresAt <= now.toISOString()) throw unauthorized(`codex-edge: team key ${key.prefix}… expired at ${key.expiresAt}`);
  if (!view.team.enabled) {
    throw forbidden(`codex-edge: team ${view.team.id} is disabled`, 'team_disabled');
  }
  // Only a use that is admitted is a use: a revoked or expired key, or a disabled team's, keeps its last_used_at.
  if (!grant.touched) {
    grant.touched = true;
    ctx.background(touchKey(teams.db, key.id, now).catch(() => undefined));
  }
  return teamTenant(view, ctx.settings, presented.providerKey, (background) => admitTeamRequest(teams, view.team, key, background));
}

async function teamView(grant: KeyGrant, encryptionKey: Uint8Array | null): Promise<TeamView> {
  const providers = await Promise.all(grant.providers.map((provider) => liveProvider(provider, encryptionKey)));
  return { team: grant.team, providers: new Map(providers.map((provider) => [provider.name, provider])), routes: grant.routes };
}

async function liveProvider(provider: StoredProvider, encryptionKey: Uint8Array | null): Promise<LiveProvider> {
  return {
    name: provider.name,
    baseUrl: new URL(provider.baseUrl),
    wire: provider.wireApi,
    capabilities: provider.capabilities,
    credential: await credential(provider, encryptionKey),
  };
}

async function credential(provider: StoredProvider, encryptionKey: Uint8Array | null): Promise<ProviderCredential> {
  if (provider.auth === 'client') return { kind: 'client' };
  if (encryptionKey === null) return { kind: 'unusable', reason: 'its upstream key is stored encrypted but ENCRYPTION_KEY is not set' };
  if (provider.keyCiphertext === null) return { kind: 'unusable', reason: 'it has no upstream key; set its api_key' };
  const key = await decryptSecret(encryptionKey, provider.keyCiphertext, providerKeyContext(provider.teamId, provider.id));
  return key === null
    ? { kind: 'unusable', reason: 'ENCRYPTION_KEY cannot decrypt its upstream key (was ENCRYPTION_KEY changed?); set its api_key again' }
    : { kind: 'key', key };
}
