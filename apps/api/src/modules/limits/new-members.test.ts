/** The new-member limits (Discourse's trust level 0), trust earned or given by a moderator, and who is never limited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, createTestApp, createTestCase, signUp, signUpAs, testClock, type Member } from '../../testing.ts';

const clock = testClock();
let app: FastifyInstance;
let lifted: FastifyInstance;
beforeAll(async () => {
  const limits = {
    NEW_MEMBER_DAYS: '3',
    NEW_MEMBER_POSTS_PER_DAY: '2',
    NEW_MEMBER_LINKS_PER_POST: '1',
    NEW_MEMBER_MENTIONS_PER_POST: '1',
    TRUST_MIN_POSTS: '1',
  };
  app = await createTestApp(limits, { clock });
  lifted = await createTestApp({ ...limits, ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
  await lifted.close();
});

const post = (target: FastifyInstance, who: Member, slug: string, body: string) =>
  call(target, who, { method: 'POST', url: `/api/v1/cases/${slug}/posts`, payload: { body } });

describe('new-member limits', () => {
  it('refuse a new member’s post with too many links or mentions (422), and a post over the day’s allowance (429), which a post to a missing case does not spend', async () => {
    const [newbie, ana, ben] = [await signUp(app), await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    // A post to a case that does not exist spends none of the day's allowance.
    expect((await post(app, newbie, 'no-such-case', 'Zero')).statusCode).toBe(404);
    const links = await post(app, newbie, slug, 'See https://a.example and https://b.example');
    expect(links.statusCode).toBe(422);
    expect(links.json().error.details[0]).toMatchObject({
      field: 'body',
      code: 'limit_reached',
      limit: 'new_member_links_per_post',
      max: 1,
    });
    const mentions = await post(app, newbie, slug, `Hello @${ana.handle} and @${ben.handle}`);
    expect(mentions.statusCode).toBe(422);
    expect(mentions.json().error.details[0]).toMatchObject({ limit: 'new_member_mentions_per_post', max: 1 });

    expect((await post(app, newbie, slug, 'One https://a.example')).statusCode).toBe(201);
    expect((await post(app, newbie, slug, `Two @${ana.handle}`)).statusCode).toBe(201);
    const third = await post(app, newbie, slug, 'Three');
    expect(third.statusCode).toBe(429);
    expect(third.json().error.details[0]).toMatchObject({ limit: 'new_member_posts_per_day', max: 2 });
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(60 * 60);
  });

  it('never limit organisers, moderators and admins, nor anyone with ABUSE_LIMITS=off', async () => {
    const slug = await createTestCase(app);
    for (const role of ['organiser', 'moderator', 'admin'] as const) {
      const staff = await signUpAs(app, role);
      for (let i = 0; i < 3; i += 1) {
        expect((await post(app, staff, slug, `https://a.example https://b.example ${i}`)).statusCode).toBe(201);
      }
    }
    const free = await signUp(lifted);
    const other = await createTestCase(lifted);
    for (let i = 0; i < 3; i += 1) {
      expect((await post(lifted, free, other, `https://a.example https://b.example ${i}`)).statusCode).toBe(201);
    }
  });

  it('stop when a moderator trusts the member (logged), and apply again when the trust is taken back', async () => {
    const [newbie, moderator] = [await signUp(app), await signUpAs(app, 'moderator')];
    const slug = await createTestCase(app);
    const twoLinks = 'https://a.example https://b.example';
    expect((await post(app, newbie, slug, twoLinks)).statusCode).toBe(422);
    const url = `/api/v1/moderation/people/${newbie.handle}/trust`;
    const trusted = await call(app, moderator, { method: 'POST', url, payload: { reason: 'Known to the team' } });
    expect(trusted.statusCode).toBe(200);
    expect(trusted.json()).toMatchObject({ handle: newbie.handle, trusted: true });
    expect((await post(app, newbie, slug, twoLinks)).statusCode).toBe(201);

    const log = await call(app, moderator, { url: '/api/v1/moderation/log?targetType=person' });
    expect(log.json<{ items: { action: string; target: string; reason: string }[] }>().items).toContainEqual(
      expect.objectContaining({ action: 'trust', target: newbie.handle, reason: 'Known to the team' }),
    );

    const taken = await call(app, moderator, { method: 'DELETE', url, payload: { reason: 'Link spam' } });
    expect(taken.json()).toMatchObject({ trusted: false, trustedAt: null });
    expect((await post(app, newbie, slug, twoLinks)).statusCode).toBe(422);
  });

  it('end after NEW_MEMBER_DAYS; a member who posted and has no upheld report becomes trusted then', async () => {
    const [veteran, reported] = [await signUp(app), await signUp(app)];
    const slug = await createTestCase(app);
    expect((await post(app, veteran, slug, 'First post')).statusCode).toBe(201);
    const p = await post(app, reported, slug, 'Spam');
    expect(p.statusCode).toBe(201);
    await app.database.kysely
      .insertInto('reports')
      .values({
        reporter_id: veteran.user.id,
        target_type: 'post',
        target_id: p.json<{ id: string }>().id,
        reason: 'spam',
        status: 'resolved',
        resolution: 'hide',
      })
      .execute();
    clock.advance(4 * 24 * 60 * 60 * 1000);
    try {
      expect((await post(app, veteran, slug, 'https://a.example https://b.example')).statusCode).toBe(201);
      expect((await post(app, reported, slug, 'https://a.example https://b.example')).statusCode).toBe(201);
      const trusted = await app.database.kysely
        .selectFrom('users')
        .select(['handle', 'trusted_at'])
        .where('id', 'in', [veteran.user.id, reported.user.id])
        .execute();
      const at = new Map(trusted.map((u) => [u.handle, u.trusted_at]));
      expect(at.get(veteran.handle)).not.toBeNull();
      expect(at.get(reported.handle)).toBeNull();
    } finally {
      clock.advance(-(4 * 24 * 60 * 60 * 1000));
    }
  });
});

describe('authorization of the trust routes', () => {
  it('lets moderators and admins trust and distrust; members and organisers 403, anonymous 401', async () => {
    const target = await signUp(app);
    const url = `/api/v1/moderation/people/${target.handle}/trust`;
    const expected = { member: 403, organiser: 403, moderator: 200, admin: 200 } as const;
    for (const method of ['POST', 'DELETE'] as const) {
      expect((await call(app, null, { method, url, payload: { reason: 'x' } })).statusCode).toBe(401);
      for (const [role, status] of Object.entries(expected)) {
        const who = await signUpAs(app, role as keyof typeof expected);
        const res = await call(app, who, { method, url, payload: { reason: 'checking' } });
        expect(res.statusCode, `${method} as ${role}`).toBe(status);
      }
    }
    const own = await call(app, target, { method: 'POST', url, payload: { reason: 'me' } });
    expect(own.statusCode).toBe(403);
  });
});
