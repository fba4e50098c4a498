/**
 * The calendar tests' kit: one app per test file with an organiser, the app's events service, and the
 * two independent iCalendar parsers (ical.js, node-ical) to read what it writes. Bindings are live:
 * the variables are set by startCalendarApp (call it in beforeAll).
 */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';
import type { NewEvent } from '@opsi/contracts/events';
import type { signUp } from '../../../testing.ts';
import { call, createTestApp, signUpAs, uniqueSlug } from '../../../testing.ts';
import type { EventsService } from '../service.ts';
import type { CalendarEvent } from './ics.ts';

export let app: FastifyInstance;
export let events: EventsService;
export type Member = Awaited<ReturnType<typeof signUp>>;
export let organiser: Member;
export let organiserActor: { id: string; role: 'organiser' };

export async function startCalendarApp(): Promise<void> {
  app = await createTestApp();
  events = app.events;
  organiser = await signUpAs(app, 'organiser');
  organiserActor = { id: organiser.user.id, role: 'organiser' };
}

export async function stopCalendarApp(): Promise<void> {
  await app.close();
}

export async function newEvent(overrides: Partial<NewEvent> & Pick<NewEvent, 'startsAt' | 'endsAt' | 'timezone'>) {
  return events.create(organiserActor, {
    title: `Calendar test ${uniqueSlug('t')}`,
    slug: uniqueSlug('cal'),
    mode: 'online',
    onlineUrl: `https://meet.example.org/${uniqueSlug('room')}`,
    ...overrides,
  });
}

/** The .ics of an event, as someone (or no one) signed in. */
export async function eventIcs(slug: string, who: Member | null = null) {
  const res = await call(app, who, { method: 'GET', url: `/api/v1/events/${slug}/calendar.ics` });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

export function icalJsEvents(ics: string): ICAL.Event[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  return root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

export function nodeIcalEvents(ics: string): VEvent[] {
  return Object.values(nodeIcal.sync.parseICS(ics)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : (value as { val: string }).val;
}

/** A CalendarEvent for the pure functions. */
export function sample(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    slug: 'sample-event',
    title: 'Sample event',
    description: 'About the event.',
    startsAt: new Date('2027-05-10T08:00:00Z'),
    endsAt: new Date('2027-05-10T10:00:00Z'),
    timezone: 'Europe/Paris',
    mode: 'in_person',
    venue: 'Town hall',
    address: '1 Main Street',
    onlineUrl: null,
    status: 'published',
    sequence: 0,
    createdAt: new Date('2026-11-01T09:00:00Z'),
    updatedAt: new Date('2026-11-02T09:00:00Z'),
    organiser: { handle: 'ann', displayName: 'Ann Organiser' },
    ...overrides,
  };
}

export const ORIGIN = 'https://opsi.example';

/** A one-hour slot some days from now (RSVPs close once an event is over). */
export function inDays(days: number) {
  const startsAt = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  startsAt.setUTCMinutes(0, 0, 0);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 60 * 60 * 1000).toISOString() };
}
