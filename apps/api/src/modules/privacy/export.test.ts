/** GET /api/v1/me/export: everything held about the caller, and nothing else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DataExport } from '@opsi/contracts/privacy';
import { sql } from 'kysely';
import { call, createTestApp, GOOD_PASSWORD, signIn, signUp, signUpAs, type Member } from '../../testing.ts';
import { busyMember, eventWithSeats, organisersCase, rsvp } from './testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off', EXPORTS_PER_HOUR: '3' });
});
afterAll(async () => {
  await app.close();
});

describe('the data export', () => {
  it('answers 401 to anonymous callers', async () => {
    const res = await call(app, null, { url: '/api/v1/me/export' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('holds the account, profile, settings, sessions, posts with revisions, reactions, RSVPs, follows and notifications', async () => {
    const busy = await busyMember(app);
    const { member, other } = busy;
    // A second session of the member, and one of the other member's that must not show.
    expect((await signIn(app, `${member.handle}@example.org`, GOOD_PASSWORD)).statusCode).toBe(200);
    const res = await call(app, member, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const day = new Date().toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="opsi-data-${member.handle}-${day}.json"`);
    expect(res.headers['cache-control']).toContain('no-store');
    const data = res.json<DataExport>();

    expect(data.account).toMatchObject({
      id: member.user.id,
      handle: member.handle,
      email: `${member.handle}@example.org`,
      role: 'member',
      language: 'en',
      pendingEmail: null,
    });
    expect(data.profile.displayName).toBe(`Member ${member.handle}`);
    expect(data.settings.digest?.frequency).toBe('daily');
    expect(data.settings.calendarFeed.active).toBe(true);
    expect(data.sessions).toHaveLength(2);
    expect(data.sessions.filter((s) => s.current)).toHaveLength(1);

    const posts = new Map(data.posts.map((p) => [p.id, p]));
    expect([...posts.keys()].sort()).toEqual([busy.repliedTo, busy.lone, busy.reply].sort());
    expect(posts.get(busy.repliedTo)?.body).toBe('My edited thoughts');
    expect(posts.get(busy.repliedTo)?.revisions.map((r) => r.body)).toEqual([`My thoughts, @${other.handle}`]);
    expect(posts.get(busy.reply)?.parentId).toBe(busy.othersPost);

    expect(data.reactions).toEqual([expect.objectContaining({ postId: busy.othersPost, kind: 'like' })]);
    expect(data.rsvps).toEqual([
      expect.objectContaining({ eventSlug: busy.eventSlug, status: 'going', checkedInAt: null }),
    ]);
    expect(data.rsvps[0]?.ticketCode).toMatch(/^[A-Z2-9]{10}$/);
    expect(data.follows.map((f) => `${f.type}:${f.key}`).sort()).toEqual(
      [`case:${busy.caseSlug}`, `person:${other.handle}`].sort(),
    );
    // The other member followed them, and replied to their post: both are notifications of theirs.
    expect(data.notifications.map((n) => n.kind).sort()).toEqual(['new_follower', 'reply'].sort());
  });

  it('holds the cases they proposed and the versions of cases they wrote', async () => {
    const { slug, organiser } = await organisersCase(app, 'A case its author exports');
    await app.database.kysely
      .insertInto('case_proposals')
      .values({ slug: `${slug}-p`, proposer_id: organiser.user.id, fields: JSON.stringify({ title: 'My idea' }) })
      .execute();
    const res = await call(app, organiser, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::4' });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<DataExport>();
    expect(data.caseEdits).toEqual([expect.objectContaining({ caseSlug: slug, version: 1 })]);
    expect(data.caseProposals).toEqual([
      expect.objectContaining({ slug: `${slug}-p`, status: 'pending', fields: { title: 'My idea' }, caseSlug: null }),
    ]);
  });

  it('holds their introductions, their questions and their votes in events’ Q&A and polls', async () => {
    const slug = await eventWithSeats(app, 10);
    const admin = await signUpAs(app, 'admin');
    const [member, other] = [await signUp(app), await signUp(app)];
    for (const who of [member, other]) await rsvp(app, who, slug);
    const send = async (who: Member, method: string, url: string, payload?: unknown) => {
      const res = await call(app, who, { method, url, ...(payload === undefined ? {} : { payload }) });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json<{ id: string }>();
    };
    await send(admin, 'POST', `/api/v1/events/${slug}/qa`, { open: true });
    await send(member, 'POST', `/api/v1/events/${slug}/questions`, { body: 'Mine to export?' });
    const theirs = await send(other, 'POST', `/api/v1/events/${slug}/questions`, { body: 'Theirs?' });
    await send(member, 'PUT', `/api/v1/questions/${theirs.id}/vote`);
    const poll = await send(admin, 'POST', `/api/v1/events/${slug}/polls`, {
      question: 'Which room?',
      options: ['Left', 'Right'],
      multiple: false,
    });
    await send(member, 'PUT', `/api/v1/polls/${poll.id}/vote`, { options: [1] });
    await sql`insert into introductions (requester_id, recipient_id, message, status, decided_at)
      values (${member.user.id}, ${other.user.id}, 'Shall we talk?', 'accepted', now())`.execute(app.database.kysely);

    const res = await call(app, member, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::5' });
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json<DataExport>();
    expect(data.profile.openToIntroductions).toBe(false);
    expect(data.introductions).toEqual([
      expect.objectContaining({
        direction: 'sent',
        otherHandle: other.handle,
        message: 'Shall we talk?',
        status: 'accepted',
      }),
    ]);
    expect(data.questions).toEqual([expect.objectContaining({ eventSlug: slug, body: 'Mine to export?', votes: 0 })]);
    expect(data.votes.questions).toEqual([expect.objectContaining({ eventSlug: slug, questionId: theirs.id })]);
    expect(data.votes.polls).toEqual([{ eventSlug: slug, question: 'Which room?', option: 'Right' }]);
    // The other member's side: the same introduction, received.
    const theirsExport = (
      await call(app, other, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::6' })
    ).json<DataExport>();
    expect(theirsExport.introductions).toEqual([
      expect.objectContaining({ direction: 'received', otherHandle: member.handle }),
    ]);
  });

  it('holds no token, hash or secret, and nothing private of other members', async () => {
    const { member, other } = await busyMember(app);
    const text = (await call(app, member, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::2' })).body;
    const db = app.database.kysely;
    const secrets = [
      ...(await db.selectFrom('sessions').select('id').execute()).map((s) => s.id),
      ...(await db.selectFrom('calendar_tokens').select('token_hash').execute()).map((t) => t.token_hash),
      ...(
        await db
          .selectFrom('users')
          .select('password_hash')
          .where('id', 'in', [member.user.id, other.user.id])
          .execute()
      ).map((u) => u.password_hash ?? 'none'),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/password|token_?hash|argon2/i);
    expect(text).not.toContain(`${other.handle}@example.org`);
    expect(text).not.toContain(member.cookie.split('=')[1]);
  });

  it('is limited per member, whatever their address (EXPORTS_PER_HOUR)', async () => {
    const { member } = await busyMember(app);
    for (const address of ['2001:db8:e::3', '2001:db8:e::4', '2001:db8:e::5']) {
      expect((await call(app, member, { url: '/api/v1/me/export', remoteAddress: address })).statusCode).toBe(200);
    }
    const limited = await call(app, member, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::6' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another member at the same address is not held back by the first one's exports.
    const { member: neighbour } = await busyMember(app);
    const theirs = await call(app, neighbour, { url: '/api/v1/me/export', remoteAddress: '2001:db8:e::3' });
    expect(theirs.statusCode).toBe(200);
  });
});
