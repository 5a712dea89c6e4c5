/**
 * The axes of the secrets suite other than the key format: where the upstream echoes the key
 * (every `where` of the simulator's echo-key fault), whose key it is (the mode), and who asks
 * (the client profile, with its route).
 */
import type { Fault } from '../../../simulator/faults';
import { ECHO_KEY_PLACES, type EchoKeyPlace, type EchoKeySpelling } from '../../../simulator/hostile-faults';
import { CODEX_HEADERS, GATEWAY } from '../support';
import { TEAM_ENV, createTeam } from '../teams/support';
import { CLIENT_KEY, type KeyFormat } from './keys';

export interface EchoPath {
  readonly name: string;
  /** The faults queued for one request (more than one when the gateway retries). */
  readonly faults: readonly Fault[];
  /** Whether the client asks for a stream. */
  readonly stream: boolean;
  readonly env: Partial<Cloudflare.Env>;
}

type EchoKey = Extract<Fault, { kind: 'echo-key' }>;

function echo(where: EchoKeyPlace, status?: number, options: Pick<EchoKey, 'contentType' | 'contentEncoding' | 'spelling'> = {}): EchoKey {
  return { kind: 'echo-key', where, ...(status === undefined ? {} : { status }), ...options };
}

/** The key spelled otherwise in an error's message (a 401: parsed), a 200's JSON (read whole), headers and HTML (relayed raw), and a stream's events. */
function spelledPaths(spelling: EchoKeySpelling, places: readonly ('message' | 'header' | 'html')[]): EchoPath[] {
  return [
    { name: `${spelling} in message (401)`, faults: [echo('message', undefined, { spelling })], stream: false, env: {} },
    ...places.map((where) => ({ name: `${spelling} in ${where} of a 200`, faults: [echo(where, 200, { spelling })], stream: false, env: {} })),
    { name: `${spelling} in stream events, on a stream`, faults: [echo('stream-event', undefined, { spelling })], stream: true, env: {} },
  ];
}

/**
 * Every place, on a plain request with the simulator's default status (401: final); the key in
 * a message that is retried until the attempts run out (a 503: Codex on a stream is told in a
 * `response.failed`); in the headers, a JSON body (read whole) and an HTML body (relayed raw) of
 * a 200, that HTML labelled as binary, and compressed in an encoding workerd does not decode (the
 * client would); a key inside a 200 stream, asked for as a stream and not. Then the key spelled
 * otherwise: upper-cased (a hex key's upper-cased echo is the key itself), and JSON-escaped
 * (every character, the first, `\/` and `\u002B`: the client's JSON parser reads the key back).
 */
export const ECHO_PATHS: readonly EchoPath[] = [
  ...ECHO_KEY_PLACES.filter((where) => where !== 'stream-event').map((where) => ({ name: `in ${where} (401)`, faults: [echo(where)], stream: false, env: {} })),
  {
    name: 'in message of 503s until the attempts run out, on a stream',
    faults: [echo('message', 503), echo('message', 503)],
    stream: true,
    env: { RETRY_MAX_ATTEMPTS: '2' },
  },
  ...(['header', 'message', 'html'] as const).map((where) => ({ name: `in ${where} of a 200`, faults: [echo(where, 200)], stream: false, env: {} })),
  {
    name: 'in html of a 200 labelled application/octet-stream',
    faults: [echo('html', 200, { contentType: 'application/octet-stream' })],
    stream: false,
    env: {},
  },
  { name: 'in html of a 200 in content-encoding deflate', faults: [echo('html', 200, { contentEncoding: 'deflate' })], stream: false, env: {} },
  { name: 'in stream events, on a stream', faults: [echo('stream-event')], stream: true, env: {} },
  { name: 'in stream events, asked without stream', faults: [echo('stream-event')], stream: false, env: {} },
  ...spelledPaths('upper-case', ['message', 'header', 'html']),
  ...(['unicode-escaped', 'first-escaped', 'slash-escaped'] as const).flatMap((spelling) => spelledPaths(spelling, ['message'])),
];

export interface ClientProfile {
  readonly name: string;
  readonly path: '/v1/responses' | '/v1/chat/completions';
  readonly headers: Readonly<Record<string, string>>;
}

export const CLIENT_PROFILES: readonly ClientProfile[] = [
  { name: 'Codex on /v1/responses', path: '/v1/responses', headers: CODEX_HEADERS },
  {
    name: 'openai SDK on /v1/chat/completions',
    path: '/v1/chat/completions',
    headers: { 'user-agent': 'OpenAI/JS 6.30.1', 'x-stainless-lang': 'js', 'x-stainless-package-version': '6.30.1', 'x-stainless-retry-count': '0' },
  },
];

/** What one mode gives a request: the client's key and the gateway's env. */
export interface Credentials {
  readonly clientKey: string;
  readonly env: Partial<Cloudflare.Env>;
}

export interface Mode {
  readonly name: string;
  /** Before the mode's cases run (a hosted team per key format). */
  prepare(formats: readonly KeyFormat[]): Promise<void>;
  credentials(format: KeyFormat): Credentials;
}

const ownerKey: Mode = {
  name: "single upstream with the owner's key",
  prepare: () => Promise.resolve(),
  credentials: (format) => ({ clientKey: CLIENT_KEY, env: { UPSTREAM_API_KEY: format.key, GATEWAY_API_KEYS: CLIENT_KEY } }),
};

const bringYourOwnKey: Mode = {
  name: 'single upstream, bring your own key',
  prepare: () => Promise.resolve(),
  credentials: (format) => ({ clientKey: format.key, env: {} }),
};

/** A team per key format, whose one provider holds that key (stored encrypted). */
const teamKeys = new Map<string, string>();

const hostedTeam: Mode = {
  name: 'hosted: a team provider holds the key',
  prepare: async (formats) => {
    for (const [index, format] of formats.entries()) {
      const team = await createTeam(
        `secrets-suite-${index}`,
        [{ name: 'provider', sim: 1, api_key: format.key }],
        [{ model: 'gpt-test', targets: [{ provider: 'provider' }] }],
      );
      teamKeys.set(format.name, team.key);
    }
  },
  credentials: (format) => {
    const clientKey = teamKeys.get(format.name);
    if (clientKey === undefined) throw new Error(`no team for ${format.name}: prepare() did not run`);
    return { clientKey, env: TEAM_ENV };
  },
};

export const MODES: readonly Mode[] = [ownerKey, bringYourOwnKey, hostedTeam];

/** The request a profile sends, in a mode, for one echo path. */
export function clientRequest(profile: ClientProfile, clientKey: string, stream: boolean): Request {
  const input = profile.path === '/v1/responses' ? { input: 'hi' } : { messages: [{ role: 'user', content: 'hi' }] };
  return new Request(`${GATEWAY}${profile.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${clientKey}`, ...profile.headers },
    body: JSON.stringify({ model: 'gpt-test', stream, ...input }),
  });
}
