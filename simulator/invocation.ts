/**
 * The simulator's command line, parsed: flags → options, pre-queued faults, whether to log.
 * The CLI listens on 9000 by default, the port the README's examples use (startSimulator's own
 * default is 0, a free port, for tests).
 */
import { parseArgs } from 'node:util';
import { parseChatReply, type ChatReply } from './chat-script';
import { parseFaults, type Fault } from './faults';
import { IDLE_MODES, type SimulatorOptions } from './options';
import { expectOneOf, parseJson } from './validate';

export const DEFAULT_PORT = 9000;

export const USAGE = `Usage: npx tsx simulator/cli.ts [options]

A flaky OpenAI-compatible provider on 127.0.0.1 (Responses, Chat Completions, models).

Options:
  --port <n>              port to listen on (default 9000; 0 = a random free port)
  --idle-cutoff-ms <ms>   drop keep-alive connections idle this long (default: never; 0 = never)
  --idle-mode <mode>      reset (default: forget silently, RST the next request)
                          close (clean FIN at the cutoff)
                          bad-request (bogus 400 HTML + Connection: close on the next request)
  --delta-count <n>       text deltas per streamed response (default 5)
  --delta-size <n>        characters per delta (default 8)
  --event-delay-ms <ms>   pause between streamed events (default 0)
  --stream-write-bytes <n> write streams in slices of n bytes, events cut across them, as
                          TCP delivers a provider's stream (default 0: one write per event)
  --outage-ms <ms>        down from start-up for this long: every /v1/* request answers
                          --outage-status (default 503, OpenAI error body), then healthy
  --outage-status <n>     the status of --outage-ms (400-599)
  --flapping-down-ms <ms> flapping: down this long, then up --flapping-up-ms, again and again
  --flapping-up-ms <ms>   (both needed); down periods answer --flapping-status (default 503)
  --flapping-status <n>   the status of a flapping provider's down periods (400-599)
  --fault <json>          pre-queue faults: a JSON fault or array of faults; repeatable, e.g.
                          --fault '[{"kind":"status","status":503},{"kind":"cut","afterEvents":3}]'
                          kinds: status {status, body?, headers?}, reset, hang, empty,
                          cut {afterEvents}, stall {afterEvents}, delay {ms}; hostile:
                          echo-key {where}, gzip-bomb {expandedBytes}, huge {bytes, shape},
                          trickle {shape}, redirect {status, location} (simulator/README.md)
  --chat-strict           a strict Chat-Completions-only provider: /v1/responses answers 404,
                          and a chat request a strict provider refuses answers 400 (the developer
                          role, a late system message, a non-function tool, an unknown field, a
                          bad tool name, a tool call without its tool message)
  --chat-reject <fields>  comma list of fields a chat request must not carry (400), e.g.
                          stream_options,strict (with or without --chat-strict)
  --reply <json>          pre-queue scripted chat replies: a JSON reply or array; repeatable, e.g.
                          --reply '[{"kind":"tool-call","name":"exec_command","arguments":{"cmd":"echo hi"}},
                                    {"kind":"quote-tool-output"}]'
                          kinds: text {text?, reasoning?}, tool-call {name, arguments, id?, text?,
                          reasoning?}, quote-tool-output {prefix?}, finish {reason: length|content_filter}
  --quiet                 no log line per request and per injected fault
  -h, --help              print this help

Control API (same port): POST /__sim/faults, GET /__sim/requests, GET /__sim/stats,
POST /__sim/replies, POST /__sim/reset, POST /__sim/options (JSON patch, e.g. {"eventDelayMs":50},
{"outage":{"ms":15000}}, {"flapping":{"downMs":2000,"upMs":3000}}, {"outage":null}).`;

