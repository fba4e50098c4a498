/**
 * The events module's HTTP test kit: one app per test file with its cast (organisers, an admin, a
 * moderator, a member), signed in, and the requests the route tests make. Bindings are live: the
 * variables are set by startEventsApp (call it in beforeAll).
 */
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import { call, createTestApp, signUp, signUpAs, uniqueSlug } from '../../testing.ts';

export let app: FastifyInstance;
export type Member = Awaited<ReturnType<typeof signUp>>;
export let organiser: Member;
export let coOrganiser: Member;
export let otherOrganiser: Member;
export let admin: Member;
export let moderator: Member;
export let member: Member;

export async function startEventsApp(): Promise<void> {
  app = await createTestApp();
  [organiser, coOrganiser, otherOrganiser, admin, moderator, member] = await Promise.all([
    signUpAs(app, 'organiser'),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'admin'),
    signUpAs(app, 'moderator'),
    signUp(app),
  ]);
}

export async function stopEventsApp(): Promise<void> {
  await app.close();
}

export const DAY = 24 * 60 * 60 * 1000;

export function eventBody(overrides: Record<string, unknown> = {}) {
  const starts = new Date(Date.now() + 10 * DAY);
  return {
    title: 'Open government workshop',
    slug: uniqueSlug('ev'),
    description: 'Bring **ideas**. <script>alert(1)</script>',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'hybrid',
    venue: 'OECD Conference Centre',
    address: '2 rue André Pascal, Paris',
    onlineUrl: 'https://meet.example.org/secret-room',
    capacity: 2,
    countries: ['FR'],
    themes: ['digital-government'],
    caseSlugs: ['my-france-2022'],
    coOrganisers: [coOrganiser.handle],
    ...overrides,
  };
}

/** An event of `organiser`, co-organised by `coOrganiser` (invited, and accepting) unless overridden. */
export async function createEvent(overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  const body = eventBody(overrides);
  const res = await call(app, organiser, { method: 'POST', url: '/api/v1/events', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  if (!body.coOrganisers.includes(coOrganiser.handle)) return res.json<EventDetail>();
  const slug = res.json<EventDetail>().slug;
  const accepted = await call(app, coOrganiser, {
    method: 'POST',
    url: `/api/v1/events/${slug}/organiser-invitations/accept`,
  });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return (await call(app, organiser, { method: 'GET', url: `/api/v1/events/${slug}` })).json<EventDetail>();
}

/** The request of a named action in a list of [name, request, status]. */
export function options(actions: [string, InjectOptions, number][], name: string): InjectOptions {
  return actions.find(([action]) => action === name)![1];
}

export async function rsvp(who: Member, slug: string, status: string, listed?: boolean) {
  const res = await call(app, who, {
    method: 'PUT',
    url: `/api/v1/events/${slug}/rsvp`,
    payload: listed === undefined ? { status } : { status, listed },
  });
  return res;
}
