/**
 * Proposals: a member's POST /api/v1/cases is a proposal (202) that nothing public shows; the
 * moderators' queue, approval (case, follow, notice, log in one go) and return with a reason; the
 * proposer's own list, their credit on the case and their profile; the daily limit; the live queue.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseFacets, CaseList } from '@opsi/contracts/cases';
import type { ErrorBody } from '@opsi/contracts/common';
import type { FollowState, NotificationList } from '@opsi/contracts/follows';
import type { LogPage } from '@opsi/contracts/moderation';
import type { Proposal, ProposalList, ReviewPage } from '@opsi/contracts/proposals';
import { appForFile, call, createTestApp, listen, signUp, signUpAs, uniqueSlug, type Member } from '../../testing.ts';
import { ack, closeSockets, connectSocket, nextEvent, openStream } from '../../testing-sockets.ts';
import { notificationsWritten, until } from '../../testing-until.ts';

const app = await appForFile({ RATE_LIMIT_PER_MINUTE: '100000', PROPOSALS_PER_DAY: '4' });
const origin = await listen(app);
const moderator = await signUpAs(app, 'moderator');
const admin = await signUpAs(app, 'admin');
const organiser = await signUpAs(app, 'organiser');
afterAll(closeSockets);

/** Tuvalu: no other case of this file's database is there, so its hub shows only what this file publishes. */
const COUNTRY = 'TV';

function input(overrides: Record<string, unknown> = {}) {
  return {
    slug: uniqueSlug('proposal'),
    title: `Participatory budgeting ${uniqueSlug('t')}`,
    summary: 'Residents decide how part of the budget is spent.',
    body: 'It started in 2019.\n\nIt spread to three islands.',
    countries: [COUNTRY],
    themes: ['digital-government'],
    year: 2024,
    organisation: 'Funafuti council',
    levelOfGovernment: 'local',
    stage: 'pilot',
    ...overrides,
  };
}
function propose(who: Member | null, payload: Record<string, unknown>) {
  return call(app, who, { method: 'POST', url: '/api/v1/cases', payload });
}
function review(who: Member | null, slug: string, decision: 'approve' | 'reject', payload: object = {}) {
  return call(app, who, { method: 'POST', url: `/api/v1/moderation/cases/${slug}/${decision}`, payload });
}
async function notifications(who: Member): Promise<NotificationList['items']> {
  await notificationsWritten(app);
  return (await call(app, who, { url: '/api/v1/me/notifications' })).json<NotificationList>().items;
}
async function queue(who: Member, status = 'pending'): Promise<ReviewPage> {
  const res = await call(app, who, { url: `/api/v1/moderation/cases?status=${status}&limit=100` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ReviewPage>();
}

describe('POST /api/v1/cases by role', () => {
  it('answers members 202 with the pending proposal, organisers, moderators and admins 201 with the case', async () => {
    const member = await signUp(app);
    const payload = input();
    const res = await propose(member, payload);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json<Proposal>()).toMatchObject({
      status: 'pending',
      slug: payload.slug,
      title: payload.title,
      body: payload.body,
      countries: [COUNTRY],
      caseSlug: null,
      reason: '',
    });
    for (const who of [organiser, moderator, admin]) {
      const published = await propose(who, input());
      expect(published.statusCode, published.body).toBe(201);
      expect(published.json<CaseDetail>().proposer).toBeNull();
    }
    expect((await propose(null, input())).statusCode).toBe(401);
  });

  it('validates a proposal as a creation: 422 naming countries and themes, 400 on shape, 409 on a taken slug', async () => {
    const member = await signUp(app);
    const bad = await propose(member, input({ countries: ['ZZ'], themes: ['no-such-theme'] }));
    expect(bad.statusCode).toBe(422);
    const fields = bad.json<ErrorBody>().error.details?.map((d) => d.field);
    expect(fields).toEqual(['countries', 'themes']);
    const shape = await propose(member, input({ year: 'soon' }));
    expect(shape.statusCode).toBe(400);
    expect(shape.json<ErrorBody>().error.details?.[0]?.field).toBe('year');
    // A slug a case holds, or another proposal: 409 on `slug`.
    const taken = (await propose(organiser, input())).json<CaseDetail>().slug;
    const clash = await propose(member, input({ slug: taken }));
    expect(clash.statusCode).toBe(409);
    expect(clash.json<ErrorBody>().error.details?.[0]?.field).toBe('slug');
    const pending = (await propose(member, input())).json<Proposal>().slug;
    expect((await propose(await signUp(app), input({ slug: pending }))).statusCode).toBe(409);
  });

  it('picks a free slug from the title, past cases and proposals that hold it', async () => {
    const title = `Open contracting ${uniqueSlug('x')}`;
    const { slug: caseSlug } = (await propose(organiser, input({ slug: undefined, title }))).json<CaseDetail>();
    const first = (await propose(await signUp(app), input({ slug: undefined, title }))).json<Proposal>();
    const second = (await propose(await signUp(app), input({ slug: undefined, title }))).json<Proposal>();
    expect(new Set([caseSlug, first.slug, second.slug]).size).toBe(3);
    expect(first.slug.startsWith(caseSlug.slice(0, 30))).toBe(true);
  });

  it('limits each member to PROPOSALS_PER_DAY proposals a day: 429 with Retry-After, naming the limit', async () => {
    const member = await signUp(app);
    for (let i = 0; i < 4; i += 1) expect((await propose(member, input())).statusCode).toBe(202);
    const refused = await propose(member, input());
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json<ErrorBody>().error.details?.[0]).toMatchObject({ limit: 'proposals_per_day', max: 4 });
    // Organisers publish without that limit.
    expect((await propose(organiser, input())).statusCode).toBe(201);
  });

  it('is lifted by ABUSE_LIMITS=off', async () => {
    const open = await createTestApp({ ABUSE_LIMITS: 'off', PROPOSALS_PER_DAY: '1' });
    try {
      const member = await signUp(open);
      for (let i = 0; i < 3; i += 1) {
        const res = await call(open, member, { method: 'POST', url: '/api/v1/cases', payload: input() });
        expect(res.statusCode).toBe(202);
      }
    } finally {
      await open.close();
    }
  });
});

