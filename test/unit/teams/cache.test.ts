import { describe, expect, it } from 'vitest';
import { KeyLookups, TtlCache, UNKNOWN_KEY_WINDOW_MS } from '../../../src/teams/cache';

describe('TtlCache', () => {
  it('serves a value until its time is up, then loads again', async () => {
    const cache = new TtlCache<number>(10);
    let loads = 0;
    const load = (): Promise<number> => Promise.resolve(++loads);
    expect(await cache.get('k', 1000, 0, load)).toBe(1);
    expect(await cache.get('k', 1000, 999, load)).toBe(1);
    expect(await cache.get('k', 1000, 1000, load)).toBe(2);
  });

  it('shares one load between concurrent lookups', async () => {
    const cache = new TtlCache<string>(10);
    let loads = 0;
    const load = (): Promise<string> => new Promise((resolve) => setTimeout(() => resolve(`v${++loads}`), 5));
    expect(await Promise.all([cache.get('k', 1000, 0, load), cache.get('k', 1000, 1, load)])).toEqual(['v1', 'v1']);
    expect(loads).toBe(1);
  });

  it('does not remember failures', async () => {
    const cache = new TtlCache<string>(10);
    await expect(cache.get('k', 1000, 0, () => Promise.reject(new Error('D1 down')))).rejects.toThrow('D1 down');
    expect(await cache.get('k', 1000, 1, () => Promise.resolve('ok'))).toBe('ok');
  });

  it('remembers nothing with a TTL of 0', async () => {
    const cache = new TtlCache<number>(10);
    let loads = 0;
    await cache.get('k', 0, 0, () => Promise.resolve(++loads));
    await cache.get('k', 0, 0, () => Promise.resolve(++loads));
    expect(loads).toBe(2);
    expect(cache.size).toBe(0);
    await cache.get('k', 1000, 0, () => Promise.resolve(++loads));
    expect(await cache.get('k', 0, 1, () => Promise.resolve(++loads))).toBe(4); // a remembered entry is not served either
  });

  it('drops the oldest entries beyond its size, and clears', async () => {
    const cache = new TtlCache<string>(2);
    for (const key of ['a', 'b', 'c']) await cache.get(key, 1000, 0, () => Promise.resolve(key));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 1000, 0, () => Promise.resolve('reloaded'))).toBe('reloaded');
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('forgets a loaded value that keep() refuses, once it settles; peek serves only fresh entries', async () => {
    const cache = new TtlCache<string | null>(10);
    const keepFound = (value: string | null): boolean => value !== null;
    expect(await cache.get('k', 1000, 0, () => Promise.resolve(null), keepFound)).toBeNull();
    expect(cache.peek('k', 1)).toBeUndefined();
    await cache.get('k', 1000, 0, () => Promise.resolve('v'), keepFound);
    expect(await cache.peek('k', 999)).toBe('v');
    expect(cache.peek('k', 1000)).toBeUndefined();
  });
});

