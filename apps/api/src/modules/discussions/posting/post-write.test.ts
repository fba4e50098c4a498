/**
 * A new post is written in few round trips: the case and the member's standing are read side by
 * side, and the case's count, the post, its mentions and its activity are one statement, which
 * returns the post as its author reads it. What is written is what the one-statement-each path
 * wrote; the post returned is the one readers load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { recordingWire } from '@opsi/db/testing-wire';
import { activityBesideRow, ROW_ID } from '../../../platform/outbox/beside-row/repository.ts';
import { writerTransaction } from '../../../platform/outbox/repository.ts';
import { createTestApp, createTestCase, signUp, type Member } from '../../../testing.ts';
import { createCasesService } from '../../cases/service.ts';
import { createMemberLimits } from '../../limits/service.ts';
import * as repo from '../repository.ts';
import { insertPost } from './repository.ts';
import { createDiscussionsService } from '../service.ts';

let app: FastifyInstance;
let author: Member;
let mentioned: Member[];
beforeAll(async () => {
  app = await createTestApp();
  author = await signUp(app);
  mentioned = [await signUp(app, { handle: `zz${Date.now()}` }), await signUp(app, { handle: `aa${Date.now()}` })];
});
afterAll(async () => {
  await app.close();
});

const db = () => app.database.kysely;

/** The discussions service over a connection that counts the SQL statements it sends. */
function countingService() {
  const statements: string[] = [];
  const counter: KyselyPlugin = {
    transformQuery(args) {
      statements.push(args.node.kind);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const database = { ...app.database, kysely: app.database.kysely.withPlugin(counter) };
  return {
    service: createDiscussionsService(database, {
      cases: createCasesService(database),
      limits: createMemberLimits(database, app.config),
    }),
    statements,
  };
}

async function caseRow(slug: string) {
  return db()
    .selectFrom('cases')
    .select(['id', 'post_count', 'last_activity_at', 'countries', 'themes'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
}

async function createdActivity(postId: string) {
  return db()
    .selectFrom('activities')
    .selectAll()
    .where('object_type', '=', 'post')
    .where('verb', '=', 'created')
    .where('object_id', '=', postId)
    .execute();
}

describe('writing a new post', () => {
  it('counts the post on its case and writes its mentions and its activity in one statement', async () => {
    const slug = await createTestCase(app, { countries: ['HM', 'FR'], themes: ['digital-government'] });
    const before = await caseRow(slug);
    const { service, statements } = countingService();
    const actor = { id: author.user.id, role: 'member' as const };
    const body = `Asking @${mentioned[0]!.handle} and @${mentioned[1]!.handle}`;
    const { post, created } = await service.create(actor, slug, { body });
    expect(created).toBe(true);
    // Begin and commit are the driver's, not counted here.
    expect(statements).toEqual([
      'SelectQueryNode', // the case, and beside it
      'SelectQueryNode', // the member's standing (past the new-member days of the tests' config)
      'SelectQueryNode', // and the mentioned handles,
      'RawNode', // then trusting the member if they earned it
      'RawNode', // posts this minute
      'RawNode', // the outbox writers' lock and the thread's
      'SelectQueryNode', // count, post, mentions, activity: the post back as its author reads it
    ]);

    const after = await caseRow(slug);
    expect(Number(after.post_count)).toBe(Number(before.post_count) + 1);
    expect(after.last_activity_at.getTime()).toBeGreaterThanOrEqual(before.last_activity_at.getTime());

    const mentionRows = await db()
      .selectFrom('post_mentions')
      .select('user_id')
      .where('post_id', '=', post.id)
      .execute();
    expect(mentionRows.map((r) => r.user_id).sort()).toEqual(mentioned.map((m) => m.user.id).sort());
    // Sorted by handle, as every reader reads them.
    expect(post.mentions).toEqual([mentioned[1]!.handle, mentioned[0]!.handle]);

    const [activity, ...more] = await createdActivity(post.id);
    expect(more).toEqual([]);
    expect(activity).toMatchObject({
      verb: 'created',
      object_type: 'post',
      object_id: post.id,
      actor_id: author.user.id,
      countries: after.countries,
      themes: after.themes,
      public: true,
    });
    expect(activity!.payload).toEqual({
      caseSlug: slug,
      postId: post.id,
      parentId: null,
      parentAuthorId: null,
      mentionIds: expect.arrayContaining(mentioned.map((m) => m.user.id)) as unknown,
    });
    expect((activity!.payload as { mentionIds: string[] }).mentionIds).toHaveLength(2);

    // What the author gets back is what they load afterwards.
    expect(post).toEqual(await service.loadPost(post.id, actor));
  });

  it("sends a new post's transaction in one round trip: begin with the locks, its statement and commit before any answer", async () => {
    const slug = await createTestCase(app);
    const { events } = await recordingWire(() =>
      app.discussions.create({ id: author.user.id, role: 'member' }, slug, { body: 'One round trip.' }),
    );
    // The locks' statement has no parameters (literals), so @opsi/db/lazy-begin sends it with begin.
    const locks = events.filter((e) => e.event.includes('pg_advisory_xact_lock('));
    expect(locks.map((e) => e.event)).toEqual([
      expect.stringMatching(
        /^sent begin;\nselect pg_advisory_xact_lock_shared\(\d+::bigint\), pg_advisory_xact_lock\(\d+, /,
      ),
      expect.stringMatching(/^answered begin;/),
    ]);
    const mine = events.filter((e) => e.connection === locks[0]!.connection).map((e) => e.event.slice(0, 20));
    const begun = mine.indexOf(locks[0]!.event.slice(0, 20));
    expect(mine.slice(begun, begun + 6)).toEqual([
      'sent begin;\nselect p',
      'sent with "bump" as ',
      'sent commit',
      'answered begin;\nsele',
      'answered with "bump"',
      'answered commit',
    ]);
  });

  it('writes a reply with its parent and the parent’s author in the activity, and counts the reply', async () => {
    const slug = await createTestCase(app);
    const replier = await signUp(app);
    const { service } = countingService();
    const { post: parent } = await service.create({ id: author.user.id, role: 'member' }, slug, { body: 'A question' });
    const replierActor = { id: replier.user.id, role: 'member' as const };
    const { post: reply } = await service.create(replierActor, slug, { body: 'An answer', parentId: parent.id });
    const [activity] = await createdActivity(reply.id);
    expect(activity!.payload).toEqual({
      caseSlug: slug,
      postId: reply.id,
      parentId: parent.id,
      parentAuthorId: author.user.id,
      mentionIds: [],
    });
    expect((await service.loadPost(parent.id)).replyCount).toBe(1);
    expect(Number((await caseRow(slug)).post_count)).toBe(2);
    expect(reply).toEqual(await service.loadPost(reply.id, replierActor));
  });

  it('keeps a demo post’s date on its activity, and leaves the case’s later activity time alone', async () => {
    const slug = await createTestCase(app);
    const thread = (await repo.findThreadCase(db(), slug))!;
    const before = await caseRow(slug);
    const createdAt = new Date(before.last_activity_at.getTime() - 86_400_000);
    const result = await insertPost(
      db(),
      {
        caseId: thread.id,
        parentId: null,
        authorId: author.user.id,
        clientId: null,
        body: 'Written yesterday',
        bodyHtml: '<p>Written yesterday</p>',
        language: 'en',
        excerpt: 'Written yesterday',
        mentionIds: [],
        createdAt,
      },
      (created) => ({
        verb: 'created',
        objectType: 'post',
        objectId: created.id,
        actorId: author.user.id,
        countries: thread.countries,
        themes: thread.themes,
        isPublic: true,
        payload: { caseSlug: slug, postId: created.id, parentId: null, mentionIds: [] },
        createdAt,
      }),
    );
    if (result.kind !== 'created') throw new Error(result.kind);
    const [activity] = await createdActivity(result.id);
    expect(activity!.created_at).toEqual(createdAt);
    expect(activity!.payload).toEqual({ caseSlug: slug, postId: result.id, parentId: null, mentionIds: [] });
    expect(result.row.createdAt).toEqual(createdAt);
    expect((await caseRow(slug)).last_activity_at).toEqual(before.last_activity_at);
  });

  it('refuses an activity that does not say where the row’s id goes, before writing anything', async () => {
    const slug = await createTestCase(app);
    const thread = (await repo.findThreadCase(db(), slug))!;
    const activity = {
      verb: 'created' as const,
      objectType: 'post' as const,
      objectId: '12345',
      actorId: author.user.id,
      countries: [],
      themes: [],
      isPublic: true,
      payload: { caseSlug: slug, postId: ROW_ID, parentId: null, mentionIds: [] },
    };
    await expect(
      writerTransaction(db(), (trx) => activityBesideRow(trx, activity, { id: ROW_ID as never, idKey: 'postId' })),
    ).rejects.toThrow(/ROW_ID/);
    const written = await insertPost(
      db(),
      {
        caseId: thread.id,
        parentId: null,
        authorId: author.user.id,
        clientId: null,
        body: 'x',
        bodyHtml: '<p>x</p>',
        language: 'en',
        excerpt: 'x',
        mentionIds: [],
      },
      () => ({ ...activity, payload: { ...activity.payload, postId: '7' } }),
    ).catch((error: unknown) => error);
    expect(String(written)).toMatch(/ROW_ID/);
    expect(Number((await caseRow(slug)).post_count)).toBe(0);
    expect(await db().selectFrom('posts').select('id').where('case_id', '=', thread.id).execute()).toEqual([]);
  });
});
