import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../src/teams/cache';

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
});
