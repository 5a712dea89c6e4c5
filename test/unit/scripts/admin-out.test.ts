/**
 * `npm run -s admin -- codex-config --out FILE`: the block the gateway answers, byte for byte, in
 * a new file (nothing of npm's or the CLI's own output in it); an existing file is left alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type RunResult } from '../../../scripts/lib/run';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BLOCK = '# codex-edge at http://127.0.0.1/v1.\nmodel = "gpt-5"\nmodel_provider = "codex-edge"\n\n[model_providers.codex-edge]\nname = "codex-edge"\n';

let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/v1/codex-config' ? 200 : 404, { 'content-type': 'application/toml' });
    res.end(req.url === '/v1/codex-config' ? BLOCK : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'codex-edge-out-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** `npm run -s admin -- ...args`, the way the docs say to run it. */
function npmAdmin(args: readonly string[]): Promise<RunResult> {
  return runCommand('npm', ['run', '-s', 'admin', '--', ...args], { cwd: ROOT, env: { ...process.env, CODEX_EDGE_URL: url }, timeoutMs: 30_000 });
}

describe('codex-config --out', () => {
  it('writes exactly the block to a new file', async () => {
    const file = join(dir, 'codex-edge.toml');
    const run = await npmAdmin(['codex-config', '--out', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(BLOCK);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`wrote ${file}`);
  }, 30_000);

  it('refuses to overwrite a file (such as a config.toml)', async () => {
    const file = join(dir, 'config.toml');
    writeFileSync(file, 'model = "mine"\n');
    const run = await npmAdmin(['codex-config', '--out', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: ${file} exists; --out writes a new file only`);
    expect(readFileSync(file, 'utf8')).toBe('model = "mine"\n');
  }, 30_000);

  it('to stdout with npm run -s: the block and nothing else', async () => {
    const run = await npmAdmin(['codex-config']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(BLOCK);
  }, 30_000);
});
