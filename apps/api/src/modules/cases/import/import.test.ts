import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appForFile, uniqueSlug } from '../../../testing.ts';
import { casesCsv, casesJson, generateCases, GENERATED_COUNTRIES } from './generate.ts';
import { importCases } from './service.ts';

const app = await appForFile();
const db = app.database.kysely;

async function counts(prefix: string) {
  const { rows } = await sql<{ cases: string; revisions: string; versions: string; activities: string }>`
    select
      (select count(*) from cases where source_id like ${`${prefix}%`}) as cases,
      (select count(*) from case_revisions r join cases c on c.id = r.case_id where c.source_id like ${`${prefix}%`}) as revisions,
      (select coalesce(sum(version), 0) from cases where source_id like ${`${prefix}%`}) as versions,
      (select count(*) from activities) as activities
  `.execute(db);
  const r = rows[0]!;
  return {
    cases: Number(r.cases),
    revisions: Number(r.revisions),
    versions: Number(r.versions),
    activities: Number(r.activities),
  };
}

describe('import-cases', () => {
  it('imports 1,084 generated cases, maps their countries and themes, and a re-import changes nothing', async () => {
    const prefix = `${uniqueSlug('gen')}-`;
    const generated = generateCases(1084, { prefix });
    const first = await importCases(app.database, casesCsv(generated), 'csv');
    expect(first).toMatchObject({ rows: 1084, inserted: 1084, updated: 0, unchanged: 0, rejected: [] });
    const after = await counts(prefix);
    expect(after).toMatchObject({ cases: 1084, revisions: 1084, versions: 1084 });

    const { rows } = await sql<{ countries: string; themes: string }>`
      select (select count(distinct c) from cases, unnest(countries) c where source_id like ${`${prefix}%`}) as countries,
             (select count(distinct t) from cases, unnest(themes) t where source_id like ${`${prefix}%`}) as themes
    `.execute(db);
    const themes = await db
      .selectFrom('themes')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(rows[0]!.countries)).toBe(GENERATED_COUNTRIES);
    expect(Number(rows[0]!.themes)).toBe(Number(themes.n));
    // The first generated case, its names mapped to codes and slugs, as the API shows it.
    const one = generated[0]!;
    const stored = await db
      .selectFrom('cases')
      .selectAll()
      .where('source_id', '=', one.sourceId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ title: one.title, year: one.year, language: one.language, version: 1 });
    expect(stored.countries.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    const revision = await db.selectFrom('case_revisions').selectAll().where('case_id', '=', stored.id).execute();
    expect(revision).toMatchObject([{ version: 1, editor_id: null }]);

    // The same cases again, as JSON this time: nothing at all is written.
    const again = await importCases(app.database, casesJson(generated), 'json');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1084, rejected: [], activities: 0 });
    expect(await counts(prefix)).toEqual(after);
  });

  it('updates a changed row with a new version and a revision noted "import", and leaves the others alone', async () => {
    const prefix = `${uniqueSlug('chg')}-`;
    const generated = generateCases(5, { prefix, seed: 7 });
    await importCases(app.database, casesJson(generated), 'json');
    const before = await counts(prefix);
    const changed = generated.map((c, i) => (i === 2 ? { ...c, title: `${c.title} (revised)`, year: 2011 } : c));
    const report = await importCases(app.database, casesJson(changed), 'json');
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 4, rejected: [], activities: 0 });
    const row = await db
      .selectFrom('cases')
      .select(['id', 'title', 'year', 'version', 'slug'])
      .where('source_id', '=', generated[2]!.sourceId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: `${generated[2]!.title} (revised)`, year: 2011, version: 2 });
    const revisions = await db
      .selectFrom('case_revisions')
      .select(['version', 'editor_id', 'note', 'fields'])
      .where('case_id', '=', row.id)
      .orderBy('version')
      .execute();
    expect(revisions.map((r) => [r.version, r.editor_id, r.note])).toEqual([
      [1, null, 'import'],
      [2, null, 'import'],
    ]);
    expect(revisions[1]!.fields).toMatchObject({ title: row.title, year: 2011, slug: row.slug });
    // No activity for an update: only the revision records it.
    expect(await counts(prefix)).toEqual({ ...before, revisions: before.revisions + 1, versions: before.versions + 1 });
  });

  it('rejects bad rows with their line and the field, and still imports the good ones', async () => {
    const prefix = uniqueSlug('bad');
    const header =
      'sourceId,title,summary,countries,themes,year,organisation,levelOfGovernment,stage,sourceUrl,language';
    const good = (id: string, extra = '') =>
      `${prefix}-${id},Open budgets ${id},"A city publishes its budget, with dashboards.",France;DE,open-government,2020,City,local,pilot,${extra},fr`;
    const text = [
      header,
      good('1', 'https://example.org/a'),
      `${prefix}-2,"A title
spanning two lines",short,Atlantis,Not a theme,1800,City,galactic,pilot,ftp://x,en`,
      `,No source id here,"A summary long enough.",FR,open-government,2020,City,local,pilot,,en`,
      good('1'),
      `${prefix}-5,"Fine title","A summary long enough.",FR,open-government,twenty,City,local,someday,,EN-GB`,
    ].join('\n');
    const report = await importCases(app.database, text, 'csv');
    expect(report).toMatchObject({ rows: 5, inserted: 1 });
    const byLine = Object.fromEntries(report.rejected.map((r) => [r.line, r.reasons.map((x) => x.field).sort()]));
    expect(byLine).toEqual({
      3: ['countries', 'levelOfGovernment', 'sourceUrl', 'summary', 'themes', 'year'],
      5: ['sourceId'],
      6: ['sourceId'],
      7: ['stage', 'year'],
    });
    const messages = report.rejected.flatMap((r) => r.reasons.map((x) => x.message));
    expect(messages).toEqual(
      expect.arrayContaining([
        'countries: "Atlantis" is not a country (ISO code, English or French name)',
        'themes: "Not a theme" is not a theme (slug, English or French name)',
        'year must be 1900 or later',
        'summary must be at least 10 characters',
        'levelOfGovernment must be one of local, regional, national, international',
        'sourceUrl must be an http(s) URL',
        `sourceId "${prefix}-1" is also on line 2`,
        'year must be a whole number',
      ]),
    );
    const stored = await db
      .selectFrom('cases')
      .select(['countries', 'language', 'source_url'])
      .where('source_id', '=', `${prefix}-1`)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ countries: ['DE', 'FR'], language: 'fr', source_url: 'https://example.org/a' });
  });

  it('maps French names and English ones whatever their case and accents, and codes and slugs', async () => {
    const prefix = uniqueSlug('fr');
    const base = {
      summary: 'Une ville publie son budget en données ouvertes.',
      year: 2021,
      organisation: 'Ville de Lyon',
      levelOfGovernment: 'local',
      stage: 'implementation',
    };
    const text = JSON.stringify({
      cases: [
        {
          ...base,
          sourceId: `${prefix}-a`,
          title: 'Budget ouvert',
          countries: ['côte d’ivoire', 'ALLEMAGNE', 'be'],
          themes: ['Gouvernement ouvert', 'DESIGN DES SERVICES PUBLICS'],
          language: 'fr',
        },
        {
          ...base,
          sourceId: `${prefix}-b`,
          title: 'Open budget',
          countries: 'Cote d Ivoire;Germany',
          themes: 'open-government;Service design',
        },
      ],
    });
    const report = await importCases(app.database, text, 'json');
    expect(report).toMatchObject({ inserted: 2, rejected: [] });
    const rows = await db
      .selectFrom('cases')
      .select(['source_id', 'countries', 'themes', 'language'])
      .where('source_id', 'in', [`${prefix}-a`, `${prefix}-b`])
      .orderBy('source_id')
      .execute();
    expect(rows).toEqual([
      {
        source_id: `${prefix}-a`,
        countries: ['BE', 'CI', 'DE'],
        themes: ['open-government', 'service-design'],
        language: 'fr',
      },
      {
        source_id: `${prefix}-b`,
        countries: ['CI', 'DE'],
        themes: ['open-government', 'service-design'],
        language: 'en',
      },
    ]);
  });

  it('names a JSON row by its index and line', async () => {
    const text = `[\n  {"sourceId": "${uniqueSlug('j')}", "title": "Ok"},\n  {\n    "title": "x"\n  }\n]`;
    const report = await importCases(app.database, text, 'json', { dryRun: true });
    expect(report.rejected.map((r) => [r.index, r.line])).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('writes nothing on a dry run, and says what it would do', async () => {
    const prefix = `${uniqueSlug('dry')}-`;
    const before = await counts(prefix);
    const report = await importCases(app.database, casesCsv(generateCases(30, { prefix })), 'csv', { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, inserted: 30, updated: 0, rejected: [], activities: 0 });
    expect(await counts(prefix)).toEqual(before);
  });

  it('gives new cases free slugs, and refuses a slug given in the file that is taken', async () => {
    const prefix = uniqueSlug('slug');
    const row = (id: string, slug = '') => ({
      sourceId: `${prefix}-${id}`,
      slug,
      title: `Same title ${prefix}`,
      summary: 'A summary long enough.',
      countries: ['FR'],
      themes: ['open-government'],
      year: 2020,
      organisation: 'City',
      levelOfGovernment: 'local',
      stage: 'pilot',
    });
    const report = await importCases(app.database, JSON.stringify([row('1'), row('2'), row('3', prefix)]), 'json');
    expect(report.inserted).toBe(3);
    const slugs = await db
      .selectFrom('cases')
      .select('slug')
      .where('source_id', 'like', `${prefix}-%`)
      .orderBy('source_id')
      .execute();
    expect(new Set(slugs.map((s) => s.slug)).size).toBe(3);
    const taken = await importCases(app.database, JSON.stringify([row('4', prefix)]), 'json');
    expect(taken.rejected).toMatchObject([
      { index: 0, reasons: [{ field: 'slug', message: `slug "${prefix}" is taken` }] },
    ]);
  });
});
