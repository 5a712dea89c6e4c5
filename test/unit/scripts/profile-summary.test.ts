/** scripts/bench/profile-summary.ts: a V8 CPU profile summed per function and per module of the bundle. */
import { describe, expect, it } from 'vitest';
import { moduleLocator, summarizeProfile, type CpuProfile } from '../../../scripts/bench/profile-summary';

const BUNDLE = [
  'var __name = 1;',
  '',
  '// node_modules/hono/dist/hono-base.js',
  'dispatch',
  '// src/stream/sse.ts',
  'push',
  'parseEvent',
  '// src/http/log.ts',
  'finish',
].join('\n');

describe('moduleLocator', () => {
  it("names the module a bundle line belongs to from esbuild's markers, a package by its name", () => {
    const moduleOf = moduleLocator(BUNDLE);
    expect([0, 3, 5, 6, 8].map(moduleOf)).toEqual(['(bundle)', 'hono', 'src/stream/sse.ts', 'src/stream/sse.ts', 'src/http/log.ts']);
  });
});

describe('summarizeProfile', () => {
  const frame = (functionName: string, lineNumber = 0, url = 'index.js') => ({ functionName, url, lineNumber });
  // root → dispatch (hono) → push (sse) → read (built-in); root → finish (log); root → (idle)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', 0, ''), children: [2, 5, 6] },
      { id: 2, callFrame: frame('dispatch', 3), children: [3] },
      { id: 3, callFrame: frame('push', 5), children: [4] },
      { id: 4, callFrame: frame('read', 0, '') },
      { id: 5, callFrame: frame('finish', 8) },
      { id: 6, callFrame: frame('(idle)', 0, '') },
    ],
    samples: [3, 4, 4, 5, 6, 2],
    timeDeltas: [100, 200, 200, 50, 1000, 10],
  };

  it('sums own time per function, and time with callees', () => {
    const summary = summarizeProfile(profile, moduleLocator(BUNDLE));
    expect(summary.totalUs).toBe(1560);
    expect(summary.idleUs).toBe(1000);
    expect(summary.self).toEqual([
      { name: '(idle)', us: 1000 },
      { name: 'read (built-in)', us: 400 },
      { name: 'push src/stream/sse.ts', us: 100 },
      { name: 'finish src/http/log.ts', us: 50 },
      { name: 'dispatch hono', us: 10 },
    ]);
    expect(summary.inclusive.slice(0, 3)).toEqual([
      { name: '(root)', us: 1560 },
      { name: '(idle)', us: 1000 },
      { name: 'dispatch hono', us: 510 },
    ]);
  });

  it("counts a built-in's time for the module that called it", () => {
    expect(summarizeProfile(profile, moduleLocator(BUNDLE)).modules).toEqual([
      { name: '(idle)', us: 1000 },
      { name: 'src/stream/sse.ts', us: 500 },
      { name: 'src/http/log.ts', us: 50 },
      { name: 'hono', us: 10 },
    ]);
  });
});
