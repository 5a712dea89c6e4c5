/**
 * Admin: a team's providers. The upstream key is write-only: it is encrypted (crypto.ts) before
 * it is stored, and responses and audit entries only say whether one is set.
 */
import type { Handler } from 'hono';
import { capabilitiesToJson, DEFAULT_CHAT_CAPABILITIES } from '../config/chat-capabilities';
import { configurationError } from '../core/errors';
import type { AppEnv } from '../http/context';
import { encryptSecret, providerKeyContext } from '../teams/crypto';
import { deleteProvider, getProvider, insertProvider, listProviders, replaceProvider } from '../teams/db/providers';
import { listRoutes } from '../teams/db/routes';
import { newId } from '../teams/keys';
import type { Provider, StoredProvider } from '../teams/model';
import { checkProviderAuth, validateProviderCreate, validateProviderPatch, type ProviderPatch } from '../teams/validate';
import { conflict, resourceNotFound } from '../core/errors';
import { adminCall, commit, jsonBody, pathParam, requireTeam, type AdminCall } from './call';

function providerJson(provider: StoredProvider): Record<string, unknown> {
  return {
    id: provider.id,
    object: 'team.provider',
    team_id: provider.teamId,
    name: provider.name,
    base_url: provider.baseUrl,
    wire_api: provider.wireApi,
    auth: provider.auth,
    capabilities: capabilitiesToJson(provider.capabilities),
    has_key: provider.keyCiphertext !== null,
    created_at: provider.createdAt,
    updated_at: provider.updatedAt,
  };
}

/** The non-secret fields of a change, and whether the key was replaced, for the audit log. */
function auditDetails(patch: ProviderPatch): Record<string, unknown> {
  const { apiKey, baseUrl, wireApi, auth, capabilities } = patch;
  return {
    base_url: baseUrl,
    wire_api: wireApi,
    auth,
    api_key: apiKey === undefined ? undefined : 'set',
    capabilities: capabilities === undefined ? undefined : capabilitiesToJson(capabilities),
  };
}

async function sealKey(call: AdminCall, provider: Provider, apiKey: string): Promise<string> {
  const raw = call.teams.encryptionKey;
  if (raw === null) throw configurationError('ENCRYPTION_KEY is not set; it is needed to store provider keys (generate one with: openssl rand -base64 32)');
  return encryptSecret(raw, apiKey, providerKeyContext(provider.teamId, provider.id));
}

async function requireProvider(call: AdminCall, teamId: string, name: string): Promise<StoredProvider> {
  const provider = await getProvider(call.db, teamId, name);
  if (provider === null) throw resourceNotFound('provider', name);
  return provider;
}

export const createProvider: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const input = validateProviderCreate(await jsonBody(c));
  const at = call.now.toISOString();
  const base: Provider = {
    id: newId('prv'),
    teamId: team.id,
    name: input.name,
    baseUrl: input.baseUrl,
    wireApi: input.wireApi,
    auth: input.auth,
    capabilities: input.capabilities ?? DEFAULT_CHAT_CAPABILITIES,
    createdAt: at,
    updatedAt: at,
  };
  const provider: StoredProvider = { ...base, keyCiphertext: input.apiKey === undefined ? null : await sealKey(call, base, input.apiKey) };
  await commit(
    call,
    [insertProvider(call.db, provider)],
    { action: 'provider.create', teamId: team.id, subject: provider.name, details: auditDetails(input) },
    conflict(`team ${team.id} already has a provider "${provider.name}"`, 'provider_exists'),
  );
  return c.json(providerJson(provider), 201);
};

export const listTeamProviders: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  return c.json({ object: 'list', data: (await listProviders(call.db, team.id)).map(providerJson) });
};

export const getOneProvider: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  return c.json(providerJson(await requireProvider(call, team.id, pathParam(c, 'provider'))));
};

export const updateProvider: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const before = await requireProvider(call, team.id, pathParam(c, 'provider'));
  const patch = validateProviderPatch(await jsonBody(c));
  const auth = patch.auth ?? before.auth;
  checkProviderAuth(auth, patch.apiKey !== undefined, before.keyCiphertext !== null);
  const base: Provider = {
    ...before,
    baseUrl: patch.baseUrl ?? before.baseUrl,
    wireApi: patch.wireApi ?? before.wireApi,
    auth,
    capabilities: patch.capabilities ?? before.capabilities,
    updatedAt: call.now.toISOString(),
  };
  let keyCiphertext = auth === 'client' ? null : before.keyCiphertext;
  if (patch.apiKey !== undefined) keyCiphertext = await sealKey(call, base, patch.apiKey);
  const after: StoredProvider = { ...base, keyCiphertext };
  await commit(call, [replaceProvider(call.db, after)], { action: 'provider.update', teamId: team.id, subject: after.name, details: auditDetails(patch) });
  return c.json(providerJson(after));
};

export const removeProvider: Handler<AppEnv> = async (c) => {
  const call = adminCall(c);
  const team = await requireTeam(call, pathParam(c, 'team'));
  const provider = await requireProvider(call, team.id, pathParam(c, 'provider'));
  const users = (await listRoutes(call.db, team.id)).filter((route) => route.targets.some((target) => target.provider === provider.name));
  if (users.length > 0) {
    throw conflict(`provider "${provider.name}" is still routed (${users.map((route) => route.model).join(', ')}); change the routes first`, 'provider_in_use');
  }
  await commit(call, [deleteProvider(call.db, team.id, provider.name)], { action: 'provider.delete', teamId: team.id, subject: provider.name, details: {} });
  return c.json({ id: provider.id, object: 'team.provider.deleted', name: provider.name, deleted: true });
};
