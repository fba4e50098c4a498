/** A case's translations: read, written (insert or replace) and deleted by (case, language). */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface TranslatedCase {
  id: string;
  slug: string;
  language: string;
}

export interface TranslationRow {
  language: string;
  title: string;
  summary: string;
  body: string;
  updatedAt: Date;
}

export async function findTranslatedCase(db: Executor, slug: string): Promise<TranslatedCase | undefined> {
  return db.selectFrom('cases').select(['id', 'slug', 'language']).where('slug', '=', slug).executeTakeFirst();
}

export async function findTranslation(
  db: Executor,
  caseId: string,
  language: string,
): Promise<TranslationRow | undefined> {
  const r = await db
    .selectFrom('case_translations')
    .select(['language', 'title', 'summary', 'body', 'updated_at'])
    .where('case_id', '=', caseId)
    .where('language', '=', language)
    .executeTakeFirst();
  return r && { language: r.language, title: r.title, summary: r.summary, body: r.body, updatedAt: r.updated_at };
}

/** Writes the translation (a new one, or replacing the one in that language); `created`: it was new. */
export async function upsertTranslation(
  db: Executor,
  t: { caseId: string; language: string; title: string; summary: string; body: string; editorId: string },
): Promise<{ row: TranslationRow; created: boolean }> {
  const r = await db
    .insertInto('case_translations')
    .values({
      case_id: t.caseId,
      language: t.language,
      title: t.title,
      summary: t.summary,
      body: t.body,
      updated_by: t.editorId,
    })
    .onConflict((oc) =>
      oc.columns(['case_id', 'language']).doUpdateSet({
        title: t.title,
        summary: t.summary,
        body: t.body,
        updated_by: t.editorId,
        updated_at: sql<Date>`now()`,
      }),
    )
    // xmax is 0 for a row this statement inserted, the updating transaction's id for one it replaced.
    .returning(['language', 'title', 'summary', 'body', 'updated_at', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
  return {
    row: { language: r.language, title: r.title, summary: r.summary, body: r.body, updatedAt: r.updated_at },
    created: r.created,
  };
}

/** False when the case had no translation in that language. */
export async function deleteTranslation(db: Executor, caseId: string, language: string): Promise<boolean> {
  const r = await db
    .deleteFrom('case_translations')
    .where('case_id', '=', caseId)
    .where('language', '=', language)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}
