/**
 * Sends what the admin CLI parsed (admin-cli.ts) to a gateway: one request, or a lookup and then
 * the request its answer decides. Resolves with the answer's text; every failure is a CliError
 * that names the URL and what to do (a gateway that cannot be reached, a secret that is not set)
 * or passes on the gateway's own message and field.
 */
import { CliError, type ApiCall, type CliStep } from './admin-cli';

export interface ClientOptions {
  /** The gateway, CODEX_EDGE_URL (default http://127.0.0.1:8787). */
  readonly baseUrl: string;
  /** The environment: ADMIN_TOKEN, CODEX_EDGE_API_KEY. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Sent as x-admin-actor, for the audit log. */
  readonly actor: string;
  readonly fetch: typeof fetch;
}

export interface Answer {
  /** The call that was made (after a lookup, the one it led to). */
  readonly call: ApiCall;
  readonly text: string;
}

/** The Authorization header a call needs: ADMIN_TOKEN for admin calls (required), CODEX_EDGE_API_KEY for `codex-config` (if set). */
function authorization(call: Pick<ApiCall, 'auth'>, env: ClientOptions['env']): Record<string, string> {
  const name = call.auth === 'admin' ? 'ADMIN_TOKEN' : 'CODEX_EDGE_API_KEY';
  const value = env[name]?.trim();
  if (value) return { authorization: `Bearer ${value}` };
  if (call.auth === 'admin')
    throw new CliError("ADMIN_TOKEN is not set: export ADMIN_TOKEN=<the gateway's admin token> (locally: the one in .dev.vars.hosted)");
  return {};
}

/** Pure: why a gateway could not be reached, and what to do about it. */
export function unreachableMessage(url: string, baseUrl: string, err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return (
    `cannot reach the gateway at ${url} (${reason}): is it running? Start it locally with \`npm run dev\`, or set CODEX_EDGE_URL to ` +
    `where it runs (now ${baseUrl}).`
  );
}

/** Pure: a refusal as the CLI prints it: the call, the status, and the API's message and field. */
export function refusalMessage(method: string, url: string, status: number, text: string): string {
  let message = text.trim() === '' ? '(empty answer)' : text;
  try {
    const error = (JSON.parse(text) as { error?: { message?: string; param?: string | null } }).error;
    if (error?.message !== undefined) message = `${error.message}${error.param ? ` (field: ${error.param})` : ''}`;
  } catch {
    // not JSON: pass it on as it came
  }
  return `${method} ${url} answered ${status}: ${message}`;
}

async function request(call: Pick<ApiCall, 'method' | 'path' | 'auth' | 'body'>, options: ClientOptions): Promise<string> {
  const url = `${options.baseUrl}${call.path}`;
  const headers = {
    ...authorization(call, options.env),
    'x-admin-actor': options.actor,
    ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
  };
  let response: Response;
  try {
    response = await options.fetch(url, { method: call.method, headers, body: call.body === undefined ? null : JSON.stringify(call.body) });
  } catch (err) {
    throw new CliError(unreachableMessage(url, options.baseUrl, err));
  }
  const text = await response.text();
  if (!response.ok) {
    const refusal = refusalMessage(call.method, url, response.status, text);
    const keyless = response.status === 401 && !('authorization' in headers);
    throw new CliError(keyless ? `${refusal}. CODEX_EDGE_API_KEY is not set: export CODEX_EDGE_API_KEY=<your team key, cxe_...>` : refusal);
  }
  return text;
}

export async function send(step: CliStep, options: ClientOptions): Promise<Answer> {
  let call: ApiCall;
  if ('lookup' in step) {
    const listed = await request({ method: 'GET', path: step.lookup, auth: 'admin' }, options);
    call = step.then(JSON.parse(listed) as unknown);
  } else {
    call = step;
  }
  return { call, text: await request(call, options) };
}
