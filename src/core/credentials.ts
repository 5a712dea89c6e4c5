/** Pure: where a client's key is read from a request's headers. */

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(headers: Headers): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')?.[1] ?? null;
}

/** The client's API key from `Authorization: Bearer` or `x-api-key`. */
export function presentedKey(headers: Headers): string | null {
  return bearerToken(headers) ?? headers.get('x-api-key');
}