describe('a pending proposal is nowhere public', () => {
  it('is not in the list, search, facets, GET one, the hub feed or the stream; approval then publishes it', async () => {
    const member = await signUp(app);
    const word = `zanzibarian${Date.now().toString(36)}`;
    const stream = openStream(`${origin.replace(/^http/, 'ws')}/api/v1/stream?country=NR`);
    await stream.opened;
    const payload = input({ title: `The ${word} pilot`, countries: ['NR'] });
    const { slug } = (await propose(member, payload)).json<Proposal>();

    const list = (await call(app, null, { url: '/api/v1/cases?country=NR&limit=100' })).json<CaseList>();
    expect(list.items.map((c) => c.slug)).not.toContain(slug);
    expect(list.total).toBe(0);
    expect((await call(app, null, { url: `/api/v1/cases?q=${word}` })).json<CaseList>().total).toBe(0);
    const facets = (await call(app, null, { url: '/api/v1/cases/facets' })).json<CaseFacets>();
    expect(facets.countries.map((c) => c.code)).not.toContain('NR');
    for (const who of [null, member, moderator]) {
      expect((await call(app, who, { url: `/api/v1/cases/${slug}` })).statusCode).toBe(404);
    }
    const atom = await call(app, null, { url: '/api/v1/countries/NR/feed.atom' });
    expect(atom.body).not.toContain(word);
    const activities = await app.database.kysely
      .selectFrom('activities')
      .select('verb')
      .where('object_id', '=', slug)
      .execute();
    expect(activities).toEqual([]);

    // Approval is the marker: the stream's first activity about this case is its creation.
    expect((await review(moderator, slug, 'approve')).statusCode).toBe(200);
    await until(() => stream.messages.some((m) => m.objectId === slug), 'the case on the stream');
    expect(stream.messages.filter((m) => m.objectId === slug).map((m) => m.verb)).toEqual(['created']);
    expect((await call(app, null, { url: `/api/v1/cases?q=${word}` })).json<CaseList>().total).toBe(1);
    stream.ws.close();
  });
});

