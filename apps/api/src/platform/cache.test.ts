import { describe, expect, it } from 'vitest';
import type { FastifyReply } from 'fastify';
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

describe('public cache tags', () => {
  it('drops only the entries carrying a touched tag (and untagged ones), and counts hits and misses', async () => {
    const cache = createPublicCache();
    const load = async () => 'v';
    await cache.get('thread-x', load, ['thread:x']);
    await cache.get('thread-y', load, ['thread:y']);
    await cache.get('list-fr', load, ['cases', 'cases:country:FR']);
    await cache.get('untagged', load);
    await cache.get('thread-x', load, ['thread:x']);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 4 });
    cache.invalidate(['thread:x', 'cases:country:DE']);
    expect(['thread-x', 'thread-y', 'list-fr', 'untagged'].map((k) => cache.cached(k))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    cache.invalidate(['cases']);
    expect(cache.cached('list-fr')).toBe(false);
    expect(cache.cached('thread-y')).toBe(true);
  });

  it('never keeps a load that raced an invalidation of one of its tags, and keeps one that raced others', async () => {
    const cache = createPublicCache();
    let release!: (value: string) => void;
    const slow = () => new Promise<string>((resolve) => (release = resolve));
    const raced = cache.get('a', slow, ['thread:a']);
    cache.invalidate(['thread:a']);
    release('old');
    expect(await raced).toBe('old');
    expect(cache.cached('a')).toBe(false);
    const other = cache.get('b', slow, ['thread:b']);
    cache.invalidate(['thread:a']);
    release('kept');
    await other;
    expect(cache.cached('b')).toBe(true);
  });
});

describe('answers kept with an entry (for the front)', () => {
  /** A reply as `send` uses one: its serializer and the headers it sets are all the cache touches. */
  const fakeReply = () => {
    const reply = {
      serialize: (value: unknown) => JSON.stringify(value),
      type: () => reply,
      send: (body: Buffer) => body,
    };
    return reply as unknown as FastifyReply;
  };
  const head = () => ({ head: ['content-type', 'application/json'], route: '/r' });
  const anonymous = (key: string) => ({ key, member: false });

  it('lives exactly as long as its entry: a tag, the expiry, a clear', async () => {
    let clock = 0;
    const cache = createPublicCache(() => clock);
    const keep = async (key: string, tags: string[]) => {
      const reply = fakeReply();
      const body = (await cache.send(reply, key, async () => ({ key }), tags)) as unknown as Buffer;
      expect(cache.keepAnswer(reply, body, anonymous(`/${key}`), head)).toBe(true);
      return body;
    };
    const body = await keep('a', ['thread:a']);
    await keep('b', ['thread:b']);
    expect(cache.answer('/a')?.body).toBe(body);
    cache.invalidate(['thread:a']);
    expect(cache.answer('/a')).toBeUndefined();
    expect(cache.answer('/b')).toBeDefined();
    clock = 5001;
    expect(cache.answer('/b')).toBeUndefined();
    await keep('c', ['thread:c']);
    cache.clear();
    expect(cache.answer('/c')).toBeUndefined();
  });

  it('keeps only the bytes of the entry still kept, and members only made answers', async () => {
    const cache = createPublicCache();
    const reply = fakeReply();
    const body = (await cache.send(reply, 'k', async () => ({ v: 1 }), ['t'])) as unknown as Buffer;
    // Other bytes than the entry's (e.g. compressed on the way out): not kept.
    expect(cache.keepAnswer(reply, Buffer.from(body), anonymous('/k'), head)).toBe(false);
    // An entry's bytes are never kept as a member's answer.
    expect(cache.keepAnswer(reply, body, { key: '/k\nmember', member: true }, head)).toBe(false);
    // A reply that sent nothing from the cache.
    expect(cache.keepAnswer(fakeReply(), body, anonymous('/k'), head)).toBe(false);

    const page = await cache.get('page', async () => ({ posts: 1 }), ['t']);
    const made = fakeReply();
    cache.madeFrom(made, 'page', page, (viewer) => [Buffer.from(viewer.id)]);
    expect(cache.keepAnswer(made, Buffer.from('x'), anonymous('/p'), head)).toBe(false);
    expect(cache.keepAnswer(made, Buffer.from('x'), { key: '/p\nmember', member: true }, head)).toBe(true);
    expect(cache.answer('/p\nmember')?.compose?.({ id: '7', role: 'member' })?.[0]?.toString()).toBe('7');
    // A load after an invalidation is a new entry: the answer made from the old one is gone.
    cache.invalidate(['t']);
    await cache.get('page', async () => ({ posts: 2 }), ['t']);
    expect(cache.answer('/p\nmember')).toBeUndefined();
  });
});
