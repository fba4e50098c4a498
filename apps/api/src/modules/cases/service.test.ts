import { describe, expect, it } from 'vitest';
import type { NewCase } from '@opsi/contracts/cases';
import { appForFile, rejectsWith, signUpAll, uniqueSlug } from '../../testing.ts';
import { listActivitiesAfter } from '../../platform/outbox/repository.ts';
import { slugify, type CasesService } from './service.ts';

const app = await appForFile();
const cases: CasesService = app.cases;

// Real accounts: a case records who created it.
const [organiserMember, moderatorMember, adminMember] = await signUpAll(app, 'organiser', 'moderator', 'admin');
const organiser = { id: organiserMember.user.id, role: 'organiser' as const };
const byRole = { organiser: organiserMember.user.id, moderator: moderatorMember.user.id, admin: adminMember.user.id };

function newCase(overrides: Partial<NewCase> = {}): NewCase {
  return {
    title: 'Open budget dashboards for municipalities',
    summary: 'A city publishes its budget as open data with dashboards residents can explore.',
    countries: ['PT', 'BR'],
    themes: ['open-government'],
    year: 2025,
    organisation: 'City of Lisbon',
    levelOfGovernment: 'local',
    stage: 'pilot',
    ...overrides,
  };
}

describe('creating a case', () => {
  it('is refused to anonymous callers and to members', async () => {
    await rejectsWith(cases.create(null, newCase({ slug: uniqueSlug('anon') })), 'unauthorized');
    await rejectsWith(cases.create({ id: '2', role: 'member' }, newCase({ slug: uniqueSlug('member') })), 'forbidden');
  });

  it('lets organisers, moderators and admins add a case, with its activity in the outbox', async () => {
    const before = app.activities.lastId();
    for (const role of ['organiser', 'moderator', 'admin'] as const) {
      const slug = uniqueSlug(role);
      const created = await cases.create({ id: byRole[role], role }, newCase({ slug }));
      expect(created).toMatchObject({ slug, countries: ['BR', 'PT'], themes: ['open-government'], postCount: 0 });
      // As a write route does after commit: read the outbox now, which empties the public cache.
      await app.activities.poke();
      const found = await app.inject({
        method: 'GET',
        url: `/api/v1/cases?q=${encodeURIComponent('budget dashboards')}&limit=100`,
      });
      expect(found.json<{ items: { slug: string }[] }>().items.map((c) => c.slug)).toContain(slug);
      const activities = await listActivitiesAfter(app.database.kysely, {
        afterId: before,
        publicOnly: true,
        limit: 100,
      });
      expect(activities.find((a) => a.objectId === slug)).toMatchObject({
        verb: 'created',
        objectType: 'case',
        countries: ['PT', 'BR'],
        themes: ['open-government'],
      });
    }
  });

  it('names unknown countries and themes, and writes nothing', async () => {
    const slug = uniqueSlug('bad-refs');
    const error = await rejectsWith(
      cases.create(organiser, newCase({ slug, countries: ['ZZ'], themes: ['no-such-theme'] })),
      'rule_violation',
    );
    expect(error.details).toEqual([
      { field: 'countries', code: 'unknown_country', message: expect.stringContaining('ZZ'), params: { value: 'ZZ' } },
      {
        field: 'themes',
        code: 'unknown_theme',
        message: expect.stringContaining('no-such-theme'),
        params: { value: 'no-such-theme' },
      },
    ]);
    await rejectsWith(cases.get(slug), 'not_found');
  });

  it('refuses a taken explicit slug with a conflict, and numbers generated ones', async () => {
    const slug = uniqueSlug('taken');
    await cases.create(organiser, newCase({ slug }));
    await rejectsWith(cases.create(organiser, newCase({ slug })), 'conflict');

    const title = `Lab ${slug}`;
    const a = await cases.create(organiser, newCase({ title }));
    const b = await cases.create(organiser, newCase({ title }));
    expect(a.slug).toBe(slugify(title));
    expect(b.slug).toBe(`${slugify(title).slice(0, 36)}-2`);
  });
});

describe('slugify', () => {
  it('makes readable ASCII slugs of 2 to 40 characters', () => {
    expect(slugify('Pol.is in Canada — été 2022')).toBe('pol-is-in-canada-ete-2022');
    expect(slugify('#MyFrance2022')).toBe('myfrance2022');
    expect(slugify('!')).toBe('case-new');
    expect(slugify('New')).toBe('new-case');
    expect(slugify('Mine!')).toBe('mine-case');
    expect(slugify('a'.repeat(80))).toHaveLength(40);
    expect(slugify('Ünïcödé ständard')).toMatch(/^[a-z0-9-]{2,40}$/);
  });
});

describe('a new case keeps its language, its source id and its first revision', () => {
  it('stores language and sourceId, starts at version 1 and refuses a second case with the same sourceId', async () => {
    const sourceId = `OPSI-${uniqueSlug('src')}`;
    const created = await cases.create(organiser, newCase({ slug: uniqueSlug('lang'), language: 'fr', sourceId }));
    expect(created).toMatchObject({ language: 'fr', sourceId, version: 1 });
    const revisions = await app.database.kysely
      .selectFrom('case_revisions')
      .innerJoin('cases', 'cases.id', 'case_revisions.case_id')
      .select(['case_revisions.version', 'case_revisions.fields'])
      .where('cases.slug', '=', created.slug)
      .execute();
    expect(revisions).toEqual([
      { version: 1, fields: expect.objectContaining({ slug: created.slug, language: 'fr', countries: ['BR', 'PT'] }) },
    ]);
    const error = await rejectsWith(
      cases.create(organiser, newCase({ slug: uniqueSlug('dup'), sourceId })),
      'conflict',
    );
    expect(error.details).toEqual([expect.objectContaining({ field: 'sourceId' })]);
  });
});
