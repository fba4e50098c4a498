/** No N+1: reading a thread costs the same number of SQL queries for 5 posts as for 50. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { createTestApp, createTestCase, signUp } from '../../testing.ts';
import { createCasesService } from '../cases/service.ts';
import { createDiscussionsService } from './service.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

function countingService() {
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery(args) {
      queries += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const database = { ...app.database, kysely: app.database.kysely.withPlugin(counter) };
  const service = createDiscussionsService(database, { cases: createCasesService(database) });
  return {
    service,
    async count(run: () => Promise<unknown>): Promise<number> {
      queries = 0;
      await run();
      return queries;
    },
  };
}

async function seedThread(posts: number): Promise<{ slug: string; viewer: string; reactor: string }> {
  const slug = await createTestCase(app);
  const members = await Promise.all([signUp(app), signUp(app), signUp(app)]);
  const { service } = countingService();
  let root = '';
  for (let i = 0; i < posts; i += 1) {
    const author = members[(i % 2) + 1]!.user;
    const actor = { id: author.id, role: 'member' as const };
    const parentId = i % 5 === 4 ? root : undefined;
    const { post } = await service.create(actor, slug, {
      body: `Post ${i} mentioning @${members[0]!.handle}`,
      ...(parentId ? { parentId } : {}),
    });
    if (!parentId) root = post.id;
    if (i % 3 === 0) await service.react({ id: members[0]!.user.id, role: 'member' }, post.id, 'like', true);
  }
  return { slug, viewer: members[2]!.user.id, reactor: members[0]!.user.id };
}

describe('queries per thread read', () => {
  it('is fixed: the same count for 5 and 50 posts, anonymous and signed in', async () => {
    const small = await seedThread(5);
    const large = await seedThread(50);
    const { service, count } = countingService();
    const anonymousSmall = await count(() => service.list(small.slug, { limit: 50 }, null));
    const anonymousLarge = await count(() => service.list(large.slug, { limit: 50 }, null));
    const signedSmall = await count(() => service.list(small.slug, { limit: 50 }, small.viewer));
    const signedLarge = await count(() => service.list(large.slug, { limit: 50 }, large.viewer));
    expect(anonymousLarge).toBe(anonymousSmall);
    expect(signedLarge).toBe(signedSmall);
    // One query for posts with authors, reactions, mentions and, signed in, the reader's own
    // reactions and read marker (the session lookup happens before, in the request hook).
    expect(anonymousLarge).toBe(1);
    expect(signedLarge).toBe(1);
    // The route's signed-in read: the public page (cached) made the reader's own in one statement,
    // with the same result as reading it for them directly.
    const publicLarge = await service.list(large.slug, { limit: 50 }, null);
    const publicSmall = await service.list(small.slug, { limit: 50 }, null);
    expect(await count(() => service.forReader(publicSmall, small.slug, { id: small.viewer, role: 'member' }))).toBe(1);
    expect(await count(() => service.forReader(publicLarge, large.slug, { id: large.viewer, role: 'member' }))).toBe(1);
    await service.markRead({ id: large.reactor, role: 'member' }, large.slug, publicLarge.items[20]!.id);
    for (const reader of [large.viewer, large.reactor]) {
      expect(await service.forReader(publicLarge, large.slug, { id: reader, role: 'member' })).toEqual(
        await service.list(large.slug, { limit: 50 }, reader),
      );
    }
    const reactorView = await service.forReader(publicLarge, large.slug, { id: large.reactor, role: 'member' });
    expect(reactorView.lastReadPostId).toBe(publicLarge.items[20]!.id);
    expect(reactorView.items.filter((p) => p.myReactions?.includes('like')).length).toBeGreaterThan(10);
    const page = await service.list(large.slug, { limit: 50 }, large.viewer);
    expect(page.items).toHaveLength(50);
    expect(page.items.some((p) => p.reactions.like > 0 && p.mentions.length === 1)).toBe(true);
  });
});
