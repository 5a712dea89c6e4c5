/**
 * The launcher (scripts/lib/gateway.ts, behind the demo, the bench and these tests) serves what
 * the repository says, never a developer's local files: with a `.dev.vars` holding hosted-mode
 * secrets in the repository root (what docs/teams.md once told users to create), a
 * single-upstream gateway still relays. The file is removed afterwards; a developer's own
 * `.dev.vars` is moved aside for the test and put back.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';
import { startSimulator, type Simulator } from '../../simulator/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEV_VARS = join(ROOT, '.dev.vars');
const ASIDE = join(ROOT, `.dev.vars.aside-${process.pid}`);

let sim: Simulator;
let gateway: Gateway;

beforeAll(async () => {
  if (existsSync(DEV_VARS)) renameSync(DEV_VARS, ASIDE);
  writeFileSync(DEV_VARS, 'ADMIN_TOKEN=local-admin-token-0123456789abcdef\nUPSTREAM_BASE_URL=http://127.0.0.1:9/v1\n');
  sim = await startSimulator();
  gateway = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl });
});

afterAll(async () => {
  // Unset when beforeAll failed half-way.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await gateway?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await sim?.close();
  rmSync(DEV_VARS, { force: true });
  if (existsSync(ASIDE)) renameSync(ASIDE, DEV_VARS);
});

describe('a .dev.vars in the repository root', () => {
  it('does not reach the launched gateway: it relays to the upstream it was given', async () => {
    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    const response = await fetch(`${gateway.baseUrl}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-client' },
      body: JSON.stringify({ model: 'gpt-test', input: 'say hi' }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('completed');
    expect(sim.requests).toHaveLength(1);
  });
});
