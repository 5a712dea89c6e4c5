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

/** The path and query of a request's URL, as new URL() gives them (`pathname`, `search`). */
export interface RequestTarget {
  readonly path: string;
  readonly search: string;
}

/**
 * Pure: the path and query of an absolute URL that is already serialized (a Request's url), found
 * by position rather than by parsing it again on every request; a missing path is "/".
 */
export function requestTarget(url: string): RequestTarget {
  const host = url.indexOf('//') + 2;
  const hash = url.indexOf('#', host);
  const end = hash === -1 ? url.length : hash;
  const question = url.indexOf('?', host);
  const query = question === -1 || question > end ? end : question;
  const slash = url.indexOf('/', host);
  return { path: slash === -1 || slash > query ? '/' : url.slice(slash, query), search: end - query <= 1 ? '' : url.slice(query, end) };
}

export function canonicalRequestPath(request: Request): string {
  return canonicalPath(requestTarget(request.url).path);
}
