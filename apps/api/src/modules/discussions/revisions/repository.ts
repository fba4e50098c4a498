/** The earlier versions of posts: listed for the history page, and redacted by moderators. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import { lockPost } from '../repository.ts';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';

export interface RevisionRow {
  id: string;
  body: string;
  bodyHtml: string;
  writtenAt: Date;
  replacedAt: Date;
  replacedByHandle: string | null;
  replacedByName: string | null;
  redactedAt: Date | null;
}

export async function listRevisions(db: Executor, postId: string): Promise<RevisionRow[]> {
  const rows = await db
    .selectFrom('post_revisions as r')
    // A deleted account's edits show no editor.
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'r.replaced_by').on('u.deleted_at', 'is', null))
    .select([
      'r.id',
      'r.body',
      'r.body_html',
      'r.written_at',
      'r.replaced_at',
      'r.redacted_at',
      'u.handle',
      'u.display_name',
    ])
    .where('r.post_id', '=', postId)
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    bodyHtml: r.body_html,
    writtenAt: r.written_at,
    replacedAt: r.replaced_at,
    replacedByHandle: r.handle,
    replacedByName: r.display_name,
    redactedAt: r.redacted_at,
  }));
}

/** The newest revision id of a post ('0' when it was never edited). */
export async function latestRevisionId(db: Executor, postId: string): Promise<string> {
  const row = await db
    .selectFrom('post_revisions')
    .select(sql<string>`coalesce(max(id), 0)::text`.as('id'))
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return row?.id ?? '0';
}

/** The first revision of a post written by `editorId` after revision `afterId` (their edit's). */
export async function revisionReplacedBy(
  db: Executor,
  postId: string,
  editorId: string,
  afterId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('post_revisions')
    .select('id')
    .where('post_id', '=', postId)
    .where('replaced_by', '=', editorId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

export type RedactResult = 'redacted' | 'already' | 'missing';

/**
 * Blanks the text of one earlier version of a post in place (body and HTML: the text is gone, not
 * hidden) and records who, when and why, with its activity, in one transaction. A version already
 * redacted keeps its first record.
 */
export async function redactRevision(
  db: Kysely<Schema>,
  redaction: { postId: string; revisionId: string; redactedBy: string; reason: string },
  activity: NewActivity,
  also?: (trx: Transaction<Schema>) => Promise<void>,
): Promise<RedactResult> {
  return writerTransaction(db, async (trx) => {
    if (!(await lockPost(trx, redaction.postId))) return 'missing';
    const revision = await trx
      .selectFrom('post_revisions')
      .select(['id', 'redacted_at'])
      .where('id', '=', redaction.revisionId)
      .where('post_id', '=', redaction.postId)
      .forUpdate()
      .executeTakeFirst();
    if (!revision) return 'missing';
    if (revision.redacted_at) return 'already';
    await trx
      .updateTable('post_revisions')
      .set({
        body: '',
        body_html: '',
        redacted_at: sql<Date>`now()`,
        redacted_by: redaction.redactedBy,
        redaction_reason: redaction.reason,
      })
      .where('id', '=', revision.id)
      .execute();
    await insertActivity(trx, activity);
    await also?.(trx);
    return 'redacted';
  });
}
