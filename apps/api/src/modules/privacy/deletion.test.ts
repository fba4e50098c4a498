/** DELETE /api/v1/me: the account and everything personal goes, in one transaction. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Post, PostList } from '@opsi/contracts/discussions';
import type { PollList, QuestionList } from '@opsi/contracts/live';
import { call, createTestApp, GOOD_PASSWORD, listen, signIn, signUp, signUpAs, type Member } from '../../testing.ts';
import { closeSockets, connectSocket, once } from '../../testing-sockets.ts';
import { notificationsWritten } from '../../testing-until.ts';
import { busyMember, eventWithSeats, organisersCase, rsvp } from './testing.ts';

let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
  origin = await listen(app);
});
afterEach(() => closeSockets());
afterAll(async () => {
  await app.close();
});

const db = () => app.database.kysely;

function deleteAccount(who: Member | null, payload: unknown) {
  return call(app, who, { method: 'DELETE', url: '/api/v1/me', payload });
}

async function thread(slug: string): Promise<Post[]> {
  return (await call(app, null, { url: `/api/v1/cases/${slug}/posts` })).json<PostList>().items;
}

/** How many rows of `table` still refer to the user through `column`. */
async function rowsOf(table: string, column: string, userId: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}
    where ${sql.ref(column)} = ${userId}`.execute(db());
  return Number(rows[0]!.n);
}

describe('deleting one’s account', () => {
  it('answers 401 to anonymous callers and 400 naming a bad field', async () => {
    expect((await deleteAccount(null, { password: GOOD_PASSWORD, posts: 'anonymise' })).statusCode).toBe(401);
    const member = await signUp(app);
    const bad = await deleteAccount(member, { password: GOOD_PASSWORD, posts: 'keep' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toContain('posts');
    const missing = await deleteAccount(member, { posts: 'delete' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.map((d: { field: string }) => d.field)).toContain('password');
  });

  it('changes nothing with a wrong password', async () => {
    const busy = await busyMember(app);
    const wrong = await deleteAccount(busy.member, { password: 'not my password at all', posts: 'delete' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0]).toMatchObject({ field: 'password', code: 'password_incorrect' });
    expect((await call(app, busy.member, { url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await call(app, null, { url: `/api/v1/people/${busy.member.handle}` })).statusCode).toBe(200);
    const posts = await thread(busy.caseSlug);
    expect(posts.find((p) => p.id === busy.lone)?.body).toBe('A lone post of mine');
    expect(await rowsOf('rsvps', 'user_id', busy.member.user.id)).toBe(1);
    expect(await rowsOf('follows', 'user_id', busy.member.user.id)).toBe(2);
  });

  it('anonymises: posts stay as "a former member", everything else of theirs goes, sign-in fails, the handle is 404', async () => {
    const busy = await busyMember(app);
    const { member, other } = busy;
    const id = member.user.id;
    const gone = await deleteAccount(member, { password: GOOD_PASSWORD, posts: 'anonymise' });
    expect(gone.statusCode, gone.body).toBe(204);
    expect(String(gone.headers['set-cookie'])).toMatch(/session=;/);

    // The old cookie is dead, the credentials fail, the handle is gone.
    expect((await call(app, member, { url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await signIn(app, `${member.handle}@example.org`)).statusCode).toBe(401);
    expect((await call(app, null, { url: `/api/v1/people/${member.handle}` })).statusCode).toBe(404);
    const directory = await call(app, null, { url: `/api/v1/people?q=${member.handle}` });
    expect(directory.json().items).toEqual([]);

    // Their posts keep their bodies, signed by no one in particular.
    const posts = new Map((await thread(busy.caseSlug)).map((p) => [p.id, p]));
    for (const postId of [busy.repliedTo, busy.lone, busy.reply]) {
      expect(posts.get(postId)?.author).toEqual({
        handle: 'former-member',
        displayName: 'A former member',
        former: true,
      });
    }
    expect(posts.get(busy.lone)?.body).toBe('A lone post of mine');
    const text = JSON.stringify([...posts.values()]);
    expect(text).not.toContain(member.handle);
    // Their reaction is gone from the count.
    expect(posts.get(busy.othersPost)?.reactions.like).toBe(0);

    // Every table: nothing left of theirs.
    for (const [table, column] of [
      ['sessions', 'user_id'],
      ['rsvps', 'user_id'],
      ['follows', 'user_id'],
      ['notifications', 'user_id'],
      ['notification_prefs', 'user_id'],
      ['digest_settings', 'user_id'],
      ['calendar_tokens', 'user_id'],
      ['post_reactions', 'user_id'],
      ['post_mentions', 'user_id'],
      ['case_reads', 'user_id'],
      ['unsubscribe_tokens', 'user_id'],
      ['password_resets', 'user_id'],
      ['email_changes', 'user_id'],
      ['activities', 'actor_id'],
      ['follow_notices', 'follower_id'],
      ['follow_notices', 'target_id'],
    ] as const) {
      expect(await rowsOf(table, column, id), `${table}.${column}`).toBe(0);
    }
    const followed = await db()
      .selectFrom('follows')
      .select('user_id')
      .where('target_type', '=', 'person')
      .where('target_key', '=', member.handle)
      .execute();
    expect(followed).toEqual([]);
    // The other member's follower count no longer counts them; nothing in activities names them.
    expect((await call(app, null, { url: `/api/v1/people/${other.handle}` })).json().followerCount).toBe(0);
    const { rows } = await sql<{ verb: string; payload: unknown }>`select verb, payload from activities
      where payload::text like ${`%${member.handle}%`} or object_id = ${member.handle}
        or ${id} in (payload->>'userId', payload->>'parentAuthorId', payload->>'authorId', payload->>'targetUserId')
        or payload->'mentionIds' @> to_jsonb(array[${id}::text]) or payload->'promoted' @> to_jsonb(array[${id}::text])`.execute(
      db(),
    );
    expect(rows).toEqual([]);
    const row = await db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ password_hash: null, bio: '', headline: '', role: 'member' });
    expect(row.deleted_at).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain(member.handle);
  });

  it('deletes: tombstones where replies remain, no text kept, the search finds nothing', async () => {
    const busy = await busyMember(app);
    const gone = await deleteAccount(busy.member, { password: GOOD_PASSWORD, posts: 'delete' });
    expect(gone.statusCode, gone.body).toBe(204);
    const posts = new Map((await thread(busy.caseSlug)).map((p) => [p.id, p]));
    // The post the other member replied to stays as a tombstone; the lone post and the reply go.
    expect(posts.get(busy.repliedTo)).toMatchObject({ deleted: true, body: '', bodyHtml: '' });
    expect(posts.has(busy.lone)).toBe(false);
    expect(posts.has(busy.reply)).toBe(false);
    expect(posts.get(busy.othersPost)?.replyCount).toBe(0);
    const stored = await db()
      .selectFrom('posts')
      .select(['body', 'deleted_at'])
      .where('author_id', '=', busy.member.user.id)
      .execute();
    expect(stored.map((p) => p.body)).toEqual(['', '', '']);
    expect(stored.every((p) => p.deleted_at !== null)).toBe(true);
    expect(await rowsOf('post_revisions', 'post_id', busy.repliedTo)).toBe(0);
    const search = await call(app, null, { url: '/api/v1/search?q=lone' });
    // Ids are short numbers: compare them, not the text of the answer (a slug may hold the digits).
    const found = search.json<{ items: { post?: { id: string } }[] }>().items.map((hit) => hit.post?.id);
    expect(found).not.toContain(busy.lone);
  });

  it('leaves the case library naming no one: their cases and revisions stay, their unpublished proposals go', async () => {
    const { slug, organiser } = await organisersCase(app, 'A case whose author leaves');
    const id = organiser.user.id;
    const fields = JSON.stringify({ title: 'An unpublished idea' });
    await db()
      .insertInto('case_proposals')
      .values({ slug: `${slug}-p`, proposer_id: id, fields })
      .execute();
    await db()
      .insertInto('case_proposals')
      .values({ slug: `${slug}-q`, proposer_id: id, fields, status: 'approved' })
      .execute();
    await db().updateTable('cases').set({ proposer_id: id }).where('slug', '=', slug).execute();

    const gone = await deleteAccount(organiser, { password: GOOD_PASSWORD, posts: 'anonymise' });
    expect(gone.statusCode, gone.body).toBe(204);
    expect(await rowsOf('cases', 'created_by', id)).toBe(0);
    expect(await rowsOf('cases', 'proposer_id', id)).toBe(0);
    expect(await rowsOf('case_revisions', 'editor_id', id)).toBe(0);
    expect(await rowsOf('case_proposals', 'proposer_id', id)).toBe(0);
    const left = await db()
      .selectFrom('case_proposals')
      .select(['slug', 'proposer_id'])
      .where('slug', 'like', `${slug}-%`)
      .execute();
    expect(left).toEqual([{ slug: `${slug}-q`, proposer_id: null }]);
    expect((await call(app, null, { url: `/api/v1/cases/${slug}` })).statusCode).toBe(200);
  });

  it('frees their seats: each promotes the head of the waitlist, who is told', async () => {
    const slug = await eventWithSeats(app, 1);
    const [leaving, first, second] = await Promise.all([signUp(app), signUp(app), signUp(app)]);
    await rsvp(app, leaving, slug);
    expect((await rsvp(app, first, slug)).status).toBe('waitlisted');
    expect((await rsvp(app, second, slug)).status).toBe('waitlisted');
    expect((await deleteAccount(leaving, { password: GOOD_PASSWORD, posts: 'anonymise' })).statusCode).toBe(204);

    const event = (await call(app, null, { url: `/api/v1/events/${slug}` })).json();
    expect(event).toMatchObject({ goingCount: 1, waitlistCount: 1 });
    const mine = (who: Member) => call(app, who, { url: `/api/v1/events/${slug}` });
    expect((await mine(first)).json().myRsvp.status).toBe('going');
    expect((await mine(second)).json().myRsvp).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    await notificationsWritten(app);
    const told = (await call(app, first, { url: '/api/v1/me/notifications' })).json().items;
    expect(told.map((n: { kind: string }) => n.kind)).toContain('waitlist_promoted');
    const job = await db()
      .selectFrom('jobs')
      .select('kind')
      .where(sql<boolean>`payload->>'userId' = ${first.user.id}`)
      .execute();
    expect(job.map((j) => j.kind)).toContain('email.rsvp_promoted');
  });

  it('closes the live sockets of every session, as signing out does', async () => {
    const member = await signUp(app);
    const socket = await connectSocket(origin, { who: member });
    const closed = once<string>(socket, 'disconnect');
    expect((await deleteAccount(member, { password: GOOD_PASSWORD, posts: 'anonymise' })).statusCode).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('refuses the last administrator (422 last_admin), and lets one go when another remains', async () => {
    await db().updateTable('users').set({ role: 'member' }).where('role', '=', 'admin').execute();
    const admin = await signUpAs(app, 'admin');
    const refused = await deleteAccount(admin, { password: GOOD_PASSWORD, posts: 'anonymise' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0]).toMatchObject({ field: 'account', code: 'last_admin' });
    expect((await call(app, admin, { url: '/api/v1/me' })).statusCode).toBe(200);
    await signUpAs(app, 'admin');
    expect((await deleteAccount(admin, { password: GOOD_PASSWORD, posts: 'anonymise' })).statusCode).toBe(204);
  });

  it('follows the authorization matrix: anyone signed in exports and deletes only their own account', async () => {
    type Who = 'anonymous' | 'member' | 'organiser' | 'moderator' | 'admin';
    const expected: Record<string, Record<Who, number>> = {
      export: { anonymous: 401, member: 200, organiser: 200, moderator: 200, admin: 200 },
      delete: { anonymous: 401, member: 204, organiser: 204, moderator: 204, admin: 204 },
    };
    await signUpAs(app, 'admin'); // so the admin below is not the last one
    for (const who of ['anonymous', 'member', 'organiser', 'moderator', 'admin'] as const) {
      const person = who === 'anonymous' ? null : await signUpAs(app, who);
      const exported = await call(app, person, {
        url: '/api/v1/me/export',
        remoteAddress: `2001:db8:f::${who.length}`,
      });
      expect(exported.statusCode, `${who} export`).toBe(expected.export![who]);
      if (person) expect(exported.json().account.handle).toBe(person.handle);
      const deleted = await deleteAccount(person, { password: GOOD_PASSWORD, posts: 'delete' });
      expect(deleted.statusCode, `${who} delete`).toBe(expected.delete![who]);
      if (person) expect((await signIn(app, `${person.handle}@example.org`)).statusCode).toBe(401);
    }
  });

  it('takes their votes, introductions and, as with their posts, their questions: kept naming no one or deleted', async () => {
    const slug = await eventWithSeats(app, 10);
    const admin = await signUpAs(app, 'admin');
    const [leaver, stayer, other] = [await signUp(app), await signUp(app), await signUp(app)];
    for (const who of [leaver, stayer, other]) await rsvp(app, who, slug);
    const send = async (who: Member, method: string, url: string, payload?: unknown) => {
      const res = await call(app, who, { method, url, ...(payload === undefined ? {} : { payload }) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json<{ id: string }>();
    };
    await send(admin, 'POST', `/api/v1/events/${slug}/qa`, { open: true });
    const theirs = await send(leaver, 'POST', `/api/v1/events/${slug}/questions`, { body: 'Asked by the leaver?' });
    const kept = await send(stayer, 'POST', `/api/v1/events/${slug}/questions`, { body: 'Asked by one who stays?' });
    for (const who of [leaver, other]) await send(who, 'PUT', `/api/v1/questions/${kept.id}/vote`);
    const poll = await send(admin, 'POST', `/api/v1/events/${slug}/polls`, {
      question: 'Which room?',
      options: ['A', 'B'],
      multiple: false,
    });
    await send(leaver, 'PUT', `/api/v1/polls/${poll.id}/vote`, { options: [0] });
    await send(other, 'PUT', `/api/v1/polls/${poll.id}/vote`, { options: [0] });
    for (const who of [leaver, stayer]) {
      await send(who, 'PATCH', '/api/v1/me/profile', { openToIntroductions: true });
    }
    const introduction = await send(leaver, 'POST', '/api/v1/introductions', {
      handle: stayer.handle,
      message: 'Shall we talk about assemblies?',
    });
    await sql`insert into introductions (requester_id, recipient_id, message)
      values (${other.user.id}, ${leaver.user.id}, 'Hello')`.execute(db());
    await notificationsWritten(app);
    const told = sql<{ n: string }>`select count(*) as n from notifications
      where user_id = ${stayer.user.id} and kind = 'introduction_requested'`;
    expect(Number((await told.execute(db())).rows[0]!.n)).toBe(1);

    const gone = await deleteAccount(leaver, { password: GOOD_PASSWORD, posts: 'anonymise' });
    expect(gone.statusCode, gone.body).toBe(204);
    const questions = await call(app, null, { url: `/api/v1/events/${slug}/questions?sort=new` });
    const byId = new Map(questions.json<QuestionList>().items.map((q) => [q.id, q]));
    // Their question stays, signed by no one; the votes they gave are gone from the counts.
    expect(byId.get(theirs.id)).toMatchObject({ body: 'Asked by the leaver?', author: null });
    expect(byId.get(kept.id)).toMatchObject({ votes: 1 });
    const polls = await call(app, null, { url: `/api/v1/events/${slug}/polls` });
    expect(polls.json<PollList>().items[0]!.options.map((o) => o.votes)).toEqual([1, 0]);
    for (const [table, column] of [
      ['question_votes', 'user_id'],
      ['poll_votes', 'user_id'],
      ['event_questions', 'author_id'],
      ['introductions', 'requester_id'],
      ['introductions', 'recipient_id'],
    ] as const) {
      expect(await rowsOf(table, column, leaver.user.id), `${table}.${column}`).toBe(0);
    }
    // The member they asked keeps no notification or activity quoting their message.
    expect(Number((await told.execute(db())).rows[0]!.n)).toBe(0);
    const { rows: quoted } = await sql`select id from activities
      where object_type = 'introduction' and object_id = ${introduction.id} and payload ? 'excerpt'`.execute(db());
    expect(quoted).toEqual([]);

    // Who chooses to delete their posts has their questions deleted too.
    const second = await signUp(app);
    await rsvp(app, second, slug);
    const asked = await send(second, 'POST', `/api/v1/events/${slug}/questions`, { body: 'Soon gone?' });
    expect((await deleteAccount(second, { password: GOOD_PASSWORD, posts: 'delete' })).statusCode).toBe(204);
    const after = await call(app, null, { url: `/api/v1/events/${slug}/questions?sort=new` });
    expect(after.json<QuestionList>().items.map((q) => q.id)).not.toContain(asked.id);
  });
});
