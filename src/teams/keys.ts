/**
 * Team API keys: `cxe_` + 43 base62 characters (256 random bits). The gateway keeps only the
 * SHA-256 of the whole key and its first 12 characters (`cxe_` + 8), so a key is shown once,
 * at creation, and a lookup is by hash.
 */
import { bearerToken } from '../core/credentials';
import { sha256 } from '../core/digest';
import { randomBase62, toHex } from '../core/encoding';

const TEAM_KEY_PREFIX = 'cxe_';
const KEY_BYTES = 32;
const KEY_BODY_CHARS = 43;
const VISIBLE_CHARS = TEAM_KEY_PREFIX.length + 8;
const TEAM_KEY = new RegExp(`^${TEAM_KEY_PREFIX}[0-9A-Za-z]{${KEY_BODY_CHARS}}$`);

export interface NewTeamKey {
  /** The secret: returned once, never stored. */
  readonly key: string;
  readonly prefix: string;
  readonly hash: string;
}

/** True for anything that claims to be a team key, well-formed or not: such a key is never treated as a single-upstream key. */
export function looksLikeTeamKey(key: string): boolean {
  return key.startsWith(TEAM_KEY_PREFIX);
}

export function isWellFormedTeamKey(key: string): boolean {
  return TEAM_KEY.test(key);
}

export async function hashTeamKey(key: string): Promise<string> {
  return toHex(await sha256(key));
}

export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_CHARS);
}

/** The part of a team key that is secret: everything after its visible prefix (which lists and messages show). */
export function secretPart(key: string): string {
  return looksLikeTeamKey(key) ? key.slice(VISIBLE_CHARS) : key;
}

export async function generateTeamKey(): Promise<NewTeamKey> {
  const key = `${TEAM_KEY_PREFIX}${randomBase62(KEY_BYTES)}`;
  return { key, prefix: visiblePrefix(key), hash: await hashTeamKey(key) };
}

/** A fresh record id: `key_…`, `prv_…`, `team_…` (72 random bits). */
export function newId(kind: 'key' | 'prv' | 'team'): string {
  return `${kind}_${randomBase62(9)}`;
}

export interface PresentedTeamKey {
  readonly teamKey: string;
  /** The client's own provider key, when it sent one beside the team key (for providers that use it). */
  readonly providerKey: string | null;
}

/**
 * The team key of a request, from `Authorization: Bearer` or `x-api-key`, and the other of the
 * two as the client's provider key; null when neither carries a team key.
 */
export function presentedTeamKey(headers: Headers): PresentedTeamKey | null {
  const bearer = bearerToken(headers);
  const apiKey = headers.get('x-api-key')?.trim() || null;
  if (bearer !== null && looksLikeTeamKey(bearer)) return { teamKey: bearer, providerKey: apiKey !== null && !looksLikeTeamKey(apiKey) ? apiKey : null };
  if (apiKey !== null && looksLikeTeamKey(apiKey)) return { teamKey: apiKey, providerKey: bearer };
  return null;
}
