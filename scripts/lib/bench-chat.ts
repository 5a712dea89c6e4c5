/**
 * The benchmark's translated turn: what a Chat-Completions-only provider behind /v1/responses
 * costs against the plain relay. The same streamed /v1/responses turn, a request Codex 0.171.0
 * really sent (47 KB: system prompt, 12 tools; test/fixtures/codex/), goes through the relay
 * (a Responses upstream: relayed as it is) and through a second gateway with
 * UPSTREAM_WIRE_API=chat (translated to /chat/completions and the chat stream back to Responses
 * events), both against the same simulator; and directly to the simulator's Responses API.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { Simulator } from '../../simulator/server';
import { startGateway, type Gateway } from './gateway';
import { ms, percentile, ratio } from './stats';

const LEVELS: readonly { concurrency: number; requests: number }[] = [
  { concurrency: 1, requests: 200 },
  { concurrency: 16, requests: 800 },
];
const WARMUP = 30;
const CODEX_REQUEST = readFileSync(new URL('../../test/fixtures/codex/request-0.171.0.json', import.meta.url), 'utf8');

interface Sample {
  readonly ttfb: number;
  readonly total: number;
}

async function turn(dispatcher: Agent, baseUrl: string): Promise<Sample> {
  const started = performance.now();
  const response = await request(`${baseUrl}/responses`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: CODEX_REQUEST,
  });
  let ttfb = 0;
  let text = '';
  for await (const chunk of response.body) {
    if (ttfb === 0) ttfb = performance.now() - started;
    text += (chunk as Buffer).toString('utf8');
  }
  if (response.statusCode !== 200 || !text.includes('"response.completed"')) throw new Error(`status ${response.statusCode}: ${text.slice(0, 300)}`);
  return { ttfb, total: performance.now() - started };
}

async function load(baseUrl: string, concurrency: number, requests: number): Promise<{ samples: Sample[]; seconds: number }> {
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  for (let i = 0; i < WARMUP; i += 1) await turn(dispatcher, baseUrl);
  const samples: Sample[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        samples.push(await turn(dispatcher, baseUrl));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { samples, seconds };
}

function summary(run: { samples: Sample[]; seconds: number }) {
  const ttfb = run.samples.map((s) => s.ttfb).sort((a, b) => a - b);
  const total = run.samples.map((s) => s.total).sort((a, b) => a - b);
  return {
    ttfb50: percentile(ttfb, 50),
    ttfb99: percentile(ttfb, 99),
    total50: percentile(total, 50),
    total99: percentile(total, 99),
    rps: run.samples.length / run.seconds,
  };
}

/** Runs the translated-turn rows (progress on stderr); returns the table's rows. */
export async function translatedTurnRows(sim: Simulator, relay: Gateway): Promise<string[][]> {
  const chat = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, UPSTREAM_WIRE_API: 'chat', HEARTBEAT_INTERVAL_MS: '15000' });
  const rows: string[][] = [];
  try {
    for (const { concurrency, requests } of LEVELS) {
      const measure = async (label: string, baseUrl: string) => {
        process.stderr.write(`[translated turn] c=${concurrency}, ${requests} Codex-sized turns ${label} ...`);
        const started = performance.now();
        const result = summary(await load(baseUrl, concurrency, requests));
        process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
        return result;
      };
      const direct = await measure('direct (Responses)', sim.baseUrl);
      const relayed = await measure('through the relay', relay.baseUrl);
      const translated = await measure('translated to chat', chat.baseUrl);
      for (const [name, s] of [
        ['direct', direct],
        ['relay', relayed],
        ['translated', translated],
      ] as const) {
        rows.push([`c=${concurrency}`, name, ms(s.ttfb50), ms(s.ttfb99), ms(s.total50), ms(s.total99), s.rps.toFixed(0)]);
      }
      rows.push([
        '',
        'translated/relay',
        ratio(translated.ttfb50, relayed.ttfb50),
        ratio(translated.ttfb99, relayed.ttfb99),
        ratio(translated.total50, relayed.total50),
        ratio(translated.total99, relayed.total99),
        ratio(translated.rps, relayed.rps),
      ]);
      rows.push([
        '',
        'added by translation',
        ms(translated.ttfb50 - relayed.ttfb50),
        ms(translated.ttfb99 - relayed.ttfb99),
        ms(translated.total50 - relayed.total50),
        ms(translated.total99 - relayed.total99),
        '',
      ]);
    }
  } finally {
    await chat.close();
  }
  return rows;
}
