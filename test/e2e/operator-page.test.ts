/**
 * The operator page in a real browser (Debian's headless Chromium, driven by playwright-core)
 * against the built Worker, the simulator and the Codex CLI: sign in, read the overview after a
 * demo-like workload (the absorbed failures on the page are the simulator's fault counts), create
 * a key on the page and complete a Codex turn with it and the config block shown beside it,
 * revoke it and see the next request refused; and on a single-upstream gateway (no team registry),
 * sign in and read the overview, the teams view saying it is the hosted mode's. Screenshots go to test-results/operator/ (and, with
 * SAVE_DOCS_SCREENSHOT=1, the overview to docs/operator-overview.png for the README).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type HeadlessBrowser } from '../../scripts/lib/chromium';
import { quietCodexConfig, runCodex } from '../../scripts/lib/codex';
import { startGateway, type Gateway } from '../../scripts/lib/gateway';
import { runWorkload } from '../../scripts/lib/workload';
import { startSimulator, type Fault, type Simulator } from '../../simulator/server';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'test-results', 'operator');
const ADMIN_TOKEN = 'e2e-operator-token-0123456789abcdef';
const UPSTREAM_KEY = 'sk-e2e-operator-upstream-secret';

/** The demo's trouble (scripts/demo.ts): request index → faults queued before it. */
const TROUBLE: ReadonlyMap<number, readonly Fault[]> = new Map([
  [
    3,
    [
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    ],
  ],
  [6, [{ kind: 'status', status: 429, headers: { 'retry-after-ms': '100' } }]],
  [9, [{ kind: 'reset' }]],
]);
const REQUESTS = 12;

let sim: Simulator;
let gateway: Gateway;
let chromium: HeadlessBrowser;
let page: Page;

async function adminApi(method: string, path: string, body?: unknown, at: Gateway = gateway): Promise<Record<string, unknown>> {
  const response = await fetch(`${at.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** The store is written in the background after each response: wait until it holds `count` requests. */
async function storedRequests(count: number, at: Gateway = gateway): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if ((await adminApi('GET', '/requests?limit=500', undefined, at))['data'] instanceof Array) {
      const data = (await adminApi('GET', '/requests?limit=500', undefined, at))['data'] as unknown[];
      if (data.length >= count) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the request store did not reach ${count} requests`);
}

