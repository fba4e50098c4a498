/**
 * `/cases/new`, `/events/new` and `/events/mine` are pages: no case or event may take those words
 * as its slug, chosen (400 naming `slug`) or made from a title ("New" becomes "new-case").
 */
import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '@opsi/contracts/cases';
import type { EventDetail } from '@opsi/contracts/events';
import { appForFile, call, signUpAll, type Member } from '../../testing.ts';

const app = await appForFile();
const [organiser, member] = await signUpAll(app, 'organiser', 'member');

const DAY = 24 * 60 * 60 * 1000;
const eventBody = (overrides: Record<string, unknown>) => ({
  title: 'A reserved word as an event address',
  description: 'An event whose address would hide a page of events.',
  startsAt: new Date(Date.now() + 10 * DAY).toISOString(),
  endsAt: new Date(Date.now() + 10 * DAY + 7_200_000).toISOString(),
  timezone: 'Europe/Paris',
  mode: 'online',
  onlineUrl: 'https://meet.example.org/room',
  capacity: 20,
  countries: ['FR'],
  themes: ['digital-government'],
  ...overrides,
});

const caseBody = (overrides: Record<string, unknown>) => ({
  title: 'A reserved word as a case address',
  summary: 'A case whose address would hide the page that adds cases.',
  countries: ['FR'],
  themes: ['open-government'],
  year: 2025,
  organisation: 'Ville de Lyon',
  levelOfGovernment: 'local',
  stage: 'pilot',
  ...overrides,
});

async function refusedOnSlug(who: Member, method: 'POST' | 'PATCH', url: string, payload: unknown) {
  const res = await call(app, who, { method, url, payload });
  expect(res.statusCode, res.body).toBe(400);
  const fields = res.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field);
  expect(fields).toContain('slug');
}

describe('reserved slugs', () => {
  it('refuses "new" and "mine" as a chosen slug for a case, a proposal, a rename and an event', async () => {
    for (const slug of ['new', 'mine']) {
      await refusedOnSlug(organiser, 'POST', '/api/v1/cases', caseBody({ slug }));
      await refusedOnSlug(member, 'POST', '/api/v1/cases', caseBody({ slug }));
      await refusedOnSlug(organiser, 'POST', '/api/v1/events', eventBody({ slug }));
    }
    const made = await call(app, organiser, { method: 'POST', url: '/api/v1/cases', payload: caseBody({}) });
    expect(made.statusCode, made.body).toBe(201);
    const { slug, version } = made.json<CaseDetail>();
    await refusedOnSlug(organiser, 'PATCH', `/api/v1/cases/${slug}`, { version, slug: 'new' });
    // Words that merely start with one are fine.
    const renamed = await call(app, organiser, {
      method: 'PATCH',
      url: `/api/v1/cases/${slug}`,
      payload: { version, slug: `new-${slug}`.slice(0, 40) },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
  });

  it('makes "new-case" of a case or an event titled "New"', async () => {
    const made = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/cases',
      payload: caseBody({ title: 'New' }),
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json<CaseDetail>().slug).toMatch(/^new-case(-\d+)?$/);
    const event = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/events',
      payload: eventBody({ title: 'Mine' }),
    });
    expect(event.statusCode, event.body).toBe(201);
    expect(event.json<EventDetail>().slug).toMatch(/^mine-case(-\d+)?$/);
  });
});
