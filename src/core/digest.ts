/** Key digests: SHA-256 of a text (UTF-8), the one hash the gateway uses for keys, and constant-time key checks. */
export function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}

/** Digests of a configured key list, computed once per list (settings are parsed once per isolate). */
const keyDigests = new WeakMap<readonly string[], Promise<ArrayBuffer[]>>();

/** Constant-time membership: every configured key is compared, through fixed-length digests. */
export async function keyMatches(presented: string, keys: readonly string[]): Promise<boolean> {
  let digests = keyDigests.get(keys);
  if (digests === undefined) {
    digests = Promise.all(keys.map(sha256));
    keyDigests.set(keys, digests);
  }
  const wanted = await sha256(presented);
  let found = false;
  for (const digest of await digests) {
    if (crypto.subtle.timingSafeEqual(wanted, digest)) found = true;
  }
  return found;
}
