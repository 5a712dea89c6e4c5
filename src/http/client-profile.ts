/**
 * Who is calling. Codex is recognised by its `originator` header or a User-Agent that starts
 * with `codex` (its User-Agent is prefixed by the originator); an OpenAI SDK by its
 * `x-stainless-*` telemetry headers. The profile decides statuses and heartbeats, nothing else.
 */
export type ClientProfile = 'codex' | 'openai-sdk' | 'generic';

export function clientProfile(headers: Headers): ClientProfile {
  const originator = headers.get('originator') ?? '';
  const userAgent = headers.get('user-agent') ?? '';
  if (/^codex/i.test(originator) || /^codex/i.test(userAgent)) return 'codex';
  if (headers.has('x-stainless-lang') || /^OpenAI\//.test(userAgent)) return 'openai-sdk';
  return 'generic';
}
