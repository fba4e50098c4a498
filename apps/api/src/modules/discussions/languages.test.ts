/**
 * Posts carry a language (given, or detected from their words, else the case's), and search finds
 * text in either language by its own words: French-stemmed queries find French cases, translations
 * and posts; English ones still find and rank English text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CaseList } from '@opsi/contracts/cases';
import type { PostList, SearchResults } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, signUp, signUpAs, writePost, type Member } from '../../testing.ts';

let app: FastifyInstance;
let author: Member;
let organiser: Member;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
  author = await signUp(app);
  organiser = await signUpAs(app, 'organiser');
});
afterAll(async () => {
  await app.close();
});

/** A case written in `language`, through the API (so its search vector stems in that language). */
async function caseIn(language: string, title: string, summary: string): Promise<string> {
  const res = await call(app, organiser, {
    method: 'POST',
    url: '/api/v1/cases',
    payload: {
      title,
      summary,
      countries: ['HM'],
      themes: ['digital-government'],
      year: 2025,
      organisation: 'Test organisation',
      levelOfGovernment: 'local',
      stage: 'pilot',
      language,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ slug: string }>().slug;
}

async function get<T>(url: string): Promise<T> {
  const res = await call(app, null, { url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

describe('the language of a post', () => {
  it('is the one given, else detected from the text, else the case’s', async () => {
    const english = await createTestCase(app);
    const french = await caseIn('fr', 'Une consultation citoyenne', 'Les habitants donnent leur avis sur les projets.');
    const fr = await writePost(
      app,
      author,
      english,
      'Nous avons essayé la même chose dans notre ville, avec les élus.',
    );
    const en = await writePost(app, author, french, 'We tried the same thing in our town, with the council.');
    const chosen = await writePost(app, author, english, { body: 'Obrigado pela partilha!', language: 'pt-BR' });
    const shortInFrenchCase = await writePost(app, author, french, '+1');
    const shortInEnglishCase = await writePost(app, author, english, '+1');
    expect([fr.language, en.language, chosen.language]).toEqual(['fr', 'en', 'pt-BR']);
    expect([shortInFrenchCase.language, shortInEnglishCase.language]).toEqual(['fr', 'en']);

    const thread = await get<PostList>(`/api/v1/cases/${english}/posts`);
    expect(thread.items.map((p) => p.language)).toEqual(['fr', 'pt-BR', 'en']);
    const bad = await call(app, author, {
      method: 'POST',
      url: `/api/v1/cases/${english}/posts`,
      payload: { body: 'Hello', language: 'English' },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the language of an edited post', () => {
  it('is detected again from the new text, unless the edit names one; search follows it', async () => {
    const slug = await createTestCase(app);
    const post = await writePost(app, author, slug, 'We tried the same thing in our town, with the council.');
    expect(post.language).toBe('en');
    const edit = (payload: object) => call(app, author, { method: 'PATCH', url: `/api/v1/posts/${post.id}`, payload });
    const word = `budgétisation${Date.now().toString(36).replace(/\d/g, '')}`;
    const french = await edit({ body: `Nous avons refait la ${word} participative dans notre ville, avec les élus.` });
    expect(french.statusCode, french.body).toBe(200);
    expect(french.json<{ language: string }>().language).toBe('fr');
    const found = await get<SearchResults>(`/api/v1/search?q=${encodeURIComponent(word)}&type=posts`);
    const hit = found.items.find((item) => item.type === 'post' && item.post.id === post.id);
    expect(hit?.type === 'post' && hit.post.language).toBe('fr');
    // The same text with a language named: only the language changes, no new version.
    const named = await edit({
      body: `Nous avons refait la ${word} participative dans notre ville, avec les élus.`,
      language: 'fr-CA',
    });
    expect(named.json<{ language: string }>().language).toBe('fr-CA');
    const versions = await get<{ items: unknown[] }>(`/api/v1/posts/${post.id}/revisions`);
    expect(versions.items).toHaveLength(1);
    expect((await edit({ body: 'Back in English, about the council.', language: 'English' })).statusCode).toBe(400);
  });
});

describe('search across English and French', () => {
  it('finds a French case, a French translation and a French post by French words', async () => {
    const word = `zq${Date.now().toString(36)}`; // keeps this test's hits apart from the seeded ones
    const frenchCase = await caseIn(
      'fr',
      `Le budget participatif de Grenoble ${word}`,
      'Chaque année, les habitants proposent et votent des projets financés par la ville.',
    );
    const translated = await caseIn(
      'en',
      `Citizens decide the spending of the town ${word}`,
      'Each year residents propose and vote projects the town pays for.',
    );
    const put = await call(app, organiser, {
      method: 'PUT',
      url: `/api/v1/cases/${translated}/translations/fr`,
      payload: {
        title: `Les citoyens décident ${word}`,
        summary: 'Un budget participatif : les habitants votent les projets.',
      },
    });
    expect(put.statusCode, put.body).toBe(201);
    const discussed = await createTestCase(app);
    const post = await writePost(
      app,
      author,
      discussed,
      `Notre commune lance ses budgets participatifs cette année ${word}.`,
    );
    expect(post.language).toBe('fr');

    // "budgets participatifs" (plural) only matches the singular when stemmed in French.
    const q = encodeURIComponent(`budgets participatifs ${word}`);
    const cases = await get<CaseList>(`/api/v1/cases?q=${q}&limit=50`);
    expect(cases.items.map((c) => c.slug).sort()).toEqual([frenchCase, translated, discussed].sort());

    const found = await get<SearchResults>(`/api/v1/search?q=${q}&lang=fr`);
    const caseHits = found.items.flatMap((h) => (h.type === 'case' ? [h] : []));
    expect(caseHits.map((h) => h.case.slug).sort()).toEqual([frenchCase, translated].sort());
    const translatedHit = caseHits.find((h) => h.case.slug === translated);
    expect(translatedHit?.case).toMatchObject({ textLanguage: 'fr', title: `Les citoyens décident ${word}` });
    expect(translatedHit?.snippet).toContain('<mark>participatif</mark>');
    const postHits = found.items.flatMap((h) => (h.type === 'post' ? [h] : []));
    expect(postHits.map((h) => h.post.id)).toEqual([post.id]);
    expect(postHits[0]?.post.language).toBe('fr');
    expect(postHits[0]?.snippet).toContain('<mark>participatifs</mark>');
    expect(found.total).toEqual({ cases: 2, posts: 1 });
  });

  it('still finds and ranks English text by English words', async () => {
    const word = `zq${(Date.now() + 1).toString(36)}`;
    const inTitle = await caseIn(
      'en',
      `Open budgeting dashboards ${word}`,
      'A city publishes its spending every week.',
    );
    const inSummary = await caseIn('en', `A city portal ${word}`, 'Residents follow the budgets of every district.');
    const q = encodeURIComponent(`budgeting ${word}`);
    const cases = await get<CaseList>(`/api/v1/cases?q=${q}`);
    expect(cases.items.map((c) => c.slug)).toEqual([inTitle, inSummary]);
    const found = await get<SearchResults>(`/api/v1/search?q=${q}&type=cases`);
    expect(found.items.map((h) => (h.type === 'case' ? h.case.slug : h.post.id))).toEqual([inTitle, inSummary]);
  });
});
