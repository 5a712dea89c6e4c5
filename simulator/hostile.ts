/**
 * Writes the hostile faults (types and validation: hostile-faults.ts). Bodies that can be
 * huge are streamed in 64 KiB writes that wait for 'drain'; nothing here holds a whole
 * huge body, and every timer stops when the response closes (client gone or close()).
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { bombFiller, gzipBomb } from './bomb';
import { errorForStatus, openAIError, type OpenAIError } from './errors';
import type { Fault } from './faults';
import type { HostileFault } from './hostile-faults';
import { chatCompletion, newChatSpec } from './chat';
import { jsonReply, sseFrame, sseReply, write, writeReply, type Reply, type WritePlan } from './reply';
import { newResponseSpec, responseObject } from './responses';
import { requestedModel } from './routes';
import { randomId, unixSeconds } from './text';

/** What a hostile fault needs to know about the request it answers. */
export interface HostileRequest {
  pathname: string;
  /** The request's Authorization header, as received. */
  authorization: string | undefined;
  body: string;
  deltaSize: number;
}

type Of<K extends HostileFault['kind']> = Extract<HostileFault, { kind: K }>;

const PIECE = 64 * 1024;
/** Text that is safe inside a JSON string (letters, spaces, '.', ','), 64 KiB of it. */
const TEXT_PIECE = Buffer.from('All work and no play makes a huge body. '.repeat(Math.ceil(PIECE / 40)).slice(0, PIECE));
/** Bytes that are neither JSON nor SSE nor UTF-8: 0x00..0xff, over and over. */
const RAW_PIECE = Buffer.from(Array.from({ length: PIECE }, (_, i) => i & 0xff));
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** Starts work a fault will need (a gzip bomb's compression) as soon as it is queued. */
export function prepareFault(fault: Fault): void {
  if (fault.kind === 'gzip-bomb') {
    const status = fault.status ?? 200;
    gzipBomb(fault.expandedBytes, bombFiller(status, fault.contentType ?? 'application/json')).catch(() => undefined);
  }
}

export async function answerHostile(res: ServerResponse, fault: HostileFault, request: HostileRequest, plan: WritePlan): Promise<void> {
  switch (fault.kind) {
    case 'echo-key':
      return writeReply(res, echoKeyReply(fault, request), plan);
    case 'gzip-bomb':
      return writeGzipBomb(res, fault, plan);
    case 'huge':
      return writeHuge(res, fault, request, plan);
    case 'trickle':
      return writeTrickle(res, fault, request, plan);
    case 'redirect':
      return writeReply(res, redirectReply(fault), plan);
  }
}

// --- echo-key ---------------------------------------------------------------------------

/** The bearer token of an Authorization header; the whole value if it is not a bearer token. */
export function presentedKey(authorization: string | undefined): string {
  if (authorization === undefined) return '';
  return /^Bearer\s+(.*?)\s*$/i.exec(authorization)?.[1] ?? authorization;
}

function echoKeyReply(fault: Of<'echo-key'>, request: HostileRequest): Reply {
  const key = fault.value ?? presentedKey(request.authorization);
  const status = fault.status ?? (fault.where === 'stream-event' ? 200 : 401);
  const leaked = (message: string): OpenAIError => openAIError(message, 'invalid_request_error', 'invalid_api_key');
  const incorrect = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  switch (fault.where) {
    case 'message':
      return jsonReply(status, leaked(incorrect));
    case 'code':
      return jsonReply(status, openAIError('Incorrect API key provided.', 'invalid_request_error', key));
    case 'type':
      return jsonReply(status, openAIError('Incorrect API key provided.', key, 'invalid_api_key'));
    case 'param':
      return jsonReply(status, openAIError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key', key));
    case 'header':
      return jsonReply(status, errorForStatus(status, requestedModel(request.body)), { 'openai-organization': key, 'x-request-id': key });
    case 'html':
      return {
        kind: 'fixed',
        status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body:
          `<html><head><title>${status} ${STATUS_CODES[status] ?? ''}</title></head><body><center><h1>${status} ` +
          `${STATUS_CODES[status] ?? ''}</h1></center><hr><p>Invalid API key: ${key}</p></body></html>\n`,
      };
    case 'stream-event':
      return { ...sseReply(echoKeyEvents(request, incorrect)), status };
    case 'url-encoded':
      return jsonReply(status, leaked(`Incorrect API key provided in https://api.example.com/v1/responses?api_key=${encodeURIComponent(key)}`));
    case 'basic':
      return jsonReply(status, leaked(`Invalid credentials: Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')}`));
    case 'prefix':
      return jsonReply(status, leaked(`Incorrect API key provided: ${key.slice(0, 10)}...`));
  }
}

/** Chat Completions: a role chunk, then an error chunk. Anything else: a Responses stream that fails with an `error` event and `response.failed`. */
function echoKeyEvents(request: HostileRequest, message: string): string[] {
  const model = requestedModel(request.body);
  const error = { code: 'invalid_api_key', message };
  if (isChat(request.pathname)) {
    const spec = newChatSpec(model, request.body, 0, 1);
    const role = {
      id: spec.id,
      object: 'chat.completion.chunk',
      created: spec.created,
      model,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    };
    return [sseFrame(role), sseFrame(openAIError(message, 'invalid_request_error', 'invalid_api_key'))];
  }
  const inProgress = responseObject(newResponseSpec(model, request.body, 0, 1), 'in_progress');
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): string => sseFrame({ type, sequence_number: sequence++, ...fields }, type);
  return [
    event('response.created', { response: inProgress }),
    event('response.in_progress', { response: inProgress }),
    event('error', { ...error, param: null }),
    event('response.failed', { response: { ...inProgress, status: 'failed', error } }),
  ];
}

// --- gzip-bomb --------------------------------------------------------------------------

async function writeGzipBomb(res: ServerResponse, fault: Of<'gzip-bomb'>, plan: WritePlan): Promise<void> {
  const status = fault.status ?? 200;
  const contentType = fault.contentType ?? 'application/json';
  const compressed = await gzipBomb(fault.expandedBytes, bombFiller(status, contentType));
  if (plan.signal.aborted) return;
  res.writeHead(status, { 'content-type': contentType, 'content-encoding': 'gzip', 'content-length': String(compressed.length) });
  await writePieces(res, slices(compressed), plan.signal);
}

function* slices(buffer: Buffer): Generator<Buffer> {
  for (let start = 0; start < buffer.length; start += PIECE) yield buffer.subarray(start, start + PIECE);
}

// --- huge -------------------------------------------------------------------------------

async function writeHuge(res: ServerResponse, fault: Of<'huge'>, request: HostileRequest, plan: WritePlan): Promise<void> {
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

/** Writes every piece, waiting for 'drain' when the socket is behind, then ends; stops quietly when the response closes. */
async function writePieces(res: ServerResponse, pieces: Iterable<Buffer>, signal: AbortSignal): Promise<void> {
  for (const piece of pieces) {
    if (piece.length > 0 && !(await write(res, piece, signal))) return;
  }
  res.end();
}

// --- trickle ----------------------------------------------------------------------------

function writeTrickle(res: ServerResponse, fault: Of<'trickle'>, request: HostileRequest, plan: WritePlan): Promise<void> {
  const status = fault.status ?? 200;
  const intervalMs = 1000 / (fault.bytesPerSecond ?? 1);
  const [headers, source] = trickleSource(fault.shape, status, request);
  res.writeHead(status, headers);
  res.flushHeaders();
  return new Promise((resolve) => {
    let current: Buffer = Buffer.alloc(0);
    let offset = 0;
    const stop = (): void => {
      clearInterval(timer);
      resolve();
    };
    const timer = setInterval(() => {
      if (res.writableNeedDrain) return; // the client is not reading: do not queue more
      while (offset >= current.length) {
        current = source.next().value;
        offset = 0;
      }
      res.write(current.subarray(offset, offset + 1));
      offset += 1;
    }, intervalMs);
    if (plan.signal.aborted) stop();
    else plan.signal.addEventListener('abort', stop, { once: true });
  });
}

/** An endless source of bytes: a JSON body then spaces (valid JSON that never ends), SSE events without end, or raw bytes. */
function trickleSource(shape: Of<'trickle'>['shape'], status: number, request: HostileRequest): [Record<string, string>, Iterator<Buffer, never>] {
  const model = requestedModel(request.body);
  switch (shape) {
    case 'json': {
      let value: unknown;
      if (status >= 400) value = errorForStatus(status, model);
      else if (isChat(request.pathname)) value = chatCompletion(newChatSpec(model, request.body, 5, 8));
      else value = responseObject(newResponseSpec(model, request.body, 5, 8), 'completed');
      return [{ 'content-type': 'application/json' }, forever([Buffer.from(JSON.stringify(value))], Buffer.from(' '))];
    }
    case 'sse':
      return [SSE_HEADERS, endlessEvents(request, model)];
    case 'raw':
      return [{ 'content-type': 'application/octet-stream' }, forever([], RAW_PIECE)];
  }
}

function* forever(first: Buffer[], then: Buffer): Generator<Buffer, never> {
  yield* first;
  for (;;) yield then;
}

/** A stream that makes progress and never finishes: Chat chunks, or Responses deltas after the opening events. */
function* endlessEvents(request: HostileRequest, model: string): Generator<Buffer, never> {
  const words = 'All work and no play makes a slow stream. ';
  const size = Math.max(1, request.deltaSize);
  if (isChat(request.pathname)) {
    const id = randomId('chatcmpl-');
    const created = unixSeconds();
    const chunk = (delta: Record<string, unknown>): Buffer =>
      Buffer.from(sseFrame({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] }));
    yield chunk({ role: 'assistant', content: '' });
    for (let i = 0; ; i += size) yield chunk({ content: cycle(words, i, size) });
  }
  const spec = newResponseSpec(model, request.body, 0, 1);
  const part = { item_id: spec.itemId, output_index: 0, content_index: 0 };
  const inProgress = responseObject(spec, 'in_progress');
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): Buffer => Buffer.from(sseFrame({ type, sequence_number: sequence++, ...fields }, type));
  yield event('response.created', { response: inProgress });
  yield event('response.in_progress', { response: inProgress });
  yield event('response.output_item.added', {
    output_index: 0,
    item: { type: 'message', id: spec.itemId, role: 'assistant', status: 'in_progress', content: [] },
  });
  yield event('response.content_part.added', { ...part, part: { type: 'output_text', annotations: [], text: '' } });
  for (let i = 0; ; i += size) yield event('response.output_text.delta', { ...part, delta: cycle(words, i, size), logprobs: [] });
}

function cycle(text: string, start: number, length: number): string {
  let out = '';
  for (let i = start; out.length < length; i += 1) out += text[i % text.length];
  return out;
}

// --- redirect ---------------------------------------------------------------------------

function redirectReply(fault: Of<'redirect'>): Reply {
  const href = fault.location.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    kind: 'fixed',
    status: fault.status,
    headers: { location: fault.location, 'content-type': 'text/html; charset=utf-8' },
    body: `<html><head><title>Moved</title></head><body><a href="${href}">${href}</a></body></html>\n`,
  };
}

function isChat(pathname: string): boolean {
  return pathname === '/v1/chat/completions';
}
