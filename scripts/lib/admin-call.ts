/**
 * What an admin command line stands for: the admin API call to make (method, path, body, which
 * secret, how to print the answer), or a lookup whose answer decides it; the context a command is
 * read in; and the CliError that says what is wrong with one.
 */

export class CliError extends Error {}

export interface ApiCall {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** Which secret authorises it: ADMIN_TOKEN, or a team key (CODEX_EDGE_API_KEY). */
  readonly auth: 'admin' | 'team';
  /** How to print the answer: JSON, the raw text (config.toml), or a usage answer as a table. */
  readonly output: 'json' | 'text' | 'usage-table';
  /** Write the (text) answer to this new file instead of stdout. */
  readonly out?: string;
}

/** A GET whose JSON answer decides the call to make (a key given by its prefix → its id). */
export interface Lookup {
  readonly lookup: string;
  /** The call the answer leads to; throws a CliError when it leads to none. */
  readonly then: (answer: unknown) => ApiCall;
}

export type CliStep = ApiCall | Lookup;

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  readonly readFile: (path: string) => string;
}

/** A path segment as it goes into a URL. */
export const enc = encodeURIComponent;

/** An admin API call whose answer is printed as JSON. */
export const admin = (method: ApiCall['method'], path: string, body?: Record<string, unknown>): ApiCall => ({
  method,
  path: `/admin${path}`,
  auth: 'admin',
  output: 'json',
  ...(body === undefined ? {} : { body }),
});
