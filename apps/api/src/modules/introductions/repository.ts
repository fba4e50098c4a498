/** Introductions between two members: asked, accepted or declined, one per pair; and who they are. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface Member {
  id: string;
  handle: string;
  displayName: string;
  countryCode: string | null;
  headline: string;
  organisation: string;
  openToIntroductions: boolean;
  /** Deleted, or suspended now. */
  gone: boolean;
}

export async function findMember(db: Executor, by: { handle: string } | { id: string }, now: Date) {
  const row = await db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.handle',
      'u.display_name',
      'u.country_code',
      'u.headline',
      'u.organisation',
      'u.open_to_introductions',
      sql<boolean>`(u.deleted_at is not null or (u.suspended_at is not null and (u.suspended_until is null or u.suspended_until > ${now})))`.as(
        'gone',
      ),
    ])
    .$call((q) => ('handle' in by ? q.where('u.handle', '=', by.handle.toLowerCase()) : q.where('u.id', '=', by.id)))
    .executeTakeFirst();
  if (!row) return undefined;
  const member: Member = {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    countryCode: row.country_code,
    headline: row.headline,
    organisation: row.organisation,
    openToIntroductions: row.open_to_introductions,
    gone: row.gone,
  };
  return member;
}

/** Whether either member blocked the other. */
export async function blockedEitherWay(db: Executor, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blocker_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export interface IntroductionRow {
  id: string;
  requesterId: string;
  recipientId: string;
  message: string;
  status: string;
  createdAt: Date;
  decidedAt: Date | null;
}

const COLUMNS = ['id', 'requester_id', 'recipient_id', 'message', 'status', 'created_at', 'decided_at'] as const;

function toRow(r: {
  id: string;
  requester_id: string;
  recipient_id: string;
  message: string;
  status: string;
  created_at: Date;
  decided_at: Date | null;
}): IntroductionRow {
  return {
    id: r.id,
    requesterId: r.requester_id,
    recipientId: r.recipient_id,
    message: r.message,
    status: r.status,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

/** The introduction between two members, whichever asked. */
export async function findBetween(db: Executor, a: string, b: string): Promise<IntroductionRow | undefined> {
  const row = await db
    .selectFrom('introductions')
    .select(COLUMNS)
    .where(sql<boolean>`least(requester_id, recipient_id) = least(${a}::bigint, ${b}::bigint)`)
    .where(sql<boolean>`greatest(requester_id, recipient_id) = greatest(${a}::bigint, ${b}::bigint)`)
    .executeTakeFirst();
  return row && toRow(row);
}

export async function findById(db: Executor, id: string, forUpdate = false): Promise<IntroductionRow | undefined> {
  const row = await db
    .selectFrom('introductions')
    .select(COLUMNS)
    .where('id', '=', id)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  return row && toRow(row);
}

/**
 * Takes the asker's row lock until the transaction ends, so that their requests are counted and
 * written one at a time (as an event's row lock guards its capacity): two requests sent at once
 * cannot both pass the pending limit. NO KEY UPDATE: rows that only refer to the member (their
 * posts, votes, this introduction) are still written meanwhile.
 */
export async function lockAsker(db: Executor, userId: string): Promise<void> {
  await db.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().executeTakeFirst();
}

/** The member's requests still waiting for an answer. */
export async function countPendingSent(db: Executor, requesterId: string): Promise<number> {
  const row = await db
    .selectFrom('introductions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('requester_id', '=', requesterId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds a request; undefined when the pair has one already (the unique pair index). */
export async function insertIntroduction(
  db: Executor,
  values: { requesterId: string; recipientId: string; message: string; at: Date },
): Promise<IntroductionRow | undefined> {
  const row = await db
    .insertInto('introductions')
    .values({
      requester_id: values.requesterId,
      recipient_id: values.recipientId,
      message: values.message,
      created_at: values.at,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return row && toRow(row);
}

export async function decide(db: Executor, id: string, status: 'accepted' | 'declined', at: Date): Promise<void> {
  await db.updateTable('introductions').set({ status, decided_at: at }).where('id', '=', id).execute();
}

export interface ListedRow extends IntroductionRow {
  other: { handle: string; displayName: string; countryCode: string | null; headline: string; organisation: string };
  otherEmail: string;
}

/** The member's introductions, sent and received, newest first (at most 100). */
export async function listFor(
  db: Executor,
  userId: string,
  filter: { direction?: 'sent' | 'received' | undefined; status?: string | undefined },
): Promise<ListedRow[]> {
  const rows = await db
    .selectFrom('introductions as i')
    .innerJoin('users as o', (join) =>
      join.on(
        sql<boolean>`o.id = case when i.requester_id = ${userId}::bigint then i.recipient_id else i.requester_id end`,
      ),
    )
    .select([
      ...COLUMNS.map((c) => `i.${c}` as const),
      'o.handle',
      'o.display_name',
      'o.country_code',
      'o.headline',
      'o.organisation',
      'o.email',
    ])
    .where((eb) =>
      filter.direction === 'sent'
        ? eb('i.requester_id', '=', userId)
        : filter.direction === 'received'
          ? eb('i.recipient_id', '=', userId)
          : eb.or([eb('i.requester_id', '=', userId), eb('i.recipient_id', '=', userId)]),
    )
    .$if(filter.status !== undefined, (q) => q.where('i.status', '=', filter.status ?? ''))
    .where('o.deleted_at', 'is', null)
    .orderBy('i.id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    ...toRow(r),
    other: {
      handle: r.handle,
      displayName: r.display_name,
      countryCode: r.country_code,
      headline: r.headline,
      organisation: r.organisation,
    },
    otherEmail: r.email,
  }));
}

/** Who an introduction email is for: undefined unless their address is confirmed. */
export async function reader(db: Executor, userId: string) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale', 'handle', 'headline', 'organisation', 'country_code'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('email_verified_at', 'is not', null)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      locale: row.locale,
      handle: row.handle,
      headline: row.headline,
      organisation: row.organisation,
      countryCode: row.country_code,
    }
  );
}

/** Takes the right to send one side's email; false when it was taken before. */
export async function claimEmail(db: Executor, id: string, side: 'requester' | 'recipient'): Promise<boolean> {
  const column = side === 'requester' ? 'requester_emailed_at' : 'recipient_emailed_at';
  const row = await db
    .updateTable('introductions')
    .set({ [column]: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'accepted')
    .where(column, 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Gives a claim back when the mail server refused the email, so a retry may send it. */
export async function releaseEmail(db: Executor, id: string, side: 'requester' | 'recipient'): Promise<void> {
  const column = side === 'requester' ? 'requester_emailed_at' : 'recipient_emailed_at';
  await db
    .updateTable('introductions')
    .set({ [column]: null })
    .where('id', '=', id)
    .execute();
}

export async function countryNames(db: Executor, codes: string[], french: boolean): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db
    .selectFrom('countries')
    .select(['code', french ? 'name_fr as name' : 'name as name'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
