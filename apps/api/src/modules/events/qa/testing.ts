/** The live layer's test kit: an event with its cast (going, not going), and moving it into the past. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { call, signUp, uniqueSlug } from '../../../testing.ts';
import type { Member } from '../testing.ts';

export interface Cast {
  slug: string;
  going: Member;
  notGoing: Member;
}

/** Answers `going` to an event (a fresh member unless one is given). */
export async function goingMember(app: FastifyInstance, slug: string, who?: Member): Promise<Member> {
  const member = who ?? (await signUp(app));
  const res = await call(app, member, {
    method: 'PUT',
    url: `/api/v1/events/${slug}/rsvp`,
    payload: { status: 'going' },
  });
  expect(res.json<{ status: string }>().status, res.body).toBe('going');
  return member;
}

/** Moves an event (by slug) so that it ended an hour ago. */
export async function moveIntoThePast(app: FastifyInstance, slug: string): Promise<void> {
  const hour = 60 * 60 * 1000;
  await app.database.kysely
    .updateTable('events')
    .set({ starts_at: new Date(Date.now() - 3 * hour), ends_at: new Date(Date.now() - hour), rsvp_deadline: null })
    .where('slug', '=', slug)
    .execute();
}

export const qa = (slug: string) => `/api/v1/events/${slug}/qa`;
export const questionsOf = (slug: string) => `/api/v1/events/${slug}/questions`;
export const pollsOf = (slug: string) => `/api/v1/events/${slug}/polls`;

/** A new online event in ten days, with no co-organiser and no capacity. */
export function liveEventBody() {
  const starts = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
  return {
    title: 'Live Q&A session',
    slug: uniqueSlug('live'),
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'online',
    onlineUrl: 'https://meet.example.org/live',
    capacity: null,
    countries: ['FR'],
    themes: ['digital-government'],
  };
}
