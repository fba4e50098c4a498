/**
 * Polls (migration event_live): a poll and its votes, one row per member and chosen option. A
 * member's vote replaces their previous one, under the poll's row lock, and bumps the poll's
 * version in the same transaction, so the counts read there belong to that version.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import type { LivePoll } from '@opsi/contracts/live';

export interface PollRow extends LivePoll {
  eventId: string;
}

function polls(db: Executor) {
  return db
    .selectFrom('event_polls as p')
    .innerJoin('events as e', 'e.id', 'p.event_id')
    .select([
      'p.id',
      'p.event_id',
      'p.question',
      'p.options',
      'p.multiple',
      'p.closed_at',
      'p.version',
      'p.created_at',
      'e.slug',
      sql<string>`(select count(distinct v.user_id) from poll_votes v where v.poll_id = p.id)`.as('voters'),
      sql<
        { option_index: number; votes: string }[] | null
      >`(select json_agg(json_build_object('option_index', c.option_index, 'votes', c.votes)) from (select v.option_index, count(*) as votes from poll_votes v where v.poll_id = p.id group by v.option_index) c)`.as(
        'counts',
      ),
    ]);
}

type Selected = Awaited<ReturnType<ReturnType<typeof polls>['executeTakeFirstOrThrow']>>;

function toRow(r: Selected): PollRow {
  const counts = new Map((r.counts ?? []).map((c) => [Number(c.option_index), Number(c.votes)]));
  return {
    id: r.id,
    eventId: r.event_id,
    eventSlug: r.slug,
    question: r.question,
    options: r.options.map((label, index) => ({ label, votes: counts.get(index) ?? 0 })),
    multiple: r.multiple,
    voters: Number(r.voters),
    closed: r.closed_at !== null,
    closedAt: r.closed_at?.toISOString() ?? null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

export async function listPolls(db: Executor, eventId: string): Promise<PollRow[]> {
  return (await polls(db).where('p.event_id', '=', eventId).orderBy('p.id', 'desc').limit(200).execute()).map(toRow);
}

export async function findPoll(db: Executor, id: string): Promise<PollRow | undefined> {
  const row = await polls(db).where('p.id', '=', id).executeTakeFirst();
  return row && toRow(row);
}

/** The options each of these polls' voter chose (poll id → indexes). */
export async function choicesOf(db: Executor, userId: string, pollIds: string[]): Promise<Map<string, number[]>> {
  const chosen = new Map<string, number[]>();
  if (pollIds.length === 0) return chosen;
  const rows = await db
    .selectFrom('poll_votes')
    .select(['poll_id', 'option_index'])
    .where('user_id', '=', userId)
    .where('poll_id', 'in', pollIds)
    .orderBy('option_index')
    .execute();
  for (const r of rows) chosen.set(r.poll_id, [...(chosen.get(r.poll_id) ?? []), r.option_index]);
  return chosen;
}

export async function insertPoll(
  db: Executor,
  p: { eventId: string; question: string; options: string[]; multiple: boolean; createdBy: string },
): Promise<PollRow> {
  const { id } = await db
    .insertInto('event_polls')
    .values({
      event_id: p.eventId,
      question: p.question,
      options: sql<string[]>`${sql.val(p.options)}::text[]`,
      multiple: p.multiple,
      created_by: p.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findPoll(db, id))!;
}

export type PollVoteOutcome =
  { kind: 'voted'; poll: PollRow; changed: boolean } | { kind: 'closed' } | { kind: 'gone' };

/** Replaces the member's choices in an open poll (an empty list takes their vote back). */
export function votePoll(db: Executor, pollId: string, userId: string, options: number[]): Promise<PollVoteOutcome> {
  return db.transaction().execute(async (trx): Promise<PollVoteOutcome> => {
    const locked = await trx
      .selectFrom('event_polls')
      .select(['closed_at'])
      .where('id', '=', pollId)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return { kind: 'gone' };
    if (locked.closed_at) return { kind: 'closed' };
    const before = (await choicesOf(trx, userId, [pollId])).get(pollId) ?? [];
    const changed = before.join(',') !== options.join(',');
    if (changed) {
      await trx.deleteFrom('poll_votes').where('poll_id', '=', pollId).where('user_id', '=', userId).execute();
      if (options.length > 0) {
        await trx
          .insertInto('poll_votes')
          .values(options.map((option_index) => ({ poll_id: pollId, user_id: userId, option_index })))
          .execute();
      }
      await trx
        .updateTable('event_polls')
        .set({ version: sql`version + 1` })
        .where('id', '=', pollId)
        .execute();
    }
    return { kind: 'voted', poll: (await findPoll(trx, pollId))!, changed };
  });
}

/** Closes a poll; false when it was closed already. */
export async function closePoll(db: Executor, pollId: string, at: Date): Promise<boolean> {
  const rows = await db
    .updateTable('event_polls')
    .set({ closed_at: at, version: sql`version + 1` })
    .where('id', '=', pollId)
    .where('closed_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}