const NUMERIC_FLAGS = {
  port: 'port',
  'idle-cutoff-ms': 'idleCutoffMs',
  'delta-count': 'deltaCount',
  'delta-size': 'deltaSize',
  'event-delay-ms': 'eventDelayMs',
  'stream-write-bytes': 'streamWriteBytes',
} as const satisfies Record<string, keyof SimulatorOptions>;

const DOWN_FLAGS = ['outage-ms', 'outage-status', 'flapping-down-ms', 'flapping-up-ms', 'flapping-status'] as const;
type DownFlag = (typeof DOWN_FLAGS)[number];

export interface Invocation {
  help: boolean;
  /** Log one line per request and per injected fault to stdout (not with --quiet). */
  log: boolean;
  options: SimulatorOptions;
  faults: Fault[];
  replies: ChatReply[];
}

export function parseInvocation(args: readonly string[]): Invocation {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      port: { type: 'string' },
      'idle-cutoff-ms': { type: 'string' },
      'delta-count': { type: 'string' },
      'delta-size': { type: 'string' },
      'event-delay-ms': { type: 'string' },
      'stream-write-bytes': { type: 'string' },
      'outage-ms': { type: 'string' },
      'outage-status': { type: 'string' },
      'flapping-down-ms': { type: 'string' },
      'flapping-up-ms': { type: 'string' },
      'flapping-status': { type: 'string' },
      'idle-mode': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'chat-strict': { type: 'boolean' },
      'chat-reject': { type: 'string' },
      reply: { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const options: SimulatorOptions = { port: DEFAULT_PORT };
  for (const flag of Object.keys(NUMERIC_FLAGS) as (keyof typeof NUMERIC_FLAGS)[]) {
    const value = integerFlag(flag, values[flag]);
    if (value !== undefined) options[NUMERIC_FLAGS[flag]] = value;
  }
  const down = Object.fromEntries(DOWN_FLAGS.map((flag) => [flag, integerFlag(flag, values[flag])])) as Record<DownFlag, number | undefined>;
  Object.assign(options, downOptions(down));
  const mode = values['idle-mode'];
  if (mode !== undefined) options.idleMode = expectOneOf(mode, '--idle-mode', IDLE_MODES);
  const faults = (values.fault ?? []).flatMap((json) => parseFaults(parseJson(json, '--fault')));
  if (values['chat-strict'] === true) options.chatStrict = true;
  const reject = values['chat-reject'];
  if (reject !== undefined)
    options.chatRejectFields = reject
      .split(',')
      .map((field) => field.trim())
      .filter((field) => field !== '');
  const replies = (values.reply ?? []).flatMap((json) => {
    const value = parseJson(json, '--reply');
    return (Array.isArray(value) ? value : [value]).map(parseChatReply);
  });
  return { help: values.help === true, log: values.quiet !== true, options, faults, replies };
}

function integerFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value)) throw new Error(`--${flag} must be an integer, got '${raw}'`);
  return value;
}

/** The outage and flapping options the flags ask for (validated when the simulator resolves them). */
function downOptions(flags: Readonly<Record<DownFlag, number | undefined>>): Pick<SimulatorOptions, 'outage' | 'flapping'> {
  const options: Pick<SimulatorOptions, 'outage' | 'flapping'> = {};
  const outageStatus = flags['outage-status'];
  if (flags['outage-ms'] !== undefined) options.outage = { ms: flags['outage-ms'], ...(outageStatus === undefined ? {} : { status: outageStatus }) };
  else if (outageStatus !== undefined) throw new Error('--outage-status needs --outage-ms');
  const [downMs, upMs, flappingStatus] = [flags['flapping-down-ms'], flags['flapping-up-ms'], flags['flapping-status']];
  if (downMs !== undefined && upMs !== undefined) options.flapping = { downMs, upMs, ...(flappingStatus === undefined ? {} : { status: flappingStatus }) };
  else if (downMs !== undefined || upMs !== undefined || flappingStatus !== undefined)
    throw new Error('flapping needs both --flapping-down-ms and --flapping-up-ms');
  return options;
}
