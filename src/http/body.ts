/**
 * Reads a request body once, bounded by the size limit, so that it can be sent upstream again
 * on every attempt. Oversized → 413. A body that cannot be read to its end is the client's
 * doing, never a 500: a client that went away mid-upload → 499 (workerd's "Network connection
 * lost.", or the request signal fired), anything else (bad chunked framing, a body shorter
 * than its content-length) → 400 invalid_request_body.
 */
import { clientClosedRequest, GatewayError, invalidRequest, unreadableBody } from '../core/errors';
import { collectBody } from '../stream/collect';

/** How workerd reports a peer that went away (kj DISCONNECTED). */
const DISCONNECTED = /network connection lost|disconnected/i;

export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  // Built only when needed: an Error (with its stack) on every request is measurable on the JSON path.
  const tooLarge = (): GatewayError =>
    invalidRequest(413, `codex-edge: request body is larger than ${limit} bytes (MAX_REQUEST_BODY_BYTES)`, 'request_too_large');
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge();
  try {
    const { bytes, truncated } = await collectBody(request, limit);
    if (truncated) throw tooLarge();
    return bytes;
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    const gone = request.signal.aborted || (err instanceof Error && DISCONNECTED.test(err.message));
    throw gone ? clientClosedRequest(err) : unreadableBody(err);
  }
}
