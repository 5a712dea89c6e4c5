/**
 * The request's known secrets kept out of the upstream bodies the gateway passes on without
 * parsing them: a 2xx JSON answer read whole, and a raw body relayed as it comes, whatever its
 * content type says (a hostile upstream labels its echo of a key as audio or a file as readily
 * as text). Like an SSE event (stream/source.ts), only a body that holds a secret is touched;
 * every other byte passes as it is (a binary body with no secret goes out the same bytes; one
 * with a secret is shorter or longer, and its length is never relayed). The check runs on the bytes
 * decoded natively, exact for the ASCII needles a secret is found by (an ASCII byte always
 * decodes to itself): a whole body as UTF-8, a raw one as windows-1252 (one character a byte, so
 * a position in the text is one in the bytes, and as fast on binary bytes as on text, where
 * UTF-8 is many times slower on bytes that are not UTF-8). A body that holds a secret is redacted
 * as Latin-1 text, which maps any bytes back exactly.
 */
import { concatBytes, latin1Bytes, latin1Text } from '../core/encoding';
import type { Redactor } from '../core/redact';

/** The most of a raw body held back while it may still turn out to be part of a secret. */
export const MAX_HELD_BYTES = 64 * 1024;
/**
 * How many reads in a row may each search again all that is held, releasing none of it: a token
 * holding a secret, grown by reads that each could end it and none does (escapes read through as
 * more of the token, `\u0041` a read), was searched whole per read. Past this many, a read that
 * may only continue the token (its bytes a token's or backslashes) is searched with what is held
 * only once that has doubled since its last search, so a body costs a bounded multiple of its size.
 */
export const MAX_HELD_SEARCHES = 16;

const utf8 = new TextDecoder();
/** WHATWG's `latin1` is windows-1252: every byte one character, ASCII itself (not Latin-1 above 0x7f: never mapped back). */
const singleByte = new TextDecoder('latin1');

/** Bodies are checked a slice at a time (a whole 16 MiB answer decoded at once would be 16 MiB more held)... */
const CHECK_SLICE_BYTES = 1024 * 1024;
/**
 * ...the slices overlapping by more than any needle is long: 8 characters (core/needles.ts), up to
 * 16 bytes each when JSON-escaped within nested strings (`\u005cu005cu0073`, core/json-escapes.ts).
 */
const CHECK_OVERLAP_BYTES = 256;

function holdsSecret(bytes: Uint8Array, redactor: Redactor): boolean {
  for (let start = 0; start < bytes.byteLength; start += CHECK_SLICE_BYTES) {
    if (redactor.holdsSecret(utf8.decode(bytes.subarray(Math.max(0, start - CHECK_OVERLAP_BYTES), start + CHECK_SLICE_BYTES)))) return true;
  }
  return false;
}

/** A whole body, with every known secret in it redacted (the same bytes when it holds none). */
export function redactedBytes(bytes: Uint8Array, redactor: Redactor): Uint8Array {
  if (!holdsSecret(bytes, redactor)) return bytes;
  return latin1Bytes(redactor.text(latin1Text(bytes)));
}

/** The bytes a token is made of (core/redact.ts TOKEN_CHAR): A-Z a-z 0-9 + / = _ - . ~ % *. */
const TOKEN_BYTES = new Set(new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~%*'));

/** ...and a backslash, which may begin an escape that reads as one of them. */
const CONTINUING_BYTES: ReadonlySet<number> = new Set([...TOKEN_BYTES, 0x5c]);

/** Whether every byte of a chunk is one of `set`. */
function onlyBytesOf(bytes: Uint8Array, set: ReadonlySet<number>): boolean {
  for (const byte of bytes) if (!set.has(byte)) return false;
  return true;
}

/** Bytes no secret holds (a key or token is no text: no whitespace, quotes, angle brackets or backslashes). */
const NEVER_IN_SECRET: ReadonlySet<number> = new Set(new TextEncoder().encode(' \t\r\n"\'<>\\'));

/** The bytes from the first one no secret holds (where a token ends for certain); null when there is none. */
function fromTokenEnd(bytes: Uint8Array): Uint8Array | null {
  const end = bytes.findIndex((byte) => NEVER_IN_SECRET.has(byte));
  return end === -1 ? null : bytes.subarray(end);
}

/**
 * A body relayed as it comes, with every known secret in it redacted. The end of a chunk that
 * may be the start of a secret (or of the token around one) waits for the next chunk, up to
 * MAX_HELD_BYTES; everything else goes on at once. A token that holds a secret and grows past
 * MAX_HELD_BYTES is never cut (a cut could split the secret, each half passing): it is redacted
 * whole at once, and the rest of it is dropped as it comes, up to a byte no secret holds; nothing
 * is held meanwhile. Pull-based, like the body it reads.
 */
export function withRedaction(body: ReadableStream<Uint8Array>, redactor: Redactor): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  /** What is held back, in the pieces it came in. */
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  /** The token being dropped: the rest of one redacted before it ended. */
  let dropping = false;
  /** Searches in a row that released nothing, and how much was held at the last. */
  let searches = 0;
  let searchedBytes = 0;
  const hold = (bytes: Uint8Array): void => {
    held = bytes.byteLength === 0 ? [] : [bytes];
    heldBytes = bytes.byteLength;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const result = await reader.read();
        if (result.done) {
          if (heldBytes > 0) controller.enqueue(redactedBytes(concatBytes(held, heldBytes), redactor));
          controller.close();
          return;
        }
        const value = dropping ? fromTokenEnd(result.value) : result.value;
        if (value === null) continue;
        dropping = false;
        const grown = heldBytes + value.byteLength;
        const continues =
          onlyBytesOf(value, TOKEN_BYTES) || (searches > MAX_HELD_SEARCHES && grown < 2 * searchedBytes && onlyBytesOf(value, CONTINUING_BYTES));
        if (heldBytes > 0 && grown <= MAX_HELD_BYTES && continues) {
          // Not scanned again until the token can end: a scan of all that is held per small read was quadratic.
          held.push(value);
          heldBytes += value.byteLength;
          continue;
        }
        const bytes = concatBytes([...held, value], heldBytes + value.byteLength);
        hold(new Uint8Array());
        const checked = singleByte.decode(bytes);
        const from = redactor.unsettledFrom(checked);
        searches = from === 0 ? searches + 1 : 0;
        searchedBytes = bytes.byteLength;
        if (from < checked.length - MAX_HELD_BYTES) {
          // Only a token that holds a secret waits this long (a needle cut short by the end is shorter).
          dropping = true;
          searches = 0;
          controller.enqueue(latin1Bytes(redactor.text(latin1Text(bytes))));
          return;
        }
        hold(bytes.slice(from));
        if (from === 0) continue;
        const settled = bytes.subarray(0, from);
        controller.enqueue(redactor.holdsSecret(checked.slice(0, from)) ? latin1Bytes(redactor.text(latin1Text(settled))) : settled);
        return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
