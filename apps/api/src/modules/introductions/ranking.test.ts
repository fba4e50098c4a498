/**
 * The quality of matches: members seeded with known overlaps with one asker come in the expected
 * order with the right reasons; same-country, opted-out, blocked (either way) and suspended
 * members never come.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Match } from '@opsi/contracts/introductions';
import { call, createTestApp, createTestCase, signUpAs, uniqueSlug, writePost, type Member } from '../../testing.ts';
import { follow, matchesOf, profiled } from './testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

const DAY = 24 * 60 * 60 * 1000;

async function eventGoneToBy(title: string, ...who: Member[]): Promise<void> {
  const organiser = await signUpAs(app, 'organiser');
  const starts = new Date(Date.now() + 10 * DAY);
  const slug = uniqueSlug('ev');
  const created = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title,
      slug,
      description: 'An event of the ranking test.',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 2 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/room',
      capacity: 50,
      countries: ['FR'],
      themes: ['digital-government'],
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  for (const member of who) {
    const res = await call(app, member, {
      method: 'PUT',
      url: `/api/v1/events/${slug}/rsvp`,
      payload: { status: 'going' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  }
}

const WORK = 'Participatory budgeting and citizen assemblies in municipalities';

describe('matches', () => {
  it('ranks the closest first, with the reasons in words, and never offers whom it must not', async () => {
    const asker = await profiled(app, { country: 'FR', themes: ['digital-government'], headline: WORK });
    const closest = await profiled(app, { country: 'CA', themes: ['digital-government'], bio: WORK });
    const wordsToo = await profiled(app, {
      country: 'BR',
      themes: ['digital-government'],
      headline: 'Citizen assemblies',
    });
    const themeOnly = await profiled(app, { country: 'JP', themes: ['digital-government'] });
    const nothing = await profiled(app, { country: 'KE', themes: [] });
    const sameCountry = await profiled(app, { country: 'FR', themes: ['digital-government'], bio: WORK });
    const optedOut = await profiled(app, { country: 'DE', themes: ['digital-government'], bio: WORK, open: false });
    const blocked = await profiled(app, { country: 'IT', themes: ['digital-government'], bio: WORK });
    const blocker = await profiled(app, { country: 'ES', themes: ['digital-government'], bio: WORK });
    const suspended = await profiled(app, { country: 'PT', themes: ['digital-government'], bio: WORK });
    const everyone = [closest, sameCountry, optedOut, blocked, blocker, suspended];
    // Sharing only a theme: found as one of the first followers of the asker's themes.
    await follow(app, themeOnly, 'theme', 'digital-government');

    const caseTitle = `Pol.is for open policy-making ${uniqueSlug('t')}`;
    const slug = await createTestCase(app, { title: caseTitle });
    const followedTitle = `Followed case ${uniqueSlug('t')}`;
    const followed = await createTestCase(app, { title: followedTitle });
    for (const who of [asker, ...everyone]) {
      await writePost(app, who, slug, 'We tried this in our city.');
      await follow(app, who, 'case', followed);
    }
    const eventTitle = `OPSI annual conference ${uniqueSlug('t')}`;
    await eventGoneToBy(eventTitle, asker, ...everyone);

    expect((await call(app, asker, { method: 'PUT', url: `/api/v1/me/blocks/${blocked.handle}` })).statusCode).toBe(
      200,
    );
    expect((await call(app, blocker, { method: 'PUT', url: `/api/v1/me/blocks/${asker.handle}` })).statusCode).toBe(
      200,
    );
    const moderator = await signUpAs(app, 'moderator');
    const suspension = await call(app, moderator, {
      method: 'POST',
      url: `/api/v1/moderation/people/${suspended.handle}/suspension`,
      payload: { reason: 'spam', days: 7 },
    });
    expect(suspension.statusCode, suspension.body).toBe(200);

    const list = await matchesOf(app, asker);
    expect(list.openToIntroductions).toBe(true);
    const handles = list.items.map((m) => m.person.handle);
    const ours = [closest, wordsToo, themeOnly, nothing].map((m) => m.handle);
    expect(handles.filter((h) => ours.includes(h))).toEqual([closest.handle, wordsToo.handle, themeOnly.handle]);
    for (const never of [sameCountry, optedOut, blocked, blocker, suspended, asker]) {
      expect(handles).not.toContain(never.handle);
    }
    expect(list.items.every((m) => m.person.countryCode !== 'FR')).toBe(true);
    const scores = list.items.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const best = list.items.find((m) => m.person.handle === closest.handle)!;
    expect(best.reasons).toEqual(
      expect.arrayContaining<Match['reasons'][number]>([
        { kind: 'case', label: caseTitle, via: 'discussion' },
        { kind: 'event', label: eventTitle },
        { kind: 'case', label: followedTitle, via: 'follow' },
        { kind: 'theme', label: 'Digital government' },
      ]),
    );
    const words = best.reasons.find((r) => r.kind === 'text')!.label.split(', ');
    expect(words).toEqual(expect.arrayContaining(['assemblies', 'budgeting', 'participatory', 'citizen']));
    expect(best.reasons[0]).toMatchObject({ kind: 'case', via: 'discussion' });
    const second = list.items.find((m) => m.person.handle === wordsToo.handle)!;
    expect(second.reasons.map((r) => r.kind).sort()).toEqual(['text', 'theme']);

    // In French, theme names are French; the other side sees the asker too (both opted in).
    const french = await matchesOf(app, asker, 'limit=50&lang=fr');
    const theme = french.items.find((m) => m.person.handle === themeOnly.handle)!.reasons[0]!;
    expect(theme.kind).toBe('theme');
    expect(theme.label).not.toBe('Digital government');
    expect((await matchesOf(app, closest)).items.map((m) => m.person.handle)).toContain(asker.handle);

    // Opting out removes a member from everyone's matches at once.
    await call(app, closest, { method: 'PATCH', url: '/api/v1/me/profile', payload: { openToIntroductions: false } });
    expect((await matchesOf(app, asker)).items.map((m) => m.person.handle)).not.toContain(closest.handle);
  });
});