describe('the review queue', () => {
  it('is for moderators and admins only (401, 403 for members and organisers)', async () => {
    const member = await signUp(app);
    const { slug } = (await propose(member, input())).json<Proposal>();
    for (const url of ['/api/v1/moderation/cases', '/api/v1/moderation/cases?status=approved']) {
      expect((await call(app, null, { url })).statusCode).toBe(401);
      expect((await call(app, member, { url })).statusCode).toBe(403);
      expect((await call(app, organiser, { url })).statusCode).toBe(403);
    }
    for (const decision of ['approve', 'reject'] as const) {
      expect((await review(null, slug, decision)).statusCode).toBe(401);
      expect((await review(member, slug, decision)).statusCode).toBe(403);
      expect((await review(organiser, slug, decision)).statusCode).toBe(403);
      expect((await review(moderator, 'no-such-proposal', decision)).statusCode).toBe(404);
    }
    expect((await call(app, null, { url: '/api/v1/me/proposals' })).statusCode).toBe(401);
    expect((await call(app, moderator, { url: '/api/v1/moderation/cases?status=unknown' })).statusCode).toBe(400);
  });

  it('lists pending proposals oldest first, in full, with their proposer', async () => {
    const member = await signUp(app, { displayName: 'Ana Proposer' });
    const a = (await propose(member, input())).json<Proposal>();
    const b = (await propose(member, input())).json<Proposal>();
    for (const who of [moderator, admin]) {
      const items = (await queue(who)).items;
      const mine = items.filter((p) => p.proposer?.handle === member.handle);
      expect(mine.map((p) => p.slug)).toEqual([a.slug, b.slug]);
      expect(mine[0]).toMatchObject({
        status: 'pending',
        body: a.body,
        summary: a.summary,
        organisation: a.organisation,
        proposer: { handle: member.handle, displayName: 'Ana Proposer', postCount: 0 },
        reviewedBy: null,
      });
      expect(Date.parse(mine[0]!.proposer!.joinedAt)).not.toBeNaN();
    }
  });

  it('pages with a cursor', async () => {
    const member = await signUp(app);
    for (let i = 0; i < 3; i += 1) await propose(member, input());
    const first = (await call(app, moderator, { url: '/api/v1/moderation/cases?limit=2' })).json<ReviewPage>();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const next = (
      await call(app, moderator, { url: `/api/v1/moderation/cases?limit=2&cursor=${first.nextCursor}` })
    ).json<ReviewPage>();
    expect(next.items[0]!.createdAt >= first.items[1]!.createdAt).toBe(true);
    expect(next.items.map((p) => p.slug)).not.toContain(first.items[0]!.slug);
  });
});

describe('approving', () => {
  it('publishes the case credited to its proposer, who follows it and is told; logs it; 409 the second time', async () => {
    const member = await signUp(app, { displayName: 'Bea Builder' });
    const payload = input();
    const { slug } = (await propose(member, payload)).json<Proposal>();
    const res = await review(moderator, slug, 'approve');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Proposal>()).toMatchObject({ status: 'approved', caseSlug: slug });

    const published = (await call(app, null, { url: `/api/v1/cases/${slug}` })).json<CaseDetail>();
    expect(published).toMatchObject({
      title: payload.title,
      body: payload.body,
      version: 1,
      followerCount: 1,
      proposer: { handle: member.handle, displayName: 'Bea Builder' },
    });
    const row = await app.database.kysely
      .selectFrom('cases')
      .select(['created_by', 'proposer_id', 'id'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ created_by: member.user.id, proposer_id: member.user.id });
    const revision = await app.database.kysely
      .selectFrom('case_revisions')
      .select(['version', 'editor_id'])
      .where('case_id', '=', row.id)
      .execute();
    expect(revision).toEqual([{ version: 1, editor_id: member.user.id }]);
    const follow = (await call(app, member, { url: `/api/v1/follows/case/${slug}` })).json<FollowState>();
    expect(follow.following).toBe(true);

    const [told] = await notifications(member);
    expect(told).toMatchObject({ kind: 'proposal_approved', title: payload.title, url: `/cases/${slug}`, actors: [] });
    const log = (
      await call(app, moderator, { url: '/api/v1/moderation/log?targetType=case&limit=100' })
    ).json<LogPage>();
    expect(log.items.find((e) => e.target === slug)).toMatchObject({ action: 'approve_case', actor: moderator.handle });

    const profile = (await call(app, null, { url: `/api/v1/people/${member.handle}` })).json<{
      proposedCases: { slug: string; title: string }[];
    }>();
    expect(profile.proposedCases).toEqual([{ slug, title: payload.title }]);
    const mine = (await call(app, member, { url: '/api/v1/me/proposals' })).json<ProposalList>();
    expect(mine.items[0]).toMatchObject({ slug, status: 'approved', caseSlug: slug });

    for (const decision of ['approve', 'reject'] as const) {
      const again = await review(admin, slug, decision);
      expect(again.statusCode).toBe(409);
      expect(again.json<ErrorBody>().error.code).toBe('conflict');
    }
    expect((await queue(moderator, 'approved')).items.find((p) => p.slug === slug)).toMatchObject({
      reviewedBy: moderator.handle,
    });
  });

  it('publishes under the next free slug when a case took the proposal’s slug meanwhile', async () => {
    const member = await signUp(app);
    const { slug } = (await propose(member, input())).json<Proposal>();
    // An organiser publishes a case with that slug (create does not look at proposals).
    const taken = await propose(organiser, input({ slug }));
    expect(taken.statusCode).toBe(201);
    const approved = (await review(admin, slug, 'approve')).json<Proposal>();
    expect(approved.caseSlug).not.toBe(slug);
    expect(approved.caseSlug?.startsWith(slug.slice(0, 30))).toBe(true);
    const published = (await call(app, null, { url: `/api/v1/cases/${approved.caseSlug}` })).json<CaseDetail>();
    expect(published.proposer?.handle).toBe(member.handle);
  });
});

