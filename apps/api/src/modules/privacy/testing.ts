/** What the privacy tests share: an app, a case and an event of their own, and a busy member. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, createTestCase, signUp, signUpAs, uniqueSlug, writePost, type Member } from '../../testing.ts';

/** An event with `capacity` seats, published by a fresh organiser. */
export async function eventWithSeats(app: FastifyInstance, capacity: number): Promise<string> {
  const organiser = await signUpAs(app, 'organiser');
  const starts = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
  const slug = uniqueSlug('ev');
  const res = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: 'Privacy workshop',
      slug,
      description: 'Seats are few.',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/room',
      capacity,
      countries: ['HM'],
      themes: ['digital-government'],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return slug;
}

export async function rsvp(app: FastifyInstance, who: Member, slug: string, status = 'going') {
  const res = await call(app, who, { method: 'PUT', url: `/api/v1/events/${slug}/rsvp`, payload: { status } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ status: string; ticketCode: string | null }>();
}

export interface Busy {
  member: Member;
  other: Member;
  caseSlug: string;
  eventSlug: string;
  /** other's post that member replied to and reacted to. */
  othersPost: string;
  /** member's top-level post (other replied to it) and their lone post. */
  repliedTo: string;
  lone: string;
  /** member's reply under other's post. */
  reply: string;
}

/** A member who has done a bit of everything, and another member around them. */
export async function busyMember(app: FastifyInstance): Promise<Busy> {
  const [member, other] = await Promise.all([signUp(app), signUp(app)]);
  const caseSlug = await createTestCase(app);
  const othersPost = (await writePost(app, other, caseSlug, 'A question from the other member')).id;
  const repliedTo = (await writePost(app, member, caseSlug, `My thoughts, @${other.handle}`)).id;
  const edit = await call(app, member, {
    method: 'PATCH',
    url: `/api/v1/posts/${repliedTo}`,
    payload: { body: 'My edited thoughts' },
  });
  expect(edit.statusCode, edit.body).toBe(200);
  await writePost(app, other, caseSlug, { body: 'An answer to the member', parentId: repliedTo });
  const lone = (await writePost(app, member, caseSlug, 'A lone post of mine')).id;
  const reply = (await writePost(app, member, caseSlug, { body: 'My reply', parentId: othersPost })).id;
  const react = await call(app, member, { method: 'PUT', url: `/api/v1/posts/${othersPost}/reactions/like` });
  expect(react.statusCode, react.body).toBe(200);
  for (const [who, url] of [
    [member, `/api/v1/follows/person/${other.handle}`],
    [other, `/api/v1/follows/person/${member.handle}`],
    [member, `/api/v1/follows/case/${caseSlug}`],
  ] as const) {
    const res = await call(app, who, { method: 'PUT', url });
    expect(res.statusCode, res.body).toBe(200);
  }
  const token = await call(app, member, { method: 'POST', url: '/api/v1/me/calendar-token' });
  expect(token.statusCode, token.body).toBe(200);
  const prefs = await call(app, member, {
    method: 'PATCH',
    url: '/api/v1/me/notification-prefs',
    payload: { digest: 'daily' },
  });
  expect(prefs.statusCode, prefs.body).toBe(200);
  const eventSlug = await eventWithSeats(app, 5);
  await rsvp(app, member, eventSlug);
  return { member, other, caseSlug, eventSlug, othersPost, repliedTo, lone, reply };
}

/** A case written by a fresh organiser (so it is theirs: created_by, revision 1); its slug and author. */
export async function organisersCase(
  app: FastifyInstance,
  title: string,
): Promise<{ slug: string; organiser: Member }> {
  const organiser = await signUpAs(app, 'organiser');
  const made = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      title,
      summary: 'Written by an organiser whose data the test then handles.',
      countries: ['HM'],
      themes: ['digital-government'],
      year: 2025,
      organisation: 'Heard Island',
      levelOfGovernment: 'local',
      stage: 'pilot',
    },
  });
  expect(made.statusCode, made.body).toBe(201);
  return { slug: made.json<{ slug: string }>().slug, organiser };
}
