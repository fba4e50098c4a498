import { describe, expect, it } from 'vitest';
import type { CaseRevision, CaseRevisionList, StaleVersionProblem } from '@opsi/contracts/case-authoring';
import type { CaseDetail } from '@opsi/contracts/cases';
import type { ErrorBody } from '@opsi/contracts/common';
import { appForFile, call, createTestCase, signUpAll, uniqueSlug } from '../../../testing.ts';

const app = await appForFile({ ABUSE_LIMITS: 'off' });
const [member, organiser, moderator, admin] = await signUpAll(app, 'member', 'organiser', 'moderator', 'admin');

async function current(slug: string): Promise<CaseDetail> {
  const res = await call(app, null, { url: `/api/v1/cases/${slug}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseDetail>();
}

function patch(who: typeof organiser | null, slug: string, payload: Record<string, unknown>) {
  return call(app, who, { method: 'PATCH', url: `/api/v1/cases/${slug}`, payload });
}

async function revisions(slug: string): Promise<CaseRevisionList> {
  const res = await call(app, null, { url: `/api/v1/cases/${slug}/revisions` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseRevisionList>();
}

describe('PATCH /api/v1/cases/:slug', () => {
  it('lets organisers, moderators and admins edit; 401 anonymous, 403 members', async () => {
    const slug = await createTestCase(app);
    expect((await patch(null, slug, { version: 1, title: 'Anonymous edit' })).statusCode).toBe(401);
    const refused = await patch(member, slug, { version: 1, title: 'Member edit' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('forbidden');
    let version = 1;
    for (const who of [organiser, moderator, admin]) {
      const res = await patch(who, slug, { version, title: `Edited by ${who.handle}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<CaseDetail>();
      expect(body.title).toBe(`Edited by ${who.handle}`);
      expect(body.version).toBe(version + 1);
      version = body.version;
    }
    const list = await revisions(slug);
    expect(list.items.map((r) => r.version)).toEqual([4, 3, 2, 1]);
    expect(list.items[0]!.editor).toEqual({ handle: admin.handle, displayName: `Member ${admin.handle}` });
    expect(list.items[3]!.fields.title).toBe(`Test case ${slug}`);
  });

  it('refuses a stale version with 409 stale_version carrying the case as it is now', async () => {
    const slug = await createTestCase(app);
    expect(
      (await patch(organiser, slug, { version: 1, summary: 'The first editor saved this summary.' })).statusCode,
    ).toBe(200);
    const stale = await patch(moderator, slug, { version: 1, summary: 'The second editor started earlier.' });
    expect(stale.statusCode, stale.body).toBe(409);
    const error = stale.json<ErrorBody>().error;
    expect(error.code).toBe('conflict');
    const detail = error.details![0] as StaleVersionProblem;
    expect(detail).toMatchObject({ field: 'version', code: 'stale_version', params: { version: 2 } });
    expect(detail.current.version).toBe(2);
    expect(detail.current.summary).toBe('The first editor saved this summary.');
    expect((await current(slug)).summary).toBe('The first editor saved this summary.');
    expect((await revisions(slug)).items).toHaveLength(2);
    // Resubmitted against the version it was shown, the edit goes through.
    const merged = await patch(moderator, slug, { version: 2, summary: 'The second editor merged both.' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json<CaseDetail>().version).toBe(3);
  });

  it('makes no revision for an edit that changes nothing', async () => {
    const slug = await createTestCase(app);
    const before = await current(slug);
    const res = await patch(organiser, slug, {
      version: 1,
      title: `  ${before.title} `,
      countries: before.countries,
      note: 'nothing really',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseDetail>().version).toBe(1);
    expect((await revisions(slug)).items).toHaveLength(1);
  });

  it('validates as creation does, naming the field', async () => {
    const slug = await createTestCase(app);
    const unknown = await patch(organiser, slug, { version: 1, countries: ['ZZ'], themes: ['no-such-theme'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json<ErrorBody>().error.details?.map((d) => [d.field, d.code])).toEqual([
      ['countries', 'unknown_country'],
      ['themes', 'unknown_theme'],
    ]);
    const blank = await patch(organiser, slug, { version: 1, title: '     ' });
    expect(blank.statusCode).toBe(422);
    expect(blank.json<ErrorBody>().error.details?.[0]?.field).toBe('title');
    const short = await patch(organiser, slug, { version: 1, summary: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json<ErrorBody>().error.details?.[0]?.field).toBe('summary');
    const noVersion = await patch(organiser, slug, { title: 'No version given' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json<ErrorBody>().error.details?.[0]?.field).toBe('version');
    expect((await patch(organiser, 'no-such-case', { version: 1, title: 'Nothing here' })).statusCode).toBe(404);
  });

  it('clears the source URL with null and renders the markdown body', async () => {
    const slug = await createTestCase(app);
    const set = await patch(organiser, slug, {
      version: 1,
      sourceUrl: 'https://example.org/case',
      body: '## What\n\nA **bold** start.\n\n<script>alert(1)</script>',
    });
    expect(set.statusCode, set.body).toBe(200);
    const body = set.json<CaseDetail>();
    expect(body.sourceUrl).toBe('https://example.org/case');
    expect(body.bodyHtml).toContain('<h2>What</h2>');
    expect(body.bodyHtml).toContain('<strong>bold</strong>');
    expect(body.bodyHtml).not.toContain('<script>');
    const cleared = await patch(organiser, slug, { version: 2, sourceUrl: null });
    expect(cleared.json<CaseDetail>().sourceUrl).toBeNull();
  });
});

describe('renaming a case', () => {
  it('moves the slug: the old one answers 301 on the case, its posts and its revisions', async () => {
    const slug = await createTestCase(app);
    const renamed = uniqueSlug('renamed');
    const res = await patch(organiser, slug, { version: 1, slug: renamed, note: 'a better name' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<CaseDetail>().slug).toBe(renamed);
    for (const [path, moved] of [
      ['', ''],
      ['/posts?limit=5', '/posts?limit=5'],
      ['/revisions', '/revisions'],
      ['/revisions/1', '/revisions/1'],
    ] as const) {
      const old = await call(app, null, { url: `/api/v1/cases/${slug}${path}` });
      expect(old.statusCode, `${path}: ${old.body}`).toBe(301);
      expect(old.headers.location).toBe(`/api/v1/cases/${renamed}${moved}`);
    }
    const list = await revisions(renamed);
    expect(list.items[0]).toMatchObject({ version: 2, note: 'a better name' });
    expect(list.items[0]!.fields.slug).toBe(renamed);
    expect(list.items[1]!.fields.slug).toBe(slug);
    const one = await call(app, null, { url: `/api/v1/cases/${renamed}/revisions/1` });
    expect(one.json<CaseRevision>().fields.slug).toBe(slug);
    expect((await call(app, null, { url: `/api/v1/cases/${renamed}/revisions/9` })).statusCode).toBe(404);
    // A slug nobody ever had is still a 404.
    expect((await call(app, null, { url: '/api/v1/cases/never-was-a-case' })).statusCode).toBe(404);
  });

  it("refuses another case's slug or old slug (409 naming slug), and takes back its own old slug", async () => {
    const [one, two] = [await createTestCase(app), await createTestCase(app)];
    const taken = await patch(organiser, one, { version: 1, slug: two });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'slug', code: 'taken' });
    const away = uniqueSlug('away');
    expect((await patch(organiser, two, { version: 1, slug: away })).statusCode).toBe(200);
    const oldOfOther = await patch(organiser, one, { version: 1, slug: two });
    expect(oldOfOther.statusCode).toBe(409);
    expect(oldOfOther.json<ErrorBody>().error.details?.[0]?.field).toBe('slug');
    const back = await patch(organiser, away, { version: 2, slug: two });
    expect(back.statusCode, back.body).toBe(200);
    expect((await current(two)).version).toBe(3);
    const fromAway = await call(app, null, { url: `/api/v1/cases/${away}` });
    expect(fromAway.statusCode).toBe(301);
    expect(fromAway.headers.location).toBe(`/api/v1/cases/${two}`);
  });

  it("does not let a new case take a renamed case's old slug: it still leads to the renamed case", async () => {
    const slug = await createTestCase(app);
    const renamed = uniqueSlug('moved');
    expect((await patch(organiser, slug, { version: 1, slug: renamed })).statusCode).toBe(200);
    const body = {
      slug,
      title: 'A newcomer wanting the old address',
      summary: 'A new case asking for the slug a renamed case had.',
      countries: ['HM'],
      themes: ['digital-government'],
      year: 2026,
      organisation: 'Test organisation',
      levelOfGovernment: 'national',
      stage: 'pilot',
    };
    const taken = await call(app, organiser, { method: 'POST', url: '/api/v1/cases', payload: body });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'slug', code: 'taken' });
    const { slug: _chosen, ...untitled } = body;
    const generated = await call(app, organiser, {
      method: 'POST',
      url: '/api/v1/cases',
      payload: { ...untitled, title: slug },
    });
    expect(generated.statusCode, generated.body).toBe(201);
    expect(generated.json<CaseDetail>().slug).not.toBe(slug);
    const old = await call(app, null, { url: `/api/v1/cases/${slug}` });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/api/v1/cases/${renamed}`);
  });

  it('keeps the followers of a renamed case following it', async () => {
    const slug = await createTestCase(app);
    expect((await call(app, member, { method: 'PUT', url: `/api/v1/follows/case/${slug}` })).statusCode).toBe(200);
    const renamed = uniqueSlug('followed');
    expect((await patch(organiser, slug, { version: 1, slug: renamed })).statusCode).toBe(200);
    const state = await call(app, member, { url: `/api/v1/follows/case/${renamed}` });
    expect(state.json<{ following: boolean }>().following).toBe(true);
    // As with post edits, an edit makes no feed item (the feed shows what is new, not every change).
    const feed = await call(app, member, { url: '/api/v1/me/feed' });
    expect(feed.json<{ items: { verb: string }[] }>().items.filter((i) => i.verb === 'updated')).toEqual([]);
  });
});

describe('GET /api/v1/cases/:slug/revisions', () => {
  it('pages newest first with a cursor', async () => {
    const slug = await createTestCase(app);
    for (let version = 1; version <= 3; version += 1) {
      expect(
        (await patch(organiser, slug, { version, summary: `Summary number ${version} of this case.` })).statusCode,
      ).toBe(200);
    }
    const first = await call(app, null, { url: `/api/v1/cases/${slug}/revisions?limit=3` });
    const page = first.json<CaseRevisionList>();
    expect(page.items.map((r) => r.version)).toEqual([4, 3, 2]);
    const next = await call(app, null, {
      url: `/api/v1/cases/${slug}/revisions?limit=3&cursor=${encodeURIComponent(page.nextCursor!)}`,
    });
    expect(next.json<CaseRevisionList>()).toMatchObject({
      items: [{ version: 1, editor: expect.anything() }],
      nextCursor: null,
    });
    expect((await call(app, null, { url: `/api/v1/cases/${slug}/revisions?cursor=nonsense` })).statusCode).toBe(400);
  });
});

describe('POST /api/v1/markdown/preview', () => {
  it('renders as the server stores it, for signed-in members only', async () => {
    const payload = { body: 'Hello *there* <b>raw</b>' };
    expect((await call(app, null, { method: 'POST', url: '/api/v1/markdown/preview', payload })).statusCode).toBe(401);
    const res = await call(app, member, { method: 'POST', url: '/api/v1/markdown/preview', payload });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ html: string }>().html).toBe('<p>Hello <em>there</em> &lt;b&gt;raw&lt;/b&gt;</p>\n');
    const big = await call(app, member, {
      method: 'POST',
      url: '/api/v1/markdown/preview',
      payload: { body: 'x'.repeat(50001) },
    });
    expect(big.statusCode).toBe(400);
  });
});
