import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError, parseAdminCommand, type CliStep } from '../../../scripts/lib/admin-cli';
import { send, type ClientOptions } from '../../../scripts/lib/admin-client';
import { runCommand } from '../../../scripts/lib/run';

const BASE = 'http://127.0.0.1:8787';
const TOKEN = 'local-admin-token-0123456789abcdef';

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** A fetch that answers from a list, in order, and records what it was sent. */
function fakeFetch(answers: readonly (Response | Error)[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  let next = 0;
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({ method: init?.method ?? 'GET', url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    const answer = answers[next++];
    if (answer === undefined) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch: fake as typeof fetch, sent };
}

const step = (line: string): CliStep => parseAdminCommand(line.split(' '), { env: {}, now: new Date(), readFile: () => '' });

function options(fetchFn: typeof fetch, env: Record<string, string> = { ADMIN_TOKEN: TOKEN }): ClientOptions {
  return { baseUrl: BASE, env, actor: 'tester', fetch: fetchFn };
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failure(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(CliError);
  return (err as CliError).message;
}

describe('the admin client', () => {
  it('names the URL and what to do when the gateway cannot be reached', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8787'), { code: 'ECONNREFUSED' }) });
    const message = await failure(send(step('teams list'), options(fakeFetch([refused]).fetch)));
    expect(message).toBe(
      'cannot reach the gateway at http://127.0.0.1:8787/admin/teams (ECONNREFUSED): is it running? Start it locally with `npm run dev`, or ' +
        'set CODEX_EDGE_URL to where it runs (now http://127.0.0.1:8787).',
    );
  });

  it("passes on the gateway's own message, with the call and the status", async () => {
    const off = json(404, {
      error: {
        message: 'codex-edge: the admin API is off: ADMIN_TOKEN is not set; set it ...',
        type: 'invalid_request_error',
        code: 'unknown_url',
        param: null,
      },
    });
    expect(await failure(send(step('teams list'), options(fakeFetch([off]).fetch)))).toBe(
      'GET http://127.0.0.1:8787/admin/teams answered 404: codex-edge: the admin API is off: ADMIN_TOKEN is not set; set it ...',
    );
    const refused = json(400, { error: { message: 'name must be a string', type: 'invalid_request_error', code: 'invalid_type', param: 'name' } });
    expect(await failure(send(step('teams update acme --name x'), options(fakeFetch([refused]).fetch)))).toBe(
      'PATCH http://127.0.0.1:8787/admin/teams/acme answered 400: name must be a string (field: name)',
    );
  });

  it('says how to set ADMIN_TOKEN when it is missing, before sending anything', async () => {
    const { fetch: fetchFn, sent } = fakeFetch([]);
    expect(await failure(send(step('teams list'), options(fetchFn, {})))).toContain('ADMIN_TOKEN is not set: export ADMIN_TOKEN=');
    expect(sent).toEqual([]);
  });

  it('revokes a key given by its prefix: lists the keys, then revokes the one it names', async () => {
    const listed = json(200, {
      object: 'list',
      data: [
        { id: 'key_one', prefix: 'cxe_AbCd1234' },
        { id: 'key_two', prefix: 'cxe_Zz000000' },
      ],
    });
    const revoked = json(200, { id: 'key_one', status: 'revoked' });
    const { fetch: fetchFn, sent } = fakeFetch([listed, revoked]);
    const answer = await send(step('keys revoke acme cxe_AbCd1234'), options(fetchFn));
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://127.0.0.1:8787/admin/teams/acme/keys',
      'POST http://127.0.0.1:8787/admin/teams/acme/keys/key_one/revoke',
    ]);
    expect(sent.every((request) => request.headers['authorization'] === `Bearer ${TOKEN}`)).toBe(true);
    expect(JSON.parse(answer.text)).toMatchObject({ status: 'revoked' });
  });

  it('asks for codex-config without a key when CODEX_EDGE_API_KEY is unset (a single-upstream gateway)', async () => {
    const { fetch: fetchFn, sent } = fakeFetch([new Response('model_provider = "codex-edge"\n')]);
    const answer = await send(step('codex-config'), options(fetchFn, {}));
    expect(answer.text).toContain('model_provider');
    expect(sent[0]?.headers['authorization']).toBeUndefined();
  });

  it('says that CODEX_EDGE_API_KEY is not set when a gateway wants a key for codex-config', async () => {
    const refused = json(401, {
      error: { message: 'codex-edge: this gateway ... serves team keys only', type: 'authentication_error', code: 'invalid_api_key', param: null },
    });
    expect(await failure(send(step('codex-config'), options(fakeFetch([refused]).fetch, {})))).toBe(
      'GET http://127.0.0.1:8787/v1/codex-config answered 401: codex-edge: this gateway ... serves team keys only. CODEX_EDGE_API_KEY is not ' +
        'set: export CODEX_EDGE_API_KEY=<your team key, cxe_...>',
    );
  });
});

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function adminCli(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return runCommand(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    timeoutMs: 30_000,
  });
}

describe('npm run admin: what a user sees on an error', () => {
  it('a usage error: the error and one line pointing at --help, not the whole usage', async () => {
    const run = await adminCli(['teams', 'remove', 'acme'], { ADMIN_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual(['error: unknown command "teams remove acme"', 'run with --help for usage']);
  });

  it('a gateway that is not running: one line naming the URL and `npm run dev`', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await adminCli(['teams', 'list'], { ADMIN_TOKEN: TOKEN, CODEX_EDGE_URL: url });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `error: cannot reach the gateway at ${url}/admin/teams (ECONNREFUSED): is it running? Start it locally with \`npm run dev\`, or set ` +
        `CODEX_EDGE_URL to where it runs (now ${url}).`,
    ]);
  }, 30_000);
});
