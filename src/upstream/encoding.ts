/**
 * Pure: whether an upstream body arrives as the bytes it stands for. workerd's fetch decodes a
 * body whose Content-Encoding is exactly `gzip` or `br` (one coding, lower case); any other
 * (`deflate`, `zstd`, `compress`, `GZIP`, `gzip, br`, a name of the upstream's own) arrives as it
 * was sent: compressed bytes the gateway can neither search for a secret nor vouch for, which a
 * client would decode on its own. The gateway asks for no such encoding, so an answer in one is
 * refused, never relayed (body.ts).
 */

/** What workerd decodes (and encodes again when a response is written with it). */
const DECODED: ReadonlySet<string> = new Set(['gzip', 'br']);

/** The body's content-encoding when workerd leaves it encoded; null when the body is read as it stands for (none, identity, gzip, br). */
export function undecodedEncoding(headers: Headers): string | null {
  const encoding = headers.get('content-encoding');
  if (encoding === null || encoding === '' || DECODED.has(encoding) || encoding.toLowerCase() === 'identity') return null;
  return encoding;
}