/** Signs in on the page of the gateway at `url` and waits for the overview. */
async function signIn(url: string): Promise<void> {
  await page.goto(`${url}/admin`);
  expect(page.url()).toBe(`${url}/admin/ui/login`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${url}/admin/ui`);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}

async function shot(name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The number on a card of the overview, as shown (grouped digits). */
async function card(label: string): Promise<number> {
  const text = await page
    .locator('.card', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
    .locator('dd')
    .innerText();
  return Number(text.replaceAll(',', ''));
}

async function absorbedKind(kind: string): Promise<number> {
  return Number((await page.locator(`tr[data-kind="${kind}"] td`).innerText()).replaceAll(',', ''));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  sim = await startSimulator();
  gateway = await startGateway(
    { UPSTREAM_BASE_URL: sim.baseUrl, ADMIN_TOKEN, ENCRYPTION_KEY: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', RETRY_BACKOFF_BASE_MS: '20' },
    { registry: true },
  );
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  // Unset when beforeAll failed half-way.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await chromium?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await gateway?.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  await sim?.close();
});

describe('the operator page in a browser', () => {
  it('signs in with the admin token and shows the workload: absorbed failures = the simulator’s faults', async () => {
    const result = await runWorkload({
      baseUrl: gateway.baseUrl,
      requests: REQUESTS,
      pauseMs: 20,
      beforeRequest: (index) => sim.enqueue(...(TROUBLE.get(index) ?? [])),
    });
    expect(result.failures).toEqual([]);
    await storedRequests(REQUESTS);
    const faults = sim.stats().faultsApplied;

    await signIn(gateway.url);

    expect(await card('Requests')).toBe(REQUESTS);
    expect(await card('Client-visible failures')).toBe(0);
    expect(await card('Failures absorbed')).toBe(3);
    expect((await absorbedKind('5xx')) + (await absorbedKind('429'))).toBe(faults.status);
    expect(await absorbedKind('429')).toBe(1);
    expect(await absorbedKind('transport')).toBe(faults.reset);
    // A reset before any response is taken for our own stale connection: reconnected at once, not a retry.
    expect(await card('Retries')).toBe(faults.status);
    // No cookie a script can read: the session is HttpOnly.
    expect(await page.evaluate('document.cookie')).toBe('');
    const overview = await shot('overview');
    if (process.env['SAVE_DOCS_SCREENSHOT'] === '1') copyFileSync(overview, join(ROOT, 'docs', 'operator-overview.png'));

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await shot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(`${gateway.url}/admin/ui/providers`);
    await page.getByRole('heading', { name: /Single upstream/ }).waitFor();
    await shot('providers');
    await page.goto(`${gateway.url}/admin/ui/requests?outcome=absorbed`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    await shot('requests');
  });

  it('creates a key on the page that the Codex CLI uses with the block shown; revoking it refuses the next request', async () => {
    await adminApi('POST', '/teams', { id: 'acme', name: 'Acme Inc' });
    await adminApi('POST', '/teams/acme/providers', { name: 'sim', base_url: sim.baseUrl, wire_api: 'responses', auth: 'key', api_key: UPSTREAM_KEY });
    await adminApi('PUT', '/teams/acme/routes', { routes: [{ model: 'gpt-edge', aliases: ['edge'], targets: [{ provider: 'sim', model: 'gpt-test' }] }] });

    await page.goto(`${gateway.url}/admin/ui/teams`);
    await page.getByRole('link', { name: 'acme' }).click();
    await page.getByRole('heading', { name: 'Team acme' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('new key', { exact: true }).innerText();
    const block = await page.getByLabel('codex config', { exact: true }).innerText();
    expect(key).toMatch(/^cxe_/);
    expect(block).toContain(`base_url = "${gateway.baseUrl}"`);
    expect(block).not.toContain(key);

    const codex = await runCodex({ baseUrl: gateway.baseUrl, apiKey: 'unused', configToml: quietCodexConfig(block), env: { CODEX_EDGE_API_KEY: key } });
    expect(codex.code, codex.stderr).toBe(0);

    await page.reload();
    const row = page.locator(`tr[data-key="${key.slice(0, 12)}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    const content = await page.content();
    for (const secret of [key, ADMIN_TOKEN, UPSTREAM_KEY]) expect(content).not.toContain(secret);
    await shot('team');

    const refused = await fetch(`${gateway.baseUrl}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-edge', input: 'hi' }),
    });
    expect(refused.status).toBe(401);
    const audit = (await adminApi('GET', '/audit?team=acme'))['data'] as { action: string; actor: string }[];
    expect(audit.filter((entry) => entry.actor === 'operator-page').map((entry) => entry.action)).toEqual(['key.revoke', 'key.create']);
  });
});

describe('the operator page of a single-upstream gateway', () => {
  it('signs in and shows the overview of requests through a faulty simulator; teams are the hosted mode’s', async () => {
    const single = await startGateway({ UPSTREAM_BASE_URL: sim.baseUrl, ADMIN_TOKEN, RETRY_BACKOFF_BASE_MS: '20' });
    try {
      const before = sim.stats().faultsApplied.status;
      const result = await runWorkload({
        baseUrl: single.baseUrl,
        requests: 4,
        pauseMs: 20,
        beforeRequest: (index) => sim.enqueue(...(index === 1 ? [{ kind: 'status', status: 503 } as const] : [])),
      });
      expect(result.failures).toEqual([]);
      expect(sim.stats().faultsApplied.status).toBe(before + 1);
      await storedRequests(4, single);

      // The hosted gateway's session (same host, another port) is not this one's.
      await chromium.context.clearCookies();
      await signIn(single.url);
      expect(await card('Requests')).toBe(4);
      expect(await card('Failures absorbed')).toBe(1);
      expect(await absorbedKind('5xx')).toBe(1);
      await shot('single-overview');
      await page.getByRole('link', { name: 'Teams' }).click();
      await page.getByText("Teams are the hosted mode's").waitFor();
      expect(await page.content()).not.toContain(ADMIN_TOKEN);
    } finally {
      await single.close();
    }
  });
});
