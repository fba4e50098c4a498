/** The capacity invariant and the waitlist under concurrency, on real PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, signUpAs, uniqueSlug } from '../../../testing.ts';
import type { EventsService } from '../service.ts';

let app: FastifyInstance;
let events: EventsService;
let organiser: { id: string; role: 'organiser' };

beforeAll(async () => {
  app = await createTestApp();
  events = app.events;
  const o = await signUpAs(app, 'organiser');
  organiser = { id: o.user.id, role: 'organiser' };
});
afterAll(async () => {
  await app.close();
});

/** Members inserted directly (signing 1,000 people up through argon2 would only test argon2). */
async function members(count: number): Promise<{ id: string; role: 'member' }[]> {
  const prefix = uniqueSlug('storm').slice(0, 30);
  const rows = await app.database.kysely
    .insertInto('users')
    .values(
      Array.from({ length: count }, (_, i) => ({
        email: `${prefix}-${i}@example.org`,
        password_hash: null,
        handle: `${prefix}-${i}`,
        display_name: `Storm ${i}`,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => ({ id: r.id, role: 'member' as const }));
}

async function newEvent(capacity: number | null) {
  const starts = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
  return events.create(organiser, {
    title: `Storm ${uniqueSlug('e')}`,
    slug: uniqueSlug('ev'),
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3 * 60 * 60 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    mode: 'online',
    capacity,
  });
}

async function rows(slug: string) {
  return app.database.kysely
    .selectFrom('rsvps as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['r.user_id', 'r.status', 'r.decided_order'])
    .where('e.slug', '=', slug)
    .orderBy('r.decided_order')
    .execute();
}

async function stored(slug: string) {
  return app.database.kysely
    .selectFrom('events')
    .select(['going_count', 'waitlist_count', 'capacity'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
}

describe('the RSVP storm', () => {
  it('admits exactly capacity going and waitlists the rest in arrival order, every time', async () => {
    const people = await members(1000);
    for (let round = 0; round < 2; round += 1) {
      const event = await newEvent(100);
      const results = await Promise.all(people.map((p) => events.rsvp(p, event.slug, { status: 'going' })));
      expect(results.filter((r) => r.status === 'going')).toHaveLength(100);
      expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(900);
      // Positions 1..900, each once.
      const positions = results.flatMap((r) => (r.waitlistPosition === null ? [] : [r.waitlistPosition]));
      expect([...positions].sort((a, b) => a - b)).toEqual(Array.from({ length: 900 }, (_, i) => i + 1));
      // Arrival order (the order decisions were taken under the event's lock): the first 100 are
      // going, everyone after them waits, in that order.
      const all = await rows(event.slug);
      expect(all).toHaveLength(1000);
      expect(all.slice(0, 100).every((r) => r.status === 'going')).toBe(true);
      expect(all.slice(100).every((r) => r.status === 'waitlisted')).toBe(true);
      const byUser = new Map(people.map((p, i) => [p.id, results[i]!]));
      all.slice(100).forEach((r, index) => expect(byUser.get(r.user_id)?.waitlistPosition).toBe(index + 1));
      expect(await stored(event.slug)).toEqual({ going_count: 100, waitlist_count: 900, capacity: 100 });
    }
  });

  it('promotes exactly one person per freed seat under concurrent cancellations, in waitlist order', async () => {
    const people = await members(60);
    const event = await newEvent(20);
    for (const p of people) await events.rsvp(p, event.slug, { status: 'going' });
    const before = await rows(event.slug);
    const waiting = before.filter((r) => r.status === 'waitlisted').map((r) => r.user_id);
    const leaving = people.slice(0, 10);
    await Promise.all(
      leaving.map((p, i) => events.rsvp(p, event.slug, { status: i % 2 ? 'declined' : 'remove' } as never)),
    );
    const after = await rows(event.slug);
    const going = after.filter((r) => r.status === 'going').map((r) => r.user_id);
    expect(going).toHaveLength(20);
    expect(new Set(going)).toEqual(new Set([...people.slice(10, 20).map((p) => p.id), ...waiting.slice(0, 10)]));
    expect(after.filter((r) => r.status === 'waitlisted').map((r) => r.user_id)).toEqual(waiting.slice(10));
    expect(await stored(event.slug)).toMatchObject({ going_count: 20, waitlist_count: 30 });
  });

  it('decides a mixed burst (new answers, withdrawals, repeats, interest) as if one after the other', async () => {
    const regulars = await members(30);
    const event = await newEvent(10);
    for (const p of regulars) await events.rsvp(p, event.slug, { status: 'going' });
    const newcomers = await members(40);
    const leaving = regulars.slice(0, 5);
    const burst = await Promise.all([
      ...newcomers.map((p, i) => events.rsvp(p, event.slug, { status: i % 4 === 3 ? 'interested' : 'going' })),
      ...leaving.map((p) => events.rsvp(p, event.slug, { status: 'declined' })),
      ...regulars.slice(5, 15).map((p) => events.rsvp(p, event.slug, { status: 'going' })),
      ...newcomers.slice(0, 3).map((p) => events.rsvp(p, event.slug, { status: 'going' })),
    ]);
    expect(burst).toHaveLength(40 + 5 + 10 + 3);
    const after = await rows(event.slug);
    const count = (status: string) => after.filter((r) => r.status === status).length;
    // Every seat is taken (30 regulars and 30 going newcomers competed for 10 seats), never more.
    expect(count('going')).toBe(10);
    expect(count('interested')).toBe(10);
    expect(count('declined')).toBe(5);
    expect(count('waitlisted')).toBe(30 - 5 - 10 + 30);
    expect(after).toHaveLength(30 + 40);
    expect(await stored(event.slug)).toMatchObject({ going_count: 10, waitlist_count: 45 });
    // The waitlist is in decision order and each member's position is where they stand in it.
    const waiting = after.filter((r) => r.status === 'waitlisted');
    for (const [index, r] of waiting.entries()) {
      const detail = await events.get(event.slug, { id: r.user_id, role: 'member' });
      expect(detail.myRsvp?.waitlistPosition).toBe(index + 1);
    }
  });

  it('after cancellation, a burst of declines promotes nobody and forgets their check-ins', async () => {
    const people = await members(10);
    const event = await newEvent(5);
    const answers = [];
    for (const p of people) answers.push(await events.rsvp(p, event.slug, { status: 'going' }));
    for (const a of answers.slice(0, 5)) await events.checkIn(organiser, event.slug, { code: a.ticketCode! });
    await events.cancel(organiser, event.slug);
    // Together, so they are decided in one batch (the RSVP queue), as a rush of people would send them.
    const burst = await Promise.all(people.slice(0, 5).map((p) => events.rsvp(p, event.slug, { status: 'declined' })));
    expect(burst.map((b) => b.status)).toEqual(Array(5).fill('declined'));
    const after = await rows(event.slug);
    expect(after.filter((r) => r.status === 'waitlisted').map((r) => r.user_id)).toEqual(
      people.slice(5).map((p) => p.id),
    );
    expect(after.filter((r) => r.status === 'going')).toEqual([]);
    expect(await stored(event.slug)).toMatchObject({ going_count: 0, waitlist_count: 5 });
    const checked = await app.database.kysely
      .selectFrom('rsvps as r')
      .innerJoin('events as e', 'e.id', 'r.event_id')
      .select('r.user_id')
      .where('e.slug', '=', event.slug)
      .where('r.checked_in_at', 'is not', null)
      .execute();
    expect(checked).toEqual([]);
  });

  it('keeps one row per member however often and concurrently they answer', async () => {
    const [one] = await members(1);
    const event = await newEvent(5);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => events.rsvp(one!, event.slug, { status: 'going' })),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set(['going']));
    expect(await rows(event.slug)).toHaveLength(1);
    expect((await stored(event.slug)).going_count).toBe(1);
  });

  it('raising capacity promotes in order; lowering below those going is refused; never evicts', async () => {
    const people = await members(8);
    const event = await newEvent(3);
    for (const p of people) await events.rsvp(p, event.slug, { status: 'going' });
    const waiting = (await rows(event.slug)).filter((r) => r.status === 'waitlisted').map((r) => r.user_id);
    await events.update(organiser, event.slug, { capacity: 5 });
    let now = await rows(event.slug);
    expect(now.filter((r) => r.status === 'going')).toHaveLength(5);
    expect(new Set(now.filter((r) => r.status === 'going').map((r) => r.user_id))).toContain(waiting[0]);
    expect(new Set(now.filter((r) => r.status === 'going').map((r) => r.user_id))).toContain(waiting[1]);
    await expect(events.update(organiser, event.slug, { capacity: 4 })).rejects.toMatchObject({
      code: 'rule_violation',
      details: [{ field: 'capacity' }],
    });
    // Concurrent capacity changes and RSVPs keep the invariant.
    const more = await members(20);
    const settled = await Promise.allSettled([
      ...more.map((p) => events.rsvp(p, event.slug, { status: 'going' })),
      events.update(organiser, event.slug, { capacity: 9 }),
      events.update(organiser, event.slug, { capacity: 12 }),
    ]);
    // Each change either applies or is refused for trying to go below those going: never a 5xx.
    for (const result of settled) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'rule_violation' });
    }
    expect(settled.slice(0, more.length).every((r) => r.status === 'fulfilled')).toBe(true);
    now = await rows(event.slug);
    const counts = await stored(event.slug);
    expect(now.filter((r) => r.status === 'going')).toHaveLength(counts.capacity!);
    expect(counts.going_count).toBe(counts.capacity);
    // Removing the limit lets the whole waitlist in.
    await events.update(organiser, event.slug, { capacity: null });
    expect((await stored(event.slug)).waitlist_count).toBe(0);
    const { rows: check } = await sql<{
      n: string;
    }>`select count(*) as n from rsvps r join events e on e.id = r.event_id
      where e.slug = ${event.slug} and r.status = 'going'`.execute(app.database.kysely);
    expect(Number(check[0]?.n)).toBe(28);
  });
});
