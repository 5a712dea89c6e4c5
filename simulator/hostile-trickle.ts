/**
 * The trickle fault: one byte at a time, at `bytesPerSecond`, forever (a JSON body and then
 * spaces, SSE events that never finish, or raw bytes) until the client goes away. A tick that a
 * busy machine fires late writes the bytes it missed: the rate holds, not the timer's.
 */
import type { ServerResponse } from 'node:http';
import { chatCompletion, newChatSpec } from './chat';
import { errorForStatus } from './errors';
import { isChat, RAW_PIECE, SSE_HEADERS, type HostileOf, type HostileRequest } from './hostile-write';
import { sseFrame, type WritePlan } from './reply';
import { newResponseSpec, responseObject } from './responses';
import { requestedModel } from './routes';
import { randomId, unixSeconds } from './text';

export function writeTrickle(res: ServerResponse, fault: HostileOf<'trickle'>, request: HostileRequest, plan: WritePlan): Promise<void> {
  const status = fault.status ?? 200;
  const bytesPerSecond = fault.bytesPerSecond ?? 1;
  const intervalMs = 1000 / bytesPerSecond;
  const [headers, source] = trickleSource(fault.shape, status, request);
  res.writeHead(status, headers);
  res.flushHeaders();
  return new Promise((resolve) => {
    let current: Buffer = Buffer.alloc(0);
    let offset = 0;
    const started = performance.now();
    let sent = 0;
    const stop = (): void => {
      clearInterval(timer);
      resolve();
    };
    const timer = setInterval(() => {
      if (res.writableNeedDrain) return; // the client is not reading: do not queue more
      // The bytes due by now: a byte a tick, and those of ticks a busy machine fired late, so that the rate holds.
      const due = Math.max(1, Math.floor(((performance.now() - started) * bytesPerSecond) / 1000) - sent);
      const bytes: Buffer[] = [];
      for (let i = 0; i < due; i += 1) {
        while (offset >= current.length) {
          current = source.next().value;
          offset = 0;
        }
        bytes.push(current.subarray(offset, offset + 1));
        offset += 1;
      }
      res.write(Buffer.concat(bytes));
      sent += due;
    }, intervalMs);
    if (plan.signal.aborted) stop();
    else plan.signal.addEventListener('abort', stop, { once: true });
  });
}

/** An endless source of bytes: a JSON body then spaces (valid JSON that never ends), SSE events without end, or raw bytes. */
function trickleSource(shape: HostileOf<'trickle'>['shape'], status: number, request: HostileRequest): [Record<string, string>, Iterator<Buffer, never>] {
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
  for (let i = start; out.length < length; i += 1) out += text.charAt(i % text.length);
  return out;
}
