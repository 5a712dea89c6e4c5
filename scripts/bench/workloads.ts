/**
 * The benchmark's workloads, one entry each: what the client sends, how the upstream (the
 * simulator) answers it, and at which concurrency levels it runs. Every workload runs on every
 * path (direct to the simulator, through the runtime floor, through the gateway) in every round.
 * Direct and the floor send the same request to the same simulator as the gateway does.
 *
 * To add one: an entry in WORKLOADS. A workload that needs the gateway configured otherwise (a
 * Chat provider behind /v1/responses: `gatewayVars: { UPSTREAM_WIRE_API: 'chat' }`) gets a gateway
 * instance of its own, so that its CPU and memory figures are its own too.
 */
import type { SimulatorOptions } from '../../simulator/server';

export interface Level {
  readonly concurrency: number;
  /** Requests per path per round (a full run; --quick takes fewer). */
  readonly requests: number;
}

export interface Workload {
  /** Its name in the tables. */
  readonly name: string;
  /** What it is, in a few words (the bench adds the measured answer size). */
  readonly description: string;
  readonly request: {
    /** Under the base URL (which ends in /v1), e.g. '/responses'. */
    readonly path: string;
    /** A JSON request body. */
    readonly body: string;
  };
  /** Simulator options while it runs; every other option at its default (streams always in TCP-sized writes, bench.ts). */
  readonly upstream: Partial<SimulatorOptions>;
  /** Gateway vars on top of UPSTREAM_BASE_URL; a workload with its own gets its own gateway instance. */
  readonly gatewayVars?: Readonly<Record<string, string>>;
  /** A string every complete answer holds (a stream's terminal event); an answer without it fails the run. */
  readonly completeWhen: string;
  /** Throughput in MiB/s rather than requests per second. */
  readonly bulk?: boolean;
  /** Requests per path before the first round, not measured (JIT, connection pools). */
  readonly warmup: number;
  readonly levels: readonly Level[];
}

/** A Codex-like system prompt and user message (about 3 KB of request body). */
const INSTRUCTIONS = 'You are a coding agent running in a terminal. Read files, run commands and edit code as asked. '.repeat(30);

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'chat JSON',
    description: 'POST /v1/chat/completions, a non-streamed chat.completion',
    request: {
      path: '/chat/completions',
      body: JSON.stringify({
        model: 'gpt-test',
        messages: [
          { role: 'system', content: INSTRUCTIONS },
          { role: 'user', content: 'Summarise the repository layout.' },
        ],
      }),
    },
    upstream: { deltaCount: 120, deltaSize: 4 },
    completeWhen: '"finish_reason":"stop"',
    warmup: 100,
    levels: [
      { concurrency: 1, requests: 400 },
      { concurrency: 16, requests: 1_000 },
    ],
  },
  {
    name: 'codex turn',
    description: 'POST /v1/responses, a streamed Codex-sized turn of 120 text deltas',
    request: {
      path: '/responses',
      body: JSON.stringify({ model: 'gpt-test', stream: true, instructions: INSTRUCTIONS, input: 'Summarise the repository layout.' }),
    },
    upstream: { deltaCount: 120, deltaSize: 4 },
    completeWhen: '"type":"response.completed"',
    warmup: 100,
    levels: [
      { concurrency: 1, requests: 300 },
      { concurrency: 16, requests: 640 },
      { concurrency: 64, requests: 960 },
    ],
  },
  {
    name: 'paced turn',
    description: 'the Codex turn as a generating provider sends it: each of its 120 deltas written on its own, 1 ms apart',
    request: {
      path: '/responses',
      body: JSON.stringify({ model: 'gpt-test', stream: true, instructions: INSTRUCTIONS, input: 'Summarise the repository layout.' }),
    },
    upstream: { deltaCount: 120, deltaSize: 4, eventDelayMs: 1 },
    completeWhen: '"type":"response.completed"',
    warmup: 10,
    levels: [
      { concurrency: 1, requests: 30 },
      { concurrency: 16, requests: 160 },
    ],
  },
  {
    name: 'bulk stream',
    description: 'POST /v1/responses, one long streamed answer: 7,000 deltas of 256 characters',
    request: { path: '/responses', body: JSON.stringify({ model: 'gpt-test', stream: true, input: 'Print the whole file.' }) },
    upstream: { deltaCount: 7_000, deltaSize: 256 },
    completeWhen: '"type":"response.completed"',
    bulk: true,
    warmup: 2,
    levels: [
      { concurrency: 1, requests: 4 },
      { concurrency: 16, requests: 16 },
    ],
  },
];
