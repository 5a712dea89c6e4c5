/**
 * What keeps a silent stream alive, per client. Codex drops SSE comments without resetting its
 * idle timer, so it gets a `data:` event of a type it ignores; every other client gets a comment,
 * which SSE parsers skip and which cannot be mistaken for a payload.
 */
import type { ClientProfile } from './client-profile';
import { commentEvent, dataEvent } from '../stream/sse';
import type { WireApi } from '../stream/terminal';

const HEARTBEAT_TYPE = 'codex_edge.heartbeat';

/** A WebSocket client's heartbeat: a frame of that ignored type (a WebSocket has no comments). */
export const HEARTBEAT_FRAME = JSON.stringify({ type: HEARTBEAT_TYPE });

export function heartbeatEvent(profile: ClientProfile, wire: WireApi): string {
  return profile === 'codex' && wire === 'responses' ? dataEvent(HEARTBEAT_TYPE, { type: HEARTBEAT_TYPE }).text : commentEvent('keep-alive').text;
}
