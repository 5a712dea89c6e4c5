/**
 * The echo-key fault: an error that carries the caller's key (or a fixed value) back in one of
 * the places a provider might put it: a field of the error, a header, an HTML page, a stream
 * event, or transformed (URL-encoded, in a Basic credential, a prefix); and spelled as sent or
 * otherwise (upper-cased, or JSON-escaped as a client's parser reads back) wherever it stands as text.
 */
import { STATUS_CODES } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { newChatSpec } from './chat';
import { errorForStatus, openAIError, type OpenAIError } from './errors';
import { isChat, type HostileOf, type HostileRequest } from './hostile-write';
import type { EchoKeySpelling } from './hostile-faults';
import { jsonReply, sseFrame, sseReply, type Reply } from './reply';
import { newResponseSpec, responseObject } from './responses';
import { requestedModel } from './routes';

/** The bearer token of an Authorization header; the whole value if it is not a bearer token. */
export function presentedKey(authorization: string | undefined): string {
  if (authorization === undefined) return '';
  return /^Bearer\s+(.*?)\s*$/i.exec(authorization)?.[1] ?? authorization;
}

const unicodeEscaped = (text: string): string => text.replace(/./gs, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * The key as the fault spells it: as sent, upper-cased, or JSON-escaped (every character as
 * `\uXXXX`; only its first; `/` as `\/` and `+` as `\u002B`, as PHP, Java and .NET write them).
 */
export function spelled(key: string, spelling: EchoKeySpelling): string {
  switch (spelling) {
    case 'as-sent':
      return key;
    case 'upper-case':
      return key.toUpperCase();
    case 'unicode-escaped':
      return unicodeEscaped(key);
    case 'first-escaped':
      return `${unicodeEscaped(key.slice(0, 1))}${key.slice(1)}`;
    case 'slash-escaped':
      return key.replace(/\//g, '\\/').replace(/\+/g, '\\u002B');
  }
}

/** The reply with the key spelled otherwise wherever it stands as text: body, stream events, header values. */
function respelled(reply: Reply, key: string, spelling: EchoKeySpelling): Reply {
  const spell = (text: string): string => (key === '' ? text : text.split(key).join(spelled(key, spelling)));
  const headers = Object.fromEntries(Object.entries(reply.headers).map(([name, value]) => [name, spell(value)]));
  if (reply.kind !== 'fixed') return { ...reply, headers, events: [...reply.events].map(spell) };
  return { ...reply, headers, body: typeof reply.body === 'string' ? spell(reply.body) : reply.body };
}

export function echoKeyReply(fault: HostileOf<'echo-key'>, request: HostileRequest): Reply {
  return relabelled(placedReply(fault, request), fault);
}

function placedReply(fault: HostileOf<'echo-key'>, request: HostileRequest): Reply {
  const key = fault.value ?? presentedKey(request.authorization);
  const reply = echoedAsSent(fault, request, key);
  return fault.spelling === undefined ? reply : respelled(reply, key, fault.spelling);
}

function echoedAsSent(fault: HostileOf<'echo-key'>, request: HostileRequest, key: string): Reply {
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

/** The reply under the fault's own content type and encoding, when it names them (a stream then sent whole, at once). */
function relabelled(reply: Reply, { contentType, contentEncoding }: HostileOf<'echo-key'>): Reply {
  if (contentType === undefined && contentEncoding === undefined) return reply;
  const body = reply.kind === 'fixed' ? reply.body : [...reply.events].join('');
  return {
    kind: 'fixed',
    status: reply.status,
    headers: {
      ...reply.headers,
      ...(contentType === undefined ? {} : { 'content-type': contentType }),
      ...(contentEncoding === undefined ? {} : { 'content-encoding': contentEncoding }),
    },
    body: contentEncoding === undefined ? body : encoded(body, contentEncoding),
  };
}

const CODECS: Readonly<Record<string, (bytes: Buffer) => Buffer>> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** The body compressed with `encoding` when node:zlib knows it, whatever its case; as it is under any other name. */
function encoded(body: string | Buffer, encoding: string): Buffer {
  const bytes = Buffer.from(body);
  return CODECS[encoding.toLowerCase()]?.(bytes) ?? bytes;
}
