/**
 * Reads a request body once, bounded by the size limit, so that it can be sent upstream again
 * on every attempt. Oversized → 413.
 */
import { invalidRequest } from '../core/errors';
import { collect } from '../stream/collect';

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = invalidRequest(413, `codex-edge: request body is larger than ${limit} bytes (MAX_REQUEST_BODY_BYTES)`, 'request_too_large');
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge;
  const { bytes, truncated } = await collect(request.body, limit);
  if (truncated) throw tooLarge;
  return bytes;
}
