/**
 * The feed query (a UNION of index scans, feed/repository.ts) returns what the query it replaced
 * returned (an OR across six conditions over all activities, kept here as the reference), page by
 * page, for members following every kind of thing, with blocks, hidden and deleted posts, private
 * activities, their own posts, cancelled events and an import's hub activities.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import {
  appForFile,
  call,
  createTestCase,
  hidePost,
  signUp,
  signUpAs,
  uniqueSlug,
  writePost,
  type Member,
} from '../../../testing.ts';
import type { StoredActivity } from '../../../platform/outbox/catalogue.ts';
import { toStoredActivity } from '../../../platform/outbox/repository.ts';
import { insertActivity } from '../../../platform/outbox/repository.ts';
import { FEED_VERBS, feed } from './repository.ts';

const app = await appForFile({ ABUSE_LIMITS: 'off' });
const db = app.database.kysely;

/** The feed query before issue 15, verbatim: the reference the new one must match. */
async function referenceFeed(
  db: Executor,
  userId: string,
  page: { beforeId?: string; limit: number },
): Promise<StoredActivity[]> {
  const { rows } = await sql<Parameters<typeof toStoredActivity>[0]>`
    with f as (select target_type, target_key from follows where user_id = ${userId}),
    wanted as (
      select
        coalesce(array_agg(target_key) filter (where target_type = 'country'), '{}') as countries,
        coalesce(array_agg(target_key) filter (where target_type = 'theme'), '{}') as themes,
        coalesce(array_agg(target_key) filter (where target_type = 'case'), '{}') as cases,
        coalesce(array_agg(target_key) filter (where target_type = 'event'), '{}') as events,
        coalesce((select array_agg(u.id) from users u join f p on p.target_type = 'person' and u.handle = p.target_key), '{}') as people
      from f
    )
    select a.id, a.verb, a.object_type, a.object_id, a.actor_id, a.countries, a.themes, a.public, a.payload,
      a.created_at
    from activities a, wanted w
    where a.public
      and a.verb = any(${sql.val(FEED_VERBS)}::text[])
      and a.actor_id is distinct from ${userId}
      and not exists (select 1 from blocks b where b.blocker_id = ${userId} and b.blocked_id = a.actor_id)
      ${page.beforeId ? sql`and a.id < ${page.beforeId}` : sql``}
      and (
        a.countries && w.countries
        or a.themes && w.themes
        or (a.payload ? 'caseSlug' and (a.payload->>'caseSlug') = any(w.cases))
        or (a.object_type = 'case' and a.object_id = any(w.cases))
        or (a.object_type = 'event' and a.object_id = any(w.events))
        or a.actor_id = any(w.people)
      )
    order by a.id desc
    limit ${page.limit}
  `.execute(db);
  return rows.map(toStoredActivity);
}

/** Every page of both queries, `limit` at a time, following each one's own cursor (the last id). */
async function pages(
  query: typeof feed,
  userId: string,
  limit: number,
): Promise<{ pages: StoredActivity[][]; all: string[] }> {
  const found: StoredActivity[][] = [];
  let beforeId: string | undefined;
  for (;;) {
    const page = await query(db, userId, { ...(beforeId ? { beforeId } : {}), limit });
    if (page.length === 0) break;
    found.push(page);
    beforeId = page[page.length - 1]!.id;
  }
  return { pages: found, all: found.flat().map((a) => a.id) };
}

async function expectSameFeed(who: Member, limits = [1, 3, 7, 50]): Promise<StoredActivity[]> {
  let everything: StoredActivity[] = [];
  for (const limit of limits) {
    const [mine, reference] = await Promise.all([
      pages(feed, who.user.id, limit),
      pages(referenceFeed, who.user.id, limit),
    ]);
    expect(mine.pages, `pages of ${limit}`).toEqual(reference.pages);
    everything = mine.pages.flat();
  }
  return everything;
}

const follow = (who: Member, type: string, key: string) =>
  call(app, who, { method: 'PUT', url: `/api/v1/follows/${type}/${key}` }).then((res) =>
    expect(res.statusCode, res.body).toBe(200),
  );

async function createEvent(organiser: Member, countries: string[], themes: string[]): Promise<string> {
  const starts = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
  const slug = uniqueSlug('ev');
  const res = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: `Event ${slug}`,
      slug,
      description: 'A feed test event.',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/feed-test',
      countries,
      themes,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return slug;
}

