import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { PostList } from '@opsi/contracts/discussions';
import { discussions } from '../../../../../db/seed/discussions.ts';
import { createTestApp } from '../../testing.ts';
import { seedDemoMembers } from '../profiles/service.ts';
import { seedDemoDiscussions } from './seed.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('demo discussions', () => {
  it('are written once, as threads with replies, mentions and reactions by the demo members', async () => {
    await seedDemoMembers(app.database);
    await seedDemoDiscussions(app.database);
    expect(await seedDemoDiscussions(app.database)).toBe(0);
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/cases/polis-open-policy-making-canada/posts?limit=100',
    });
    const demo = res.json<PostList>().items;
    const expected = discussions['polis-open-policy-making-canada']!;
    const first = demo.find((p) => p.body === expected[0]!.body);
    expect(first).toMatchObject({ author: { handle: 'marie-claude-tremblay' }, replyCount: 2 });
    expect(first?.reactions).toEqual({ like: 1, insightful: 3, support: 0 });
    const mention = demo.find((p) => p.body === expected[2]!.body);
    expect(mention).toMatchObject({ parentId: first?.id, mentions: ['marie-claude-tremblay'] });
    expect(mention?.bodyHtml).toContain('href="/people/marie-claude-tremblay"');
    // Spread over the past days, oldest first.
    const times = demo.map((p) => Date.parse(p.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Date.now() - times[0]!).toBeGreaterThan(24 * 60 * 60 * 1000);
  });
});
