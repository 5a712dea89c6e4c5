/**
 * Hostile faults: answers a real (or malicious) provider can send that a gateway must
 * survive without leaking or falling over: the caller's key echoed back, a gzip bomb,
 * huge bodies, a trickle that never ends, a redirect. Their types and validation live
 * here; faults.ts adds them to the Fault union, hostile.ts writes them.
 */
import { expectInteger, expectOneOf, type JsonRecord } from './validate';

export const ECHO_KEY_PLACES = ['message', 'code', 'type', 'param', 'header', 'html', 'stream-event', 'url-encoded', 'basic', 'prefix'] as const;
export type EchoKeyPlace = (typeof ECHO_KEY_PLACES)[number];

/** How the echoed key is spelled wherever it stands as text (hostile-echo-key.ts: spelled). */
export const ECHO_KEY_SPELLINGS = ['as-sent', 'upper-case', 'unicode-escaped', 'first-escaped', 'slash-escaped'] as const;
export type EchoKeySpelling = (typeof ECHO_KEY_SPELLINGS)[number];

export const HUGE_SHAPES = ['json-message', 'sse-event', 'raw'] as const;
export type HugeShape = (typeof HUGE_SHAPES)[number];

export const TRICKLE_SHAPES = ['json', 'sse', 'raw'] as const;
export type TrickleShape = (typeof TRICKLE_SHAPES)[number];

export const REDIRECT_STATUSES = [301, 302, 307, 308] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

/** Largest gzip-bomb expansion: 8 GiB (about 18 s and 8 MiB of compressed bytes to generate). */
export const MAX_BOMB_BYTES = 2 ** 33;

export type HostileFault =
  /**
   * An error carrying the request's `Authorization` bearer token (or `value`) in `where`.
   * Default status 401 (`stream-event`: 200); spelled as sent unless `spelling` says otherwise.
   * `contentType` relabels the body; `contentEncoding` is sent as its Content-Encoding, the body
   * compressed with it when node:zlib knows it (gzip, deflate, br, whatever their case), as it is
   * under any other name (a stream: all at once).
   */
  | { kind: 'echo-key'; status?: number; where: EchoKeyPlace; value?: string; spelling?: EchoKeySpelling; contentType?: string; contentEncoding?: string }
  /** A body with `content-encoding: gzip` that expands to `expandedBytes` (JSON-ish, or SSE-ish for an event-stream contentType). Default status 200. */
  | { kind: 'gzip-bomb'; status?: number; expandedBytes: number; contentType?: string }
  /** A body of `bytes` (see `HugeShape`), streamed in 64 KiB writes. Default status 200. `terminated` only matters for `sse-event`. */
  | { kind: 'huge'; status?: number; bytes: number; shape: HugeShape; terminated?: boolean }
  /** One byte every 1000/bytesPerSecond ms (default 1 byte/s; the bytes of ticks fired late with the next), forever, until the client goes away. */
  | { kind: 'trickle'; status?: number; bytesPerSecond?: number; shape: TrickleShape }
  /** A redirect to `location` (never followed by the simulator itself). */
  | { kind: 'redirect'; status: RedirectStatus; location: string };

export type HostileKind = HostileFault['kind'];

export const HOSTILE_KINDS: readonly HostileKind[] = ['echo-key', 'gzip-bomb', 'huge', 'trickle', 'redirect'];

export function isHostileKind(kind: unknown): kind is HostileKind {
  return HOSTILE_KINDS.some((candidate) => candidate === kind);
}

export function isHostileFault(fault: { kind: string }): fault is HostileFault {
  return isHostileKind(fault.kind);
}