describe('KeyLookups', () => {
  const KEY_CACHE_MS = 30_000;

  /** A registry that knows `known` and counts what it is asked. */
  function registry(known: ReadonlySet<string>) {
    const asked: string[] = [];
    return {
      asked,
      load: (hash: string) => (): Promise<string | null> => {
        asked.push(hash);
        return Promise.resolve(known.has(hash) ? `grant:${hash}` : null);
      },
    };
  }

  it(`remembers an unknown key for min(${UNKNOWN_KEY_WINDOW_MS} ms, KEY_CACHE_TTL_MS), a known one for KEY_CACHE_TTL_MS`, async () => {
    const lookups = new KeyLookups<string>(10, 10);
    const { asked, load } = registry(new Set(['good']));
    for (const now of [0, 1, UNKNOWN_KEY_WINDOW_MS - 1]) expect(await lookups.find('bad', KEY_CACHE_MS, now, load('bad'))).toBeNull();
    for (const now of [0, KEY_CACHE_MS - 1]) expect(await lookups.find('good', KEY_CACHE_MS, now, load('good'))).toBe('grant:good');
    expect(asked).toEqual(['bad', 'good']);
    await lookups.find('bad', KEY_CACHE_MS, UNKNOWN_KEY_WINDOW_MS, load('bad'));
    await lookups.find('good', KEY_CACHE_MS, KEY_CACHE_MS, load('good'));
    expect(asked).toEqual(['bad', 'good', 'bad', 'good']);
  });

  it('never remembers "unknown" longer than KEY_CACHE_TTL_MS, and nothing with 0', async () => {
    const lookups = new KeyLookups<string>(10, 10);
    const { asked, load } = registry(new Set());
    await lookups.find('bad', 2_000, 0, load('bad'));
    await lookups.find('bad', 2_000, 1_999, load('bad'));
    await lookups.find('bad', 2_000, 2_000, load('bad'));
    expect(asked).toHaveLength(2);
    await lookups.find('bad', 0, 2_001, load('bad'));
    await lookups.find('bad', 0, 2_001, load('bad'));
    expect(asked).toHaveLength(4);
    const found = registry(new Set(['good']));
    await lookups.find('good', KEY_CACHE_MS, 0, found.load('good'));
    await lookups.find('good', 0, 1, found.load('good')); // what an earlier request left is not served either
    expect(found.asked).toHaveLength(2);
  });

  it('a key created while it is remembered as unknown is refused until the window ends', async () => {
    const lookups = new KeyLookups<string>(10, 10);
    const known = new Set<string>();
    const { load } = registry(known);
    expect(await lookups.find('k', KEY_CACHE_MS, 0, load('k'))).toBeNull();
    known.add('k');
    expect(await lookups.find('k', KEY_CACHE_MS, UNKNOWN_KEY_WINDOW_MS - 1, load('k'))).toBeNull();
    expect(await lookups.find('k', KEY_CACHE_MS, UNKNOWN_KEY_WINDOW_MS, load('k'))).toBe('grant:k');
  });

  it('concurrent lookups of one key share one load', async () => {
    const lookups = new KeyLookups<string>(10, 10);
    const { asked, load } = registry(new Set(['good']));
    await Promise.all([
      ...Array.from({ length: 5 }, () => lookups.find('bad', KEY_CACHE_MS, 0, load('bad'))),
      ...Array.from({ length: 5 }, () => lookups.find('good', KEY_CACHE_MS, 0, load('good'))),
    ]);
    expect(asked).toEqual(['bad', 'good']);
  });

  it('a flood of unknown keys beyond its bound does not push a known key out', async () => {
    const lookups = new KeyLookups<string>(2, 3);
    const { asked, load } = registry(new Set(['good']));
    await lookups.find('good', KEY_CACHE_MS, 0, load('good'));
    for (let i = 0; i < 100; i += 1) await lookups.find(`bad-${i}`, KEY_CACHE_MS, 1, load(`bad-${i}`));
    expect(lookups.sizes).toEqual({ known: 1, unknown: 3 });
    expect(await lookups.find('good', KEY_CACHE_MS, 2, load('good'))).toBe('grant:good');
    expect(asked.filter((hash) => hash === 'good')).toHaveLength(1);
  });

  it('does not remember a failed lookup, nor one that was in flight when it was cleared', async () => {
    const lookups = new KeyLookups<string>(10, 10);
    await expect(lookups.find('k', KEY_CACHE_MS, 0, () => Promise.reject(new Error('D1 down')))).rejects.toThrow('D1 down');
    let release = (): void => undefined;
    const slow = lookups.find('k', KEY_CACHE_MS, 0, () => new Promise<string>((resolve) => (release = () => resolve('before the change'))));
    lookups.clear();
    release();
    expect(await slow).toBe('before the change');
    expect(await lookups.find('k', KEY_CACHE_MS, 1, () => Promise.resolve('after the change'))).toBe('after the change');
  });
});
