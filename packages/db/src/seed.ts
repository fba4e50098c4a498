/**
 * Reference data (all countries, the themes) is kept up to date at every start; demo data (the
 * observatory's cases) is inserted once, when there is no case yet and demo data is on.
 */
import { sql, type Kysely } from 'kysely';
import { countries } from '../../../db/seed/countries.ts';
import { themes } from '../../../db/seed/themes.ts';
import { cases } from '../../../db/seed/cases.ts';
import { caseTranslations } from '../../../db/seed/case-translations.ts';
import { caseRow, caseSnapshot } from './case-row.ts';
import { OUTBOX_WRITERS_LOCK } from './outbox-lock.ts';
import type { Schema } from './schema.ts';

const SEED_LOCK = 7_331_001;
const DAY = 24 * 60 * 60 * 1000;

export interface SeedResult {
  countries: number;
  themes: number;
  demoCases: number;
}

/** Reference data, then (with `demo`) the demo cases: what a start of the app seeds. */
export async function seed(db: Kysely<Schema>, options: { demo: boolean; now?: Date }): Promise<SeedResult> {
  const reference = await seedReference(db);
  const demoCases = options.demo ? await seedDemoCases(db, options) : 0;
  return { ...reference, demoCases };
}

/** Every country and theme, inserted or brought up to date (at every start). */
export async function seedReference(db: Kysely<Schema>): Promise<{ countries: number; themes: number }> {
  return db.transaction().execute(async (trx) => {
    // One node seeds at a time; the others wait, then find the work done.
    await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(trx);

    await trx
      .insertInto('countries')
      .values(countries.map((c) => ({ code: c.code, name: c.name, name_fr: c.nameFr })))
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({ name: (eb) => eb.ref('excluded.name'), name_fr: (eb) => eb.ref('excluded.name_fr') }),
      )
      .execute();
    await trx
      .insertInto('themes')
      .values(
        themes.map((t, position) => ({
          slug: t.slug,
          name: t.name,
          name_fr: t.nameFr,
          description: t.description,
          description_fr: t.descriptionFr,
          position,
        })),
      )
      .onConflict((oc) =>
        oc.column('slug').doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          name_fr: (eb) => eb.ref('excluded.name_fr'),
          description: (eb) => eb.ref('excluded.description'),
          description_fr: (eb) => eb.ref('excluded.description_fr'),
          position: (eb) => eb.ref('excluded.position'),
        }),
      )
      .execute();
    return { countries: countries.length, themes: themes.length };
  });
}

/**
 * The demo cases with their activities, once: only into a database with no case yet. Returns how
 * many were added (0 after the first start, on every node but the one that added them).
 */
export async function seedDemoCases(db: Kysely<Schema>, options: { now?: Date } = {}): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // It writes activities: the outbox writers' lock too, before anything is written.
    await sql`select pg_advisory_xact_lock(${SEED_LOCK}), pg_advisory_xact_lock_shared(${OUTBOX_WRITERS_LOCK})`.execute(
      trx,
    );
    let demoCases = 0;
    const existing = await trx
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(existing.n) > 0) return 0;
    const now = (options.now ?? new Date()).getTime();
    // Oldest first, so activity ids grow with time.
    for (const [index, c] of [...cases.entries()].reverse()) {
      // Spread the demo cases over the last weeks so "recent activity" has an order.
      const at = new Date(now - (index * 2 + 1) * DAY);
      const row = await trx
        .insertInto('cases')
        .values({ ...caseRow(c), created_at: at, updated_at: at, last_activity_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Its history starts at version 1, by nobody.
      await trx
        .insertInto('case_revisions')
        .values({
          case_id: row.id,
          version: 1,
          editor_id: null,
          fields: JSON.stringify(caseSnapshot(c)),
          created_at: at,
        })
        .execute();
      await trx
        .insertInto('activities')
        .values({
          verb: 'created',
          object_type: 'case',
          object_id: c.slug,
          actor_id: null,
          countries: c.countries,
          themes: c.themes,
          payload: JSON.stringify({ title: c.title }) as unknown as Record<string, unknown>,
          created_at: at,
        })
        .execute();
      demoCases += 1;
      for (const t of caseTranslations.filter((translation) => translation.slug === c.slug)) {
        await trx
          .insertInto('case_translations')
          .values({
            case_id: row.id,
            language: t.language,
            title: t.title,
            summary: t.summary,
            body: t.body,
            updated_at: at,
          })
          .execute();
      }
    }
    return demoCases;
  });
}