describe('the feed query', () => {
  it('returns what the OR query returned, page by page, for every kind of follow, block, hidden and deleted post', async () => {
    const [reader, friend, blocked, stranger, quiet] = await Promise.all([
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
      signUp(app),
    ]);
    const organiser = await signUpAs(app, 'organiser');
    // Cases in a followed country, a followed theme, a followed case, and one nobody follows.
    const inCountry = await createTestCase(app, { countries: ['IS', 'NO'], themes: ['health-and-wellbeing'] });
    const inTheme = await createTestCase(app, { countries: ['HM'], themes: ['justice', 'health-and-wellbeing'] });
    const followedCase = await createTestCase(app, { countries: ['HM'], themes: ['health-and-wellbeing'] });
    const elsewhere = await createTestCase(app, { countries: ['HM'], themes: ['health-and-wellbeing'] });
    const followedEvent = await createEvent(organiser, ['HM'], ['health-and-wellbeing']);
    const cancelledEvent = await createEvent(organiser, ['HM'], ['health-and-wellbeing']);
    const eventInCountry = await createEvent(organiser, ['IS'], ['health-and-wellbeing']);

    await follow(reader, 'country', 'IS');
    await follow(reader, 'theme', 'justice');
    await follow(reader, 'case', followedCase);
    await follow(reader, 'event', followedEvent);
    await follow(reader, 'event', cancelledEvent);
    await follow(reader, 'person', friend.handle);
    await follow(reader, 'person', blocked.handle);
    await follow(quiet, 'person', stranger.handle);
    expect(
      (await call(app, reader, { method: 'PUT', url: `/api/v1/me/blocks/${blocked.handle}` })).statusCode,
    ).toBeLessThan(300);

    // Posts everywhere, by everyone (the reader too), with replies, reactions (private), edits.
    const authors = [friend, blocked, stranger, reader, quiet];
    const cases = [inCountry, inTheme, followedCase, elsewhere];
    const posts: string[] = [];
    const caseOf: string[] = [];
    for (let i = 0; i < 48; i += 1) {
      const author = authors[i % authors.length]!;
      // Every fourth post replies to the post two before it (never itself a reply), in its case.
      const parentId = i % 4 === 3 ? posts[i - 2] : undefined;
      const slug = parentId ? caseOf[i - 2]! : cases[(i * 7) % cases.length]!;
      const post = await writePost(app, author, slug, parentId ? { body: `Reply ${i}`, parentId } : `Post ${i}`);
      posts.push(post.id);
      caseOf.push(slug);
      if (i % 5 === 0) await call(app, reader, { method: 'PUT', url: `/api/v1/posts/${post.id}/reactions/like` });
    }
    // Hidden and deleted posts keep their (public) created activity: both queries return it, the
    // service leaves it out when it reads the labels.
    await hidePost(app, posts[6]!);
    const deleted = await call(app, friend, { method: 'DELETE', url: `/api/v1/posts/${posts[5]!}` });
    expect(deleted.statusCode, deleted.body).toBeLessThan(300);
    const cancel = await call(app, organiser, { method: 'POST', url: `/api/v1/events/${cancelledEvent}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    // An import's hub activities (one per country and theme), and a private one in a followed country.
    await db.transaction().execute(async (trx) => {
      for (const [type, key] of [
        ['country', 'IS'],
        ['theme', 'justice'],
        ['theme', 'health-and-wellbeing'],
      ] as const) {
        await insertActivity(trx, {
          verb: 'imported',
          objectType: type,
          objectId: key,
          actorId: null,
          countries: type === 'country' ? [key] : [],
          themes: type === 'theme' ? [key] : [],
          isPublic: true,
          payload: { count: 2, label: key, titles: ['One', 'Two'] },
        });
      }
    });
    await follow(friend, 'country', 'IS');

    const seen = await expectSameFeed(reader);
    // The feed holds every kind the reader follows, and nothing of theirs nor of whom they blocked.
    const kinds = new Set(seen.map((a) => `${a.objectType}/${a.verb}`));
    expect(kinds).toEqual(
      new Set([
        'post/created',
        'case/created',
        'event/created',
        'event/cancelled',
        'country/imported',
        'theme/imported',
      ]),
    );
    expect(seen.some((a) => a.actorId === reader.user.id || a.actorId === blocked.user.id)).toBe(false);
    expect(seen.some((a) => a.objectType === 'event' && a.objectId === eventInCountry)).toBe(true);
    expect(seen.some((a) => a.objectId === posts[6] || a.objectId === posts[5])).toBe(true);
    expect(seen.length).toBeGreaterThan(20);

    // A member who follows one person, one who follows nothing.
    const quietFeed = await expectSameFeed(quiet);
    expect(quietFeed.length).toBeGreaterThan(0);
    expect(quietFeed.every((a) => a.actorId === stranger.user.id)).toBe(true);
    expect(await expectSameFeed(await signUp(app))).toEqual([]);
    // A follow of a member whose handle is gone matches nothing, in both.
    await db
      .insertInto('follows')
      .values({ user_id: quiet.user.id, target_type: 'person', target_key: 'nobody-here' })
      .execute();
    await expectSameFeed(quiet, [2]);
  });
});
