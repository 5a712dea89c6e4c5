/**
 * `GET /v1/codex-config` on a single-upstream deployment: the gateway's own answer (never relayed
 * to the provider), the Codex config.toml block for this deployment, so that a one-team
 * deployment onboards in one copy too. (A team's block: teams/routing.test.ts.)
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { GATEWAY, bodyText, callGateway, sim } from './support';

beforeEach(() => sim.reset());

const get = (path: string, headers: Record<string, string> = {}): Request => new Request(`${GATEWAY}${path}`, { headers });

describe('GET /v1/codex-config without a team', () => {
  it('answers the block itself, with the client bringing its own provider key', async () => {
    const response = await callGateway(get('/v1/codex-config', { authorization: 'Bearer sk-client-key' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/toml');
    const toml = await bodyText(response);
    expect(toml).toContain(
      'model_provider = "codex-edge"\n\n[model_providers.codex-edge]\nname = "codex-edge"\nbase_url = "http://gateway.test/v1"\nenv_key = ' +
        '"OPENAI_API_KEY"\nwire_api = "responses"\n',
    );
    expect(toml).toContain('stream_idle_timeout_ms = 60600\n'); // the test deployment's 600 ms idle timeout + 60 s
    expect(toml).not.toContain('sk-client-key');
    expect(await sim.requests()).toEqual([]);
  });

  it('sets the model line from ?model=, and works without any key in bring-your-own-key mode', async () => {
    const toml = await bodyText(await callGateway(get('/v1/codex-config?model=gpt-5')));
    expect(toml).toContain('model = "gpt-5"\nmodel_provider = "codex-edge"\n');
  });

  it('names the gateway key variable when clients present gateway keys, and needs one', async () => {
    const keys = { UPSTREAM_API_KEY: 'sk-upstream-secret', GATEWAY_API_KEYS: 'gw-key-1-0123456789abcdef' };
    expect((await callGateway(get('/v1/codex-config'), keys)).status).toBe(401);
    const toml = await bodyText(await callGateway(get('/v1/codex-config', { authorization: 'Bearer gw-key-1-0123456789abcdef' }), keys));
    expect(toml).toContain('env_key = "CODEX_EDGE_API_KEY"');
    expect(toml).not.toContain('sk-upstream-secret');
    expect(toml).not.toContain('gw-key-1');
    expect(await sim.requests()).toEqual([]);
  });
});
