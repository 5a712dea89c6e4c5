/**
 * Pure: the canonical path of a request. OpenAI routes are served with and without the `/v1`
 * prefix; `/responses` is routed as `/v1/responses`. Only OpenAI's own top-level resources are
 * prefixed, so `/healthz` and unknown paths keep their meaning.
 */
const OPENAI_RESOURCES: ReadonlySet<string> = new Set([
  'responses',
  'chat',
  'completions',
  'embeddings',
  'models',
  'moderations',
  'images',
  'audio',
  'files',
  'uploads',
  'batches',
  'fine_tuning',
  'vector_stores',
  'assistants',
  'threads',
  'conversations',
  'containers',
  'evals',
  'realtime',
]);

export function canonicalPath(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return OPENAI_RESOURCES.has(first) ? `/v1${pathname}` : pathname;
}

export function canonicalRequestPath(request: Request): string {
  return canonicalPath(new URL(request.url).pathname);
}
