/**
 * Pure: removes secrets from text that may reach a client or a log line. Upstreams echo keys
 * back ("Incorrect API key provided: sk-proj-abc...xyz"); a redacted copy keeps only a short
 * prefix, enough to tell which kind of key it was.
 */
const SECRET_PATTERNS: readonly { readonly pattern: RegExp; readonly keep: number }[] = [
  { pattern: /\b(?:sk|rk|pk|sess|cxe)[-_][A-Za-z0-9_\-*.]{5,}[A-Za-z0-9_\-*]/g, keep: 3 }, // provider and gateway keys
  { pattern: /\bBearer\s+[^\s"',]+/gi, keep: 7 },
  { pattern: /\bkey[-_][A-Za-z0-9_-]{12,}/g, keep: 4 },
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, keep } of SECRET_PATTERNS) out = out.replace(pattern, (secret) => `${secret.slice(0, keep)}[redacted]`);
  return out;
}
