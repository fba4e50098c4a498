import { describe, expect, it } from 'vitest';
import { createPublicCache } from './cache.ts';

describe('public cache', () => {
  it('serves a hit until it expires, then loads again', async () => {
    let clock = 0;
    let loads = 0;
    const cache = createPublicCache(() => clock);
    const load = async () => ++loads;
    expect(await cache.get('k', load)).toBe(1);
    clock = 4999;
    expect(await cache.get('k', load)).toBe(1);
    clock = 5001;
    expect(await cache.get('k', load)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    let loads = 0;
    const cache = createPublicCache();
    // The load finishes only when the test says so: all three misses come while it is running.
    let finish!: () => void;
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const load = async () => {
      loads += 1;
      await running;
      return 'value';
    };
    const gets = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    finish();
    expect(await gets).toEqual(['value', 'value', 'value']);
    expect(loads).toBe(1);
  });

  it('forgets everything on clear, and never keeps a load that raced a clear', async () => {
    let loads = 0;
    const cache = createPublicCache();
    let release!: () => void;
    const slow = () =>
      new Promise<number>((resolve) => {
        loads += 1;
        release = () => resolve(loads);
      });
    const first = cache.get('k', slow);
    cache.clear();
    release();
    expect(await first).toBe(1);
    // The value loaded before the clear was not kept: the next read loads again.
    const second = cache.get('k', slow);
    release();
    expect(await second).toBe(2);
  });

  it('does not cache failures', async () => {
    const cache = createPublicCache();
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'ok')).toBe('ok');
  });
});
