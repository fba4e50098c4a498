import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { EventDetail } from '@opsi/contracts/events';
import type { PollList, QuestionList } from '@opsi/contracts/live';
import { createTestApp } from '../../testing.ts';
import { seedDemoMembers } from '../profiles/service.ts';
import { seedDemoEvents } from './service.ts';
import { seedDemoLive } from './qa/seed.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('demo events', () => {
  it('are added once, ahead of the first start, with answers and a waitlist where full', async () => {
    await seedDemoMembers(app.database);
    await seedDemoEvents(app.database, app.events, app.clock());
    expect(await seedDemoEvents(app.database, app.events, app.clock())).toBe(0);
    const get = async (slug: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/events/${slug}` })).json<EventDetail>();
    const conference = await get('opsi-conference-new-normal');
    expect(conference).toMatchObject({ capacity: 500, goingCount: 18, timezone: 'Europe/Paris', mode: 'hybrid' });
    expect(Date.parse(conference.startsAt)).toBeGreaterThan(Date.now() + 30 * 24 * 60 * 60 * 1000);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
    expect(local.format(new Date(conference.startsAt))).toBe('09:00');
    expect(conference.cases.map((c) => c.slug)).toContain('my-france-2022');
    const meetup = await get('latin-america-innovators-meetup');
    expect(meetup).toMatchObject({ capacity: 8, goingCount: 8, waitlistCount: 2, seatsLeft: 0 });
    const taskForce = await get('opsi-task-force-spring-meeting');
    expect(taskForce.seatsLeft).toBe(1);
    // The demo members' answers send no confirmation emails.
    const confirmations = await app.database.kysely
      .selectFrom('jobs')
      .select('key')
      .where('kind', '=', 'email.rsvp_confirmed')
      .execute();
    expect(confirmations).toEqual([]);
  });

  it('give the conference an open Q&A with voted questions and a running poll, once', async () => {
    expect(await seedDemoLive(app.database, app.live)).toBe(3);
    expect(await seedDemoLive(app.database, app.live)).toBe(0);
    const questions = (
      await app.inject({ method: 'GET', url: '/api/v1/events/opsi-conference-new-normal/questions?sort=top' })
    ).json<QuestionList>();
    expect(questions.qa.open).toBe(true);
    expect(questions.items.map((q) => [q.author?.handle, q.votes])).toEqual([
      ['kwame-asante-boateng', 5],
      ['lucia-ferreira-santos', 3],
      ['aiko-tanabe', 1],
    ]);
    const polls = (
      await app.inject({ method: 'GET', url: '/api/v1/events/opsi-conference-new-normal/polls' })
    ).json<PollList>();
    expect(polls.items).toHaveLength(1);
    expect(polls.items[0]!.options.map((o) => o.votes)).toEqual([1, 1, 3]);
  });
});
