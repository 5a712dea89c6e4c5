/**
 * The secrets suite: every key format × every place an upstream echoes a key × every mode
 * (the owner's key, the client's own key, a hosted team's provider key) × both client profiles
 * (Codex, the openai SDK). In each case the simulator echoes the key the gateway sent it, and
 * neither the client (status line, headers, body or stream events) nor any log line may hold
 * the key in any form that gives it away (keys.ts: telltales).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientText } from '../hostile/support';
import { callGateway, sim } from '../support';
import { CLIENT_PROFILES, ECHO_PATHS, MODES, clientRequest, type EchoPath } from './cases';
import { KEY_FORMATS, exposures, type KeyFormat } from './keys';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
let logged: string[] = [];

beforeEach(async () => {
  logged = [];
  for (const method of CONSOLE_METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
  await sim.reset();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Everything the client received, as one text: status line, headers, then the whole body as the client decodes it (a stream read to its end). */
async function received(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return `${response.status} ${response.statusText}\n${headers}\n\n${await clientText(response)}`;
}

/** Where a key was found, as `place: forms`; empty when nowhere. */
function leaks(key: string, places: Record<string, string>): string[] {
  return Object.entries(places).flatMap(([place, text]) => {
    const found = exposures(key, text);
    return found.length === 0 ? [] : [`${place}: ${found.join(', ')}\n${text.slice(0, 4000)}`];
  });
}

const CASES: readonly (readonly [string, KeyFormat, EchoPath])[] = KEY_FORMATS.flatMap((format) =>
  ECHO_PATHS.map((path) => [`${format.name} echoed ${path.name}`, format, path] as const),
);

describe.each(MODES)('$name', (mode) => {
  beforeAll(() => mode.prepare(KEY_FORMATS));

  describe.each(CLIENT_PROFILES)('$name', (profile) => {
    it.each(CASES)('%s: never reaches the client or a log line', async (_name, format, path) => {
      const { clientKey, env } = mode.credentials(format);
      await sim.faults(...path.faults);
      const response = await callGateway(clientRequest(profile, clientKey, path.stream), { ...env, ...path.env });
      const seen = await received(response);

      // The echo really carried this key: the upstream got it and answered with the fault.
      const upstream = await sim.requests();
      expect(upstream.map((request) => request.headers['authorization'])).toContain(`Bearer ${format.key}`);
      expect(upstream[0]?.faultApplied).toBe('echo-key');

      expect(leaks(format.key, { response: seen, ...Object.fromEntries(logged.map((line, index) => [`log line ${index + 1}`, line])) })).toEqual([]);
      expect(logged.length).toBeGreaterThan(0);
      // Nor is the key the client presented (a gateway key, a team key) ever logged.
      expect(logged.filter((line) => line.includes(clientKey.slice(-16)))).toEqual([]);
    });
  });
});
