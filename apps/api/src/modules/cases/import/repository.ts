/**
 * The import's reads and writes: the cases already there (by sourceId), the slugs taken, and the
 * writes of a whole file in one transaction (multi-row inserts in chunks, one update per changed
 * case, revisions, and one activity per hub for the new cases).
 */
import { sql, type Transaction } from 'kysely';
import { caseRow, caseSnapshot, snapshotOfRow, type CaseFields, type CaseSnapshot } from '@opsi/db/case-row';
import type { Executor } from '@opsi/db/executor';
import type { Schema } from '@opsi/db/schema';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivities, writerTransaction } from '../../../platform/outbox/repository.ts';

/** Rows per multi-row statement (13 columns each: far below PostgreSQL's 65,535 parameters). */
const CHUNK = 500;

export interface ExistingCase {
  id: string;
  version: number;
  sourceId: string;
  snapshot: CaseSnapshot;
}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The cases that have one of these sourceIds, with their fields as a revision holds them. */
export async function casesBySourceId(db: Executor, sourceIds: string[]): Promise<Map<string, ExistingCase>> {
  const found = new Map<string, ExistingCase>();
  for (const ids of chunks(sourceIds, 5000)) {
    const rows = await db
      .selectFrom('cases')
      .select([
        'id',
        'version',
        'source_id',
        'slug',
        'title',
        'summary',
        'body',
        'countries',
        'themes',
        'year',
        'organisation',
        'level_of_government',
        'stage',
        'source_url',
        'language',
      ])
      .where(sql<boolean>`source_id = any(${ids}::text[])`)
      .execute();
    for (const r of rows) {
      found.set(r.source_id!, {
        id: r.id,
        version: r.version,
        sourceId: r.source_id!,
        snapshot: snapshotOfRow(r),
      });
    }
  }
  return found;
}

/** Which of these slugs a case has now or had before a rename (its old slugs still redirect). */
export async function takenSlugs(db: Executor, slugs: string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const some of chunks([...new Set(slugs)], 5000)) {
    const { rows } = await sql<{ slug: string }>`
      select slug from cases where slug = any(${some}::text[])
      union select slug from case_slugs where slug = any(${some}::text[])
    `.execute(db);
    for (const r of rows) taken.add(r.slug);
  }
  return taken;
}

export interface CaseUpdate {
  id: string;
  /** The version read before: the update applies only if no one changed the case since. */
  version: number;
  fields: CaseFields;
}

export interface ImportWrites {
  inserts: CaseFields[];
  updates: CaseUpdate[];
  activities: NewActivity[];
}

export class ChangedMeanwhileError extends Error {}

/**
 * Writes an import in one transaction: nothing is half-written. `progress` hears how many rows
 * were written so far. Throws ChangedMeanwhileError when a case changed after it was read.
 */
export async function writeImport(
  db: Executor,
  writes: ImportWrites,
  progress: (done: number) => Promise<void>,
): Promise<void> {
  await writerTransaction(db, async (trx: Transaction<Schema>) => {
    let done = 0;
    for (const part of chunks(writes.inserts)) {
      const ids = await trx
        .insertInto('cases')
        .values(part.map((c) => ({ ...caseRow(c), created_by: null })))
        .returning(['id', 'slug'])
        .execute();
      const bySlug = new Map(ids.map((r) => [r.slug, r.id]));
      await trx
        .insertInto('case_revisions')
        .values(
          part.map((c) => ({
            case_id: bySlug.get(c.slug)!,
            version: 1,
            editor_id: null,
            fields: JSON.stringify(caseSnapshot(c)),
            note: 'import',
          })),
        )
        .execute();
      done += part.length;
      await progress(done);
    }
    for (const part of chunks(writes.updates, 100)) {
      for (const u of part) {
        const row = caseRow(u.fields);
        const updated = await trx
          .updateTable('cases')
          .set({
            title: row.title,
            summary: row.summary,
            body: row.body,
            countries: row.countries,
            themes: row.themes,
            year: row.year,
            organisation: row.organisation,
            level_of_government: row.level_of_government,
            stage: row.stage,
            source_url: row.source_url,
            language: row.language,
            version: u.version + 1,
            updated_at: sql<Date>`now()`,
          })
          .where('id', '=', u.id)
          .where('version', '=', u.version)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) {
          throw new ChangedMeanwhileError(
            `the case with sourceId "${u.fields.sourceId ?? ''}" changed during the import`,
          );
        }
      }
      await trx
        .insertInto('case_revisions')
        .values(
          part.map((u) => ({
            case_id: u.id,
            version: u.version + 1,
            editor_id: null,
            fields: JSON.stringify(caseSnapshot(u.fields)),
            note: 'import',
          })),
        )
        .execute();
      done += part.length;
      await progress(done);
    }
    await insertActivities(trx, writes.activities);
  });
}
