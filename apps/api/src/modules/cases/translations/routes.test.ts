/** Translations of cases: who may write them, and how readers get them with `?lang=`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseDetail, CaseList } from '@opsi/contracts/cases';
import type { CaseTranslation } from '@opsi/contracts/case-translations';
import type { ErrorBody } from '@opsi/contracts/common';
import { call, createTestApp, createTestCase, signUpAs, type Member } from '../../../testing.ts';

let app: FastifyInstance;
let member: Member;
let organiser: Member;
let moderator: Member;
let admin: Member;
beforeAll(async () => {
  app = await createTestApp();
  [member, organiser, moderator, admin] = await Promise.all([
    signUpAs(app, 'member'),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'moderator'),
    signUpAs(app, 'admin'),
  ]);
});
afterAll(async () => {
  await app.close();
});

const french = (n = 1) => ({
  title: `Budget participatif de la commune (${n})`,
  summary: 'Les habitants votent chaque année les projets financés par un budget participatif.',
  body: 'Le budget participatif réserve une part des investissements aux projets proposés par les habitants.',
});

const put = (who: Member | null, slug: string, language: string, payload: unknown) =>
  call(app, who, { method: 'PUT', url: `/api/v1/cases/${slug}/translations/${language}`, payload });
const remove = (who: Member | null, slug: string, language: string) =>
  call(app, who, { method: 'DELETE', url: `/api/v1/cases/${slug}/translations/${language}` });
const read = async (url: string) => {
  const res = await call(app, null, { url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseDetail>();
};

describe('PUT and DELETE /api/v1/cases/:slug/translations/:language', () => {
  it('lets organisers, moderators and admins write and delete translations, nobody else', async () => {
    const slug = await createTestCase(app);
    expect((await put(null, slug, 'fr', french())).statusCode).toBe(401);
    const refused = await put(member, slug, 'fr', french());
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('forbidden');

    const created = await put(organiser, slug, 'fr', french(1));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<CaseTranslation>()).toMatchObject({ caseSlug: slug, language: 'fr', ...french(1) });
    expect((await put(moderator, slug, 'fr', french(2))).statusCode).toBe(200);
    const replaced = await put(admin, slug, 'fr', french(3));
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json<CaseTranslation>().title).toBe(french(3).title);
    expect((await put(admin, slug, 'pt-BR', { ...french(4), title: 'Orçamento participativo' })).statusCode).toBe(201);

    expect((await remove(null, slug, 'fr')).statusCode).toBe(401);
    expect((await remove(member, slug, 'fr')).statusCode).toBe(403);
    expect((await remove(organiser, slug, 'fr')).statusCode).toBe(204);
    expect((await remove(moderator, slug, 'fr')).statusCode).toBe(404);
    expect((await read(`/api/v1/cases/${slug}`)).translations).toEqual(['pt-BR']);
  });

  it('refuses the case’s own language, a bad tag, blank text and an unknown case, naming the field', async () => {
    const slug = await createTestCase(app);
    const same = await put(organiser, slug, 'en', french());
    expect(same.statusCode).toBe(422);
    expect(same.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'language', code: 'same_language' });
    const badTag = await put(organiser, slug, 'French', french());
    expect(badTag.statusCode).toBe(400);
    expect(badTag.json<ErrorBody>().error.details?.[0]?.field).toMatch(/language/);
    const blank = await put(organiser, slug, 'fr', { ...french(), title: '     ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'title', code: 'blank' });
    const extra = await put(organiser, slug, 'fr', { ...french(), language: 'fr' });
    expect(extra.statusCode).toBe(400);
    expect((await put(organiser, 'no-such-case-here', 'fr', french())).statusCode).toBe(404);
    expect((await read(`/api/v1/cases/${slug}`)).translations).toEqual([]);
  });
});

describe('reading a case in a language (?lang=)', () => {
  it('gives the translation where there is one and says which language each text is in', async () => {
    const slug = await createTestCase(app, { title: 'Participatory budgeting in the town' });
    // Read first so the untranslated answer is in the public cache: the translation must not be hidden by it.
    const before = await read(`/api/v1/cases/${slug}?lang=fr`);
    expect(before).toMatchObject({
      title: 'Participatory budgeting in the town',
      textLanguage: 'en',
      translations: [],
    });

    expect((await put(organiser, slug, 'fr', french())).statusCode).toBe(201);
    const inFrench = await read(`/api/v1/cases/${slug}?lang=fr`);
    expect(inFrench).toMatchObject({
      ...french(),
      language: 'en',
      textLanguage: 'fr',
      bodyLanguage: 'fr',
      translations: ['fr'],
    });
    const inEnglish = await read(`/api/v1/cases/${slug}`);
    expect(inEnglish).toMatchObject({ title: 'Participatory budgeting in the town', textLanguage: 'en' });
    expect((await read(`/api/v1/cases/${slug}?lang=de`)).textLanguage).toBe('en');

    // A translation without a body leaves the case's own body, in its own language.
    expect((await put(organiser, slug, 'fr', { ...french(), body: '' })).statusCode).toBe(200);
    const noBody = await read(`/api/v1/cases/${slug}?lang=fr`);
    expect(noBody).toMatchObject({ title: french().title, textLanguage: 'fr', bodyLanguage: 'en', body: '' });

    const list = await call(app, null, { url: `/api/v1/cases?theme=digital-government&country=HM&limit=100&lang=fr` });
    const item = list.json<CaseList>().items.find((c) => c.slug === slug);
    expect(item).toMatchObject({ title: french().title, summary: french().summary, textLanguage: 'fr' });
    const listEn = await call(app, null, { url: `/api/v1/cases?country=HM&limit=100` });
    expect(listEn.json<CaseList>().items.find((c) => c.slug === slug)?.textLanguage).toBe('en');
  });
});

describe('the demo translations', () => {
  it('are seeded: a demo case reads in French, and French words find it', async () => {
    const rome = await read('/api/v1/cases/romadecide-viii-district?lang=fr');
    expect(rome).toMatchObject({ language: 'en', textLanguage: 'fr', bodyLanguage: 'fr', translations: ['fr'] });
    expect(rome.title).toContain('budget participatif');
    const found = await call(app, null, { url: `/api/v1/cases?q=${encodeURIComponent('arrondissement')}&lang=fr` });
    expect(found.json<CaseList>().items.map((c) => c.slug)).toContain('romadecide-viii-district');
  });
});