/** Validates one hostile fault (its `kind` already checked by `isHostileKind`) and returns a normalized copy. */
export function parseHostileFault(value: JsonRecord & { kind: HostileKind }): HostileFault {
  switch (value.kind) {
    case 'echo-key': {
      const where = expectOneOf(value.where, 'echo-key.where', ECHO_KEY_PLACES);
      const echoValue = optionalString(value.value, 'echo-key.value');
      if (echoValue !== undefined && where === 'header' && !HEADER_VALUE.test(echoValue)) {
        throw new Error('echo-key.value must be a valid header value (no control characters, Latin-1 only) with where: header');
      }
      const spelling = value.spelling === undefined ? undefined : expectOneOf(value.spelling, 'echo-key.spelling', ECHO_KEY_SPELLINGS);
      return {
        kind: 'echo-key',
        ...optionalStatus(value, 'echo-key'),
        where,
        ...(echoValue === undefined ? {} : { value: echoValue }),
        ...(spelling === undefined ? {} : { spelling }),
        ...optionalHeader(value.contentType, 'echo-key.contentType', 'contentType'),
        ...optionalHeader(value.contentEncoding, 'echo-key.contentEncoding', 'contentEncoding'),
      };
    }
    case 'gzip-bomb': {
      return {
        kind: 'gzip-bomb',
        ...optionalStatus(value, 'gzip-bomb'),
        expandedBytes: expectInteger(value.expandedBytes, 'gzip-bomb.expandedBytes', 0, MAX_BOMB_BYTES),
        ...optionalHeader(value.contentType, 'gzip-bomb.contentType', 'contentType'),
      };
    }
    case 'huge': {
      if (value.terminated !== undefined && typeof value.terminated !== 'boolean') throw new Error('huge.terminated must be a boolean');
      return {
        kind: 'huge',
        ...optionalStatus(value, 'huge'),
        bytes: expectInteger(value.bytes, 'huge.bytes', 0),
        shape: expectOneOf(value.shape, 'huge.shape', HUGE_SHAPES),
        ...(value.terminated === undefined ? {} : { terminated: value.terminated }),
      };
    }
    case 'trickle':
      return {
        kind: 'trickle',
        ...optionalStatus(value, 'trickle'),
        ...(value.bytesPerSecond === undefined ? {} : { bytesPerSecond: expectInteger(value.bytesPerSecond, 'trickle.bytesPerSecond', 1, 1000) }),
        shape: expectOneOf(value.shape, 'trickle.shape', TRICKLE_SHAPES),
      };
    case 'redirect': {
      const status = REDIRECT_STATUSES.find((candidate) => candidate === value.status);
      if (status === undefined) throw new Error(`redirect.status must be one of ${REDIRECT_STATUSES.join(', ')}, got ${JSON.stringify(value.status)}`);
      const location = optionalString(value.location, 'redirect.location');
      if (location === undefined || location === '' || !HEADER_VALUE.test(location)) {
        throw new Error('redirect.location must be a non-empty string that is a valid header value');
      }
      return { kind: 'redirect', status, location };
    }
  }
}

/** What Node accepts in a header value: tab, printable ASCII and Latin-1 (no CR, LF or other control characters). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function optionalStatus(value: JsonRecord, kind: string): { status?: number } {
  return value.status === undefined ? {} : { status: expectInteger(value.status, `${kind}.status`, 200, 599) };
}

/** `{ [field]: value }` for a header value given, `{}` for none. */
function optionalHeader<F extends string>(value: unknown, name: string, field: F): { [K in F]?: string } {
  const header = optionalString(value, name);
  if (header === undefined) return {};
  if (!HEADER_VALUE.test(header)) throw new Error(`${name} must be a valid header value`);
  return { [field]: header } as { [K in F]?: string };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw new Error(`${name} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** What a hostile fault does, in a few words (for a log line; never the echoed value itself). */
export function describeHostileFault(fault: HostileFault): string {
  switch (fault.kind) {
    case 'echo-key': {
      const spelling = fault.spelling === undefined ? '' : `, ${fault.spelling}`;
      return `echo-key in ${fault.where}${spelling} (${fault.status ?? (fault.where === 'stream-event' ? 200 : 401)})`;
    }
    case 'gzip-bomb':
      return `gzip-bomb expanding to ${fault.expandedBytes} bytes (${fault.status ?? 200})`;
    case 'huge':
      return `huge ${fault.shape} of ${fault.bytes} bytes (${fault.status ?? 200})`;
    case 'trickle':
      return `trickle ${fault.shape} at ${fault.bytesPerSecond ?? 1} byte(s)/s (${fault.status ?? 200})`;
    case 'redirect':
      return `redirect ${fault.status} to ${fault.location}`;
  }
}
