/**
 * What the team tests share: the admin token and encryption key of the test deployment, admin
 * calls, and a team built through the admin API (team → providers → routes → key), each test
 * with its own team id so that tests never see each other's records.
 */
import { inject } from 'vitest';
import { GATEWAY, callGateway, simulatorAt } from '../support';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const ENCRYPTION_KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
export const TEAM_ENV: Partial<Cloudflare.Env> = { ADMIN_TOKEN, ENCRYPTION_KEY };

/** The second simulator: a second provider, with its own fault queue. */
export const sim2 = simulatorAt(() => inject('secondUpstreamUrl'));

let counter = 0;
/** A team id no other test uses. */
export function uniqueTeamId(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}`;
}

export type Json = Record<string, unknown>;
/** The `data` list of an admin API answer. */
export const list = (json: Json): Json[] => json['data'] as Json[];
/** The `error` object of a refusal. */
export const error = (json: Json): Json => json['error'] as Json;

export interface Call {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

/** A request to the gateway with the team test env; returns the status, headers and JSON body. */
export async function call(request: Request, overrides: Partial<Cloudflare.Env> = {}): Promise<Call> {
  const response = await callGateway(request, { ...TEAM_ENV, ...overrides });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export function adminRequest(method: string, path: string, body?: unknown, token: string = ADMIN_TOKEN): Request {
  return new Request(`${GATEWAY}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-admin-actor': 'test-suite' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

export async function admin(method: string, path: string, body?: unknown, overrides: Partial<Cloudflare.Env> = {}): Promise<Call> {
  return call(adminRequest(method, path, body), overrides);
}

/** An admin call that must succeed; returns its JSON. */
export async function adminOk(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const result = await admin(method, path, body);
  if (result.status >= 300) throw new Error(`${method} /admin${path} → ${result.status} ${JSON.stringify(result.json)}`);
  return result.json;
}

export interface ProviderSpec {
  readonly name: string;
  /** Which simulator: 1 (UPSTREAM_BASE_URL's) or 2. */
  readonly sim: 1 | 2;
  readonly wire_api?: 'responses' | 'chat';
  /** An upstream key to store; without one the provider uses the client's own key. */
  readonly api_key?: string;
}

export interface RouteSpec {
  readonly model: string;
  readonly aliases?: readonly string[];
  readonly targets: readonly { readonly provider: string; readonly model?: string | null }[];
}

export interface TestTeam {
  readonly id: string;
  /** A team key (the secret, as the create response gave it). */
  readonly key: string;
  readonly keyId: string;
}

export function simBaseUrl(which: 1 | 2): string {
  return `${inject(which === 1 ? 'upstreamUrl' : 'secondUpstreamUrl')}/v1`;
}

/** Creates a team with providers, routes and one key, through the admin API. */
export async function createTeam(label: string, providers: readonly ProviderSpec[], routes: readonly RouteSpec[]): Promise<TestTeam> {
  const id = uniqueTeamId(label);
  await adminOk('POST', '/teams', { id, name: `Team ${label}` });
  for (const provider of providers) {
    await adminOk('POST', `/teams/${id}/providers`, {
      name: provider.name,
      base_url: simBaseUrl(provider.sim),
      wire_api: provider.wire_api ?? 'responses',
      auth: provider.api_key === undefined ? 'client' : 'key',
      ...(provider.api_key === undefined ? {} : { api_key: provider.api_key }),
    });
  }
  await adminOk('PUT', `/teams/${id}/routes`, { routes });
  const key = await adminOk('POST', `/teams/${id}/keys`, { name: 'test' });
  return { id, key: String(key['key']), keyId: String(key['id']) };
}

/** A POST to the gateway's API with a team key. */
export function teamPost(path: string, key: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${GATEWAY}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify(body),
  });
}

export function teamGet(path: string, key: string): Request {
  return new Request(`${GATEWAY}${path}`, { headers: { authorization: `Bearer ${key}` } });
}

/** The `model` the upstream received in a recorded request body. */
export function upstreamModel(body: string): unknown {
  return (JSON.parse(body) as Record<string, unknown>)['model'];
}
