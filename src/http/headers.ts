/**
 * Which headers cross the gateway, in each direction. Allow-lists, not deny-lists: what the
 * provider needs from the client goes up (auth unless replaced, content negotiation, OpenAI-*,
 * Codex's session and turn headers, tracing); what clients rely on comes back (request id,
 * turn state, openai-*, rate-limit headers). Hop-by-hop headers never cross.
 */
import type { Redactor } from '../core/redact';
import type { UpstreamAuth } from '../upstream/target';

const FORWARD_EXACT: ReadonlySet<string> = new Set([
  'accept',
  'content-type',
  'user-agent',
  'originator',
  'session-id',
  'session_id',
  'thread-id',
  'conversation_id',
  'x-client-request-id',
  'idempotency-key',
  'traceparent',
  'tracestate',
  'chatgpt-account-id',
]);
const FORWARD_PREFIXES: readonly string[] = ['openai-', 'x-codex-', 'x-stainless-', 'x-openai-'];

const RETURN_EXACT: ReadonlySet<string> = new Set(['content-type', 'x-request-id', 'cache-control', 'x-models-etag']);
const RETURN_PREFIXES: readonly string[] = ['openai-', 'x-ratelimit-', 'x-codex-'];

function allowed(name: string, exact: ReadonlySet<string>, prefixes: readonly string[]): boolean {
  return exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

export function upstreamRequestHeaders(incoming: Headers, auth: UpstreamAuth): Headers {
  const out = new Headers();
  for (const [name, value] of incoming) {
    if (allowed(name, FORWARD_EXACT, FORWARD_PREFIXES)) out.set(name, value);
  }
  const authorization = auth.kind === 'key' ? `Bearer ${auth.key}` : incoming.get('authorization');
  if (authorization !== null) out.set('authorization', authorization);
  return out;
}

/**
 * The upstream's headers a client gets back, each value redacted (a provider may echo a key in
 * one); a header whose name holds a key (`x-codex-<key>`: the allowed prefixes admit any name) is
 * dropped. A plain record, by lower-case name: the Response is built from it once (a Headers
 * object would be built twice, and set one call at a time).
 */
export function clientResponseHeaders(upstream: Headers, redactor: Redactor): Record<string, string> {
  const kept: [string, string][] = [];
  for (const [name, value] of upstream) if (allowed(name, RETURN_EXACT, RETURN_PREFIXES)) kept.push([name, value]);
  // Checked all at once first, most answers holding none: each name and value apart by a `"`, which no key
  // pattern takes in, so no match runs from one into the next (each is found as it would be alone).
  const all = kept.map(([name, value]) => `${name}"${value}`).join('"');
  if (redactor.text(all) === all) return Object.fromEntries(kept);
  const out: Record<string, string> = {};
  for (const [name, value] of kept) if (redactor.text(name) === name) out[name] = redactor.text(value);
  return out;
}
