/**
 * The huge fault: a body of exactly `bytes` (an error message or answer text that long, one SSE
 * data line that long, or raw bytes), streamed in 64 KiB writes; never held whole.
 */
import type { ServerResponse } from 'node:http';
import { chatCompletion, newChatSpec } from './chat';
import { openAIError } from './errors';
import { isChat, PIECE, RAW_PIECE, SSE_HEADERS, writePieces, type HostileOf, type HostileRequest } from './hostile-write';
import type { WritePlan } from './reply';
import { newResponseSpec, responseObject } from './responses';
import { requestedModel } from './routes';
import { randomId, unixSeconds } from './text';

/** Text that is safe inside a JSON string (letters, spaces, '.', ','), 64 KiB of it. */
const TEXT_PIECE = Buffer.from('All work and no play makes a huge body. '.repeat(Math.ceil(PIECE / 40)).slice(0, PIECE));

export async function writeHuge(res: ServerResponse, fault: HostileOf<'huge'>, request: HostileRequest, plan: WritePlan): Promise<void> {
  const status = fault.status ?? 200;
  switch (fault.shape) {
    case 'json-message': {
      const [head, tail] = hugeJsonEnvelope(status, request, fault.bytes);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(head.length + fault.bytes + tail.length) });
      return writePieces(res, sized(head, fault.bytes + head.length + tail.length, tail, TEXT_PIECE), plan.signal);
    }
    case 'sse-event': {
      const [eventLine, head, tail] = hugeSseEnvelope(request);
      res.writeHead(status, SSE_HEADERS);
      res.flushHeaders();
      const line = sized(head, fault.bytes, tail, TEXT_PIECE);
      return writePieces(res, concat([eventLine], line, fault.terminated === true ? [Buffer.from('\n\n')] : []), plan.signal);
    }
    case 'raw':
      res.writeHead(status, { 'content-type': 'application/octet-stream', 'content-length': String(fault.bytes) });
      return writePieces(res, sized(Buffer.alloc(0), fault.bytes, Buffer.alloc(0), RAW_PIECE), plan.signal);
  }
}

const MARKER = 'HUGE-FIELD-MARKER';

/** The JSON around a `bytes`-long field: an error message (status >= 400), else the text of a chat.completion or a Responses object. */
function hugeJsonEnvelope(status: number, request: HostileRequest, bytes: number): [Buffer, Buffer] {
  const model = requestedModel(request.body);
  let value: unknown;
  if (status >= 400) {
    value = openAIError(MARKER, status >= 500 ? 'server_error' : 'invalid_request_error');
  } else if (isChat(request.pathname)) {
    const completion = chatCompletion({ ...newChatSpec(model, request.body, 0, 1), text: MARKER });
    value = { ...completion, usage: null };
  } else {
    const object = responseObject({ ...newResponseSpec(model, request.body, 0, 1), text: MARKER }, 'completed');
    value = {
      ...object,
      usage: object.usage && { ...object.usage, output_tokens: Math.ceil(bytes / 4), total_tokens: object.usage.input_tokens + Math.ceil(bytes / 4) },
    };
  }
  return splitAtMarker(JSON.stringify(value));
}

/** The `event:` line (Responses only), then the head and tail of the data line around the huge delta. */
function hugeSseEnvelope(request: HostileRequest): [Buffer, Buffer, Buffer] {
  const model = requestedModel(request.body);
  if (isChat(request.pathname)) {
    const chunk = {
      id: randomId('chatcmpl-'),
      object: 'chat.completion.chunk',
      created: unixSeconds(),
      model,
      choices: [{ index: 0, delta: { content: MARKER }, logprobs: null, finish_reason: null }],
    };
    return [Buffer.alloc(0), ...splitAtMarker(`data: ${JSON.stringify(chunk)}`)];
  }
  const delta = {
    type: 'response.output_text.delta',
    sequence_number: 0,
    item_id: randomId('msg_'),
    output_index: 0,
    content_index: 0,
    delta: MARKER,
    logprobs: [],
  };
  return [Buffer.from('event: response.output_text.delta\n'), ...splitAtMarker(`data: ${JSON.stringify(delta)}`)];
}

function splitAtMarker(text: string): [Buffer, Buffer] {
  const at = text.indexOf(MARKER);
  return [Buffer.from(text.slice(0, at)), Buffer.from(text.slice(at + MARKER.length))];
}

/** Exactly `total` bytes: head, filler (repeating `piece`), tail; when `total` is shorter than head + tail, their first `total` bytes. */
function* sized(head: Buffer, total: number, tail: Buffer, piece: Buffer): Generator<Buffer> {
  if (total < head.length + tail.length) {
    yield Buffer.concat([head, tail]).subarray(0, total);
    return;
  }
  yield head;
  for (let left = total - head.length - tail.length; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
  yield tail;
}

function* concat<T>(...parts: Iterable<T>[]): Generator<T> {
  for (const part of parts) yield* part;
}