describe('returning', () => {
  it('tells the proposer why, keeps it out of the catalogue and their list shows it returned; 409 the second time', async () => {
    const member = await signUp(app);
    const payload = input();
    const { slug } = (await propose(member, payload)).json<Proposal>();
    const reason = 'Please add the results of the evaluation.';
    const res = await review(moderator, slug, 'reject', { reason });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Proposal>()).toMatchObject({ status: 'rejected', reason, caseSlug: null });
    expect((await call(app, null, { url: `/api/v1/cases/${slug}` })).statusCode).toBe(404);

    const [told] = await notifications(member);
    expect(told).toMatchObject({ kind: 'proposal_returned', title: payload.title, excerpt: reason, actors: [] });
    const mine = (await call(app, member, { url: '/api/v1/me/proposals' })).json<ProposalList>();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ slug, status: 'rejected', reason });
    const log = (
      await call(app, moderator, { url: '/api/v1/moderation/log?targetType=case&limit=100' })
    ).json<LogPage>();
    expect(log.items.find((e) => e.target === slug)).toMatchObject({ action: 'reject_case', reason });
    expect((await review(moderator, slug, 'reject', { reason })).statusCode).toBe(409);
    expect((await queue(moderator, 'rejected')).items.map((p) => p.slug)).toContain(slug);
    expect((await queue(moderator)).items.map((p) => p.slug)).not.toContain(slug);
    // Another member's list does not show it.
    const other = (await call(app, await signUp(app), { url: '/api/v1/me/proposals' })).json<ProposalList>();
    expect(other.items).toEqual([]);
  });

  it('refuses an empty reason (400 on reason)', async () => {
    const member = await signUp(app);
    const { slug } = (await propose(member, input())).json<Proposal>();
    const res = await review(moderator, slug, 'reject', { reason: '' });
    expect(res.statusCode).toBe(400);
  });
});

describe('the moderators’ live queue', () => {
  it('lets moderators and admins hear case:proposed; others are refused', async () => {
    const member = await signUp(app);
    for (const [who, code] of [
      [null, 'unauthorized'],
      [member, 'forbidden'],
      [organiser, 'forbidden'],
    ] as const) {
      const s = await connectSocket(origin, { who });
      expect(await ack(s, 'moderation:watch', { slug: 'cases' })).toMatchObject({ ok: false, error: { code } });
    }
    const sockets = await Promise.all([
      connectSocket(origin, { who: moderator }),
      connectSocket(origin, { who: admin }),
    ]);
    for (const s of sockets) expect((await ack(s, 'moderation:watch', { slug: 'cases' })).ok).toBe(true);
    const payload = input();
    const heard = sockets.map((s) => nextEvent(s, 'case:proposed', (e) => e.slug === payload.slug));
    expect((await propose(member, payload)).statusCode).toBe(202);
    for (const event of await Promise.all(heard)) expect(event).toMatchObject({ title: payload.title });
  });
});
