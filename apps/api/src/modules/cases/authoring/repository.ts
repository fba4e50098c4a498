/** Editing cases: the row as an editor starts from it, the update with its revision, old slugs, the history. */
import { snapshotOfRow, type CaseSnapshot } from '@opsi/db/case-row';
import type { Executor, TransactionExecutor } from '@opsi/db/executor';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity } from '../../../platform/outbox/repository.ts';

export interface EditableCase {
  id: string;
  version: number;
  fields: CaseSnapshot;
}

/** The case with this (current) slug, locked for the edit's transaction. */
export async function lockCase(trx: TransactionExecutor, slug: string): Promise<EditableCase | undefined> {
  const r = await trx
    .selectFrom('cases')
    .select([
      'id',
      'version',
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
    .where('slug', '=', slug)
    .forUpdate()
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    version: r.version,
    fields: snapshotOfRow(r),
  };
}

/** Who holds `slug`: a case as its current slug, or as one of its old ones. */
export async function slugHolder(
  db: Executor,
  slug: string,
): Promise<{ caseId: string; current: boolean } | undefined> {
  const current = await db.selectFrom('cases').select('id').where('slug', '=', slug).executeTakeFirst();
  if (current) return { caseId: current.id, current: true };
  const old = await db.selectFrom('case_slugs').select('case_id').where('slug', '=', slug).executeTakeFirst();
  return old && { caseId: old.case_id, current: false };
}

/** The current slug of the case that once had `oldSlug`. */
export async function currentSlugOf(db: Executor, oldSlug: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('case_slugs as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .select('c.slug')
    .where('s.slug', '=', oldSlug)
    .executeTakeFirst();
  return r?.slug;
}

/**
 * Writes version `next` of the case: its columns, its revision, the old slug on a rename (a slug
 * the case had before is taken back from its old slugs) and the activity. In the caller's transaction.
 */
export async function saveVersion(
  trx: TransactionExecutor,
  caseId: string,
  before: CaseSnapshot,
  after: CaseSnapshot,
  next: number,
  edit: { editorId: string; note: string; activity: NewActivity },
): Promise<void> {
  await trx
    .updateTable('cases')
    .set({
      slug: after.slug,
      title: after.title,
      summary: after.summary,
      body: after.body,
      countries: after.countries,
      themes: after.themes,
      year: after.year,
      organisation: after.organisation,
      level_of_government: after.levelOfGovernment,
      stage: after.stage,
      source_url: after.sourceUrl,
      language: after.language,
      version: next,
    })
    .where('id', '=', caseId)
    .execute();
  if (after.slug !== before.slug) {
    await trx.deleteFrom('case_slugs').where('slug', '=', after.slug).where('case_id', '=', caseId).execute();
    await trx.insertInto('case_slugs').values({ slug: before.slug, case_id: caseId }).execute();
  }
  await trx
    .insertInto('case_revisions')
    .values({
      case_id: caseId,
      version: next,
      editor_id: edit.editorId,
      fields: JSON.stringify(after),
      note: edit.note,
    })
    .execute();
  await insertActivity(trx, edit.activity);
}

export interface RevisionRow {
  version: number;
  editorHandle: string | null;
  editorName: string | null;
  createdAt: Date;
  note: string;
  fields: CaseSnapshot;
}

/** A case's revisions, newest first, below version `before` when given. */
export async function listRevisions(
  db: Executor,
  caseId: string,
  page: { before?: number | undefined; limit: number; version?: number | undefined },
): Promise<RevisionRow[]> {
  const rows = await db
    .selectFrom('case_revisions as r')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'r.editor_id').on('u.deleted_at', 'is', null))
    .select(['r.version', 'u.handle', 'u.display_name', 'r.created_at', 'r.note', 'r.fields'])
    .where('r.case_id', '=', caseId)
    .$if(page.before !== undefined, (qb) => qb.where('r.version', '<', page.before ?? 0))
    .$if(page.version !== undefined, (qb) => qb.where('r.version', '=', page.version ?? 0))
    .orderBy('r.version', 'desc')
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    version: r.version,
    editorHandle: r.handle,
    editorName: r.display_name,
    createdAt: r.created_at,
    note: r.note,
    fields: r.fields as unknown as CaseSnapshot,
  }));
}
