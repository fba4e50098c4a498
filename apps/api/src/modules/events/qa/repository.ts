/**
 * Q&A tables (migration event_live): whether Q&A is open, questions and their votes. A vote is one
 * row per member and question (its primary key): giving it twice, even at once, counts once; the
 * question's `votes` and `version` change in the same transaction as the vote row, under the
 * question's row lock, so the count is always the number of rows and each change has its version.
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { LiveQuestion, QuestionSort } from '@opsi/contracts/live';

export interface QuestionRow extends LiveQuestion {
  eventId: string;
  authorId: string | null;
}

function questions(db: Executor) {
  return db
    .selectFrom('event_questions as q')
    .innerJoin('events as e', 'e.id', 'q.event_id')
    .leftJoin('users as u', 'u.id', 'q.author_id')
    .select([
      'q.id',
      'q.event_id',
      'q.author_id',
      'q.body',
      'q.votes',
      'q.answered',
      'q.hidden',
      'q.pinned',
      'q.version',
      'q.created_at',
      'e.slug',
      'u.handle',
      'u.display_name',
    ]);
}

type Selected = Awaited<ReturnType<ReturnType<typeof questions>['executeTakeFirstOrThrow']>>;

function toRow(r: Selected): QuestionRow {
  return {
    id: r.id,
    eventId: r.event_id,
    authorId: r.author_id,
    eventSlug: r.slug,
    body: r.body,
    author: r.handle ? { handle: r.handle, displayName: r.display_name ?? r.handle } : null,
    votes: r.votes,
    answered: r.answered,
    hidden: r.hidden,
    pinned: r.pinned,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

export async function isQaOpen(db: Executor, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('event_qa').select('open').where('event_id', '=', eventId).executeTakeFirst();
  return row?.open ?? false;
}

/** Opens or closes Q&A; also the lock that puts pins of one event one after another. */
export async function setQaOpen(db: Executor, eventId: string, open: boolean | null): Promise<boolean> {
  const row = await db
    .insertInto('event_qa')
    .values({ event_id: eventId, open: open ?? false })
    .onConflict((oc) =>
      oc.column('event_id').doUpdateSet({
        open: open === null ? sql<boolean>`event_qa.open` : open,
        updated_at: sql`now()`,
      }),
    )
    .returning('open')
    .executeTakeFirstOrThrow();
  return row.open;
}

export async function isGoing(db: Executor, eventId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('rsvps')
    .select('status')
    .where('event_id', '=', eventId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.status === 'going';
}

export async function listQuestions(
  db: Executor,
  eventId: string,
  sort: QuestionSort,
  withHidden: boolean,
): Promise<QuestionRow[]> {
  let query = questions(db).where('q.event_id', '=', eventId);
  if (!withHidden) query = query.where('q.hidden', '=', false);
  query = sort === 'new' ? query.orderBy('q.id', 'desc') : query.orderBy('q.votes', 'desc').orderBy('q.id', 'asc');
  return (await query.limit(2000).execute()).map(toRow);
}

export async function findQuestion(db: Executor, id: string): Promise<QuestionRow | undefined> {
  const row = await questions(db).where('q.id', '=', id).executeTakeFirst();
  return row && toRow(row);
}

/** Which of these questions the member voted for. */
export async function votedFor(db: Executor, userId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('question_votes')
    .select('question_id')
    .where('user_id', '=', userId)
    .where('question_id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.question_id));
}

export async function insertQuestion(
  db: Executor,
  q: { eventId: string; authorId: string; body: string },
): Promise<QuestionRow> {
  const { id } = await db
    .insertInto('event_questions')
    .values({ event_id: q.eventId, author_id: q.authorId, body: q.body })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findQuestion(db, id))!;
}

/**
 * Gives (`on`) or takes back a member's vote. Returns the question after, and whether anything
 * changed (a second vote, or taking back none, changes nothing).
 */
export function vote(
  db: Executor,
  questionId: string,
  userId: string,
  on: boolean,
): Promise<{ question: QuestionRow; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = on
      ? await trx
          .insertInto('question_votes')
          .values({ question_id: questionId, user_id: userId })
          .onConflict((oc) => oc.doNothing())
          .returning('user_id')
          .executeTakeFirst()
      : await trx
          .deleteFrom('question_votes')
          .where('question_id', '=', questionId)
          .where('user_id', '=', userId)
          .returning('user_id')
          .executeTakeFirst();
    if (row) {
      await trx
        .updateTable('event_questions')
        .set({ votes: sql`votes + ${on ? 1 : -1}`, version: sql`version + 1` })
        .where('id', '=', questionId)
        .execute();
    }
    return { question: (await findQuestion(trx, questionId))!, changed: row !== undefined };
  });
}

export type Mark = 'answered' | 'hidden' | 'pinned';

/**
 * Sets or clears a mark. Pinning unpins the event's pinned question (one at a time, under the
 * event's Q&A row lock); hiding unpins. Returns every question that changed.
 */
export function mark(db: Executor, q: QuestionRow, what: Mark, value: boolean): Promise<QuestionRow[]> {
  return db.transaction().execute(async (trx: Transaction<Schema>) => {
    await setQaOpen(trx, q.eventId, null);
    const changed: string[] = [];
    if (what === 'pinned' && value) {
      const unpinned = await trx
        .updateTable('event_questions')
        .set({ pinned: false, version: sql`version + 1` })
        .where('event_id', '=', q.eventId)
        .where('pinned', '=', true)
        .where('id', '!=', q.id)
        .returning('id')
        .execute();
      changed.push(...unpinned.map((r) => r.id));
    }
    const set = what === 'hidden' && value ? { hidden: true, pinned: false } : { [what]: value };
    const updated = await trx
      .updateTable('event_questions')
      .set({ ...set, version: sql`version + 1` })
      .where('id', '=', q.id)
      .where(what, '!=', value)
      .returning('id')
      .execute();
    changed.push(...updated.map((r) => r.id));
    const rows: QuestionRow[] = [];
    for (const id of changed) {
      const row = await findQuestion(trx, id);
      if (row) rows.push(row);
    }
    return rows;
  });
}

/** The events about a case that ended with a Q&A or polls: the records the case page links to. */
export async function recordsOfCase(db: Executor, caseSlug: string, now: Date) {
  return db
    .selectFrom('event_cases as ec')
    .innerJoin('cases as c', 'c.id', 'ec.case_id')
    .innerJoin('events as e', 'e.id', 'ec.event_id')
    .select([
      'e.slug',
      'e.title',
      'e.ends_at',
      sql<string>`(select count(*) from event_questions q where q.event_id = e.id and not q.hidden)`.as('questions'),
      sql<string>`(select count(*) from event_polls p where p.event_id = e.id)`.as('polls'),
    ])
    .where('c.slug', '=', caseSlug)
    .where('e.ends_at', '<=', now)
    .where('e.status', '=', 'published')
    .orderBy('e.ends_at', 'desc')
    .limit(20)
    .execute()
    .then((rows) =>
      rows
        .map((r) => ({
          slug: r.slug,
          title: r.title,
          endsAt: r.ends_at.toISOString(),
          questionCount: Number(r.questions),
          pollCount: Number(r.polls),
        }))
        .filter((r) => r.questionCount + r.pollCount > 0),
    );
}
