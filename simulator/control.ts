/**
 * The control API under /__sim/, for processes that cannot import the simulator
 * (a Codex CLI test, users of the CLI). A thin JSON veneer over `Simulator`.
 * Every answer carries `Connection: close`, so control calls never share a pooled
 * connection with /v1/* traffic and the idle cutoff never bites them.
 */
import { openAIError, unknownUrl } from './errors';
import { parseChatReply } from './chat-script';
import { parseFaults } from './faults';
import { parseOptionsPatch } from './options';
import { jsonReply, type Reply } from './reply';
import type { Simulator } from './server';
import { parseJson } from './validate';

export const CONTROL_PREFIX = '/__sim/';

type ControlRoute = (sim: Simulator, body: string) => unknown;

const ROUTES: Readonly<Record<string, ControlRoute>> = {
  'POST /__sim/faults': (sim, body) => {
    const faults = parseFaults(parseJson(body, 'faults'));
    sim.enqueue(...faults);
    return { ok: true, added: faults.length };
  },
  'POST /__sim/replies': (sim, body) => {
    const value = parseJson(body, 'replies');
    const replies = (Array.isArray(value) ? value : [value]).map(parseChatReply);
    sim.reply(...replies);
    return { ok: true, added: replies.length };
  },
  'GET /__sim/requests': (sim) => sim.requests,
  'GET /__sim/stats': (sim) => sim.stats(),
  'POST /__sim/reset': (sim) => {
    sim.reset();
    return { ok: true };
  },
  'POST /__sim/options': (sim, body) => {
    sim.setOptions(parseOptionsPatch(parseJson(body, 'options')));
    return { ok: true };
  },
};

/** Answers a /__sim/* request: 200 JSON, 400 for a bad body, 404 for an unknown route. */
export function controlReply(sim: Simulator, method: string, pathname: string, body: string): Reply {
  const headers = { connection: 'close' };
  const route = ROUTES[`${method} ${pathname}`];
  if (route === undefined) return jsonReply(404, unknownUrl(method, pathname), headers);
  try {
    return jsonReply(200, route(sim, body), headers);
  } catch (error) {
    return jsonReply(400, openAIError((error as Error).message, 'invalid_request_error'), headers);
  }
}
