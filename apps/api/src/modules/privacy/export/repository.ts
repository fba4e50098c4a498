/**
 * The rows of a member's data export (privacy/service.ts shapes them): their own rows in every
 * table that holds something about them. Never a token, its hash, or another member's private data.
 */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export async function account(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'handle',
      'email',
      'role',
      'locale',
      'created_at',
      'display_name',
      'open_to_introductions',
      'headline',
      'organisation',
      'country_code',
      'bio',
      'themes',
      'links',
      'follower_count',
      sql<string | null>`(select new_email from email_changes c where c.user_id = users.id
        and c.used_at is null and c.expires_at > now() order by c.created_at desc limit 1)`.as('pending_email'),
    ])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function settings(db: Executor, userId: string) {
  const [prefs, digest, calendar] = await Promise.all([
    db
      .selectFrom('notification_prefs')
      .select(['kind', 'channel'])
      .where('user_id', '=', userId)
      .orderBy('kind')
      .execute(),
    db
      .selectFrom('digest_settings')
      .select(['frequency', 'last_sent_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    db.selectFrom('calendar_tokens').select('created_at').where('user_id', '=', userId).executeTakeFirst(),
  ]);
  return { prefs, digest, calendar };
}

export async function posts(db: Executor, userId: string) {
  const rows = await db
    .selectFrom('posts as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['p.id', 'c.slug', 'p.parent_id', 'p.body', 'p.created_at', 'p.edited_at', 'p.deleted_at'])
    .where('p.author_id', '=', userId)
    .orderBy('p.id')
    .execute();
  const revisions = rows.length
    ? await db
        .selectFrom('post_revisions')
        .select(['post_id', 'body', 'written_at', 'replaced_at', 'redacted_at'])
        .where(
          'post_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id', 'desc')
        .execute()
    : [];
  return { rows, revisions };
}

export async function reactions(db: Executor, userId: string) {
  return db
    .selectFrom('post_reactions')
    .select(['post_id', 'kind', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function rsvps(db: Executor, userId: string) {
  return db
    .selectFrom('rsvps as r')
    .innerJoin('events as e', 'e.id', 'r.event_id')
    .select(['e.slug', 'e.title', 'r.status', 'r.listed', 'r.ticket_code', 'r.checked_in_at', 'r.decided_at'])
    .where('r.user_id', '=', userId)
    .orderBy('r.event_id')
    .execute();
}

export async function events(db: Executor, userId: string) {
  const [organising, invitations] = await Promise.all([
    db
      .selectFrom('event_organisers as o')
      .innerJoin('events as e', 'e.id', 'o.event_id')
      .select(['e.slug', 'e.title'])
      .where('o.user_id', '=', userId)
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('event_organiser_invitations as i')
      .innerJoin('events as e', 'e.id', 'i.event_id')
      .select(['e.slug', 'e.title', 'i.created_at'])
      .where('i.user_id', '=', userId)
      .where('i.status', '=', 'pending')
      .orderBy('e.id')
      .execute(),
  ]);
  return { organising, invitations };
}

export async function follows(db: Executor, userId: string) {
  return db
    .selectFrom('follows')
    .select(['target_type', 'target_key', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function notifications(db: Executor, userId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'kind', 'count', 'payload', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
}

/** Their proposals (any status) and the versions of cases they wrote. */
export async function caseLibrary(db: Executor, userId: string) {
  const [proposals, edits] = await Promise.all([
    db
      .selectFrom('case_proposals as p')
      .leftJoin('cases as c', 'c.id', 'p.case_id')
      .select(['p.slug', 'p.status', 'p.fields', 'p.reason', 'c.slug as case_slug', 'p.created_at'])
      .where('p.proposer_id', '=', userId)
      .orderBy('p.id')
      .execute(),
    db
      .selectFrom('case_revisions as r')
      .innerJoin('cases as c', 'c.id', 'r.case_id')
      .select(['c.slug', 'r.version', 'r.note', 'r.created_at'])
      .where('r.editor_id', '=', userId)
      .orderBy('r.id')
      .execute(),
  ]);
  return { proposals, edits };
}

/** Introductions they asked for or were asked, with the other member's handle. */
export async function introductions(db: Executor, userId: string) {
  return db
    .selectFrom('introductions as i')
    .innerJoin('users as o', (join) =>
      join.on((eb) =>
        eb.or([
          eb.and([eb('i.requester_id', '=', userId), eb('o.id', '=', eb.ref('i.recipient_id'))]),
          eb.and([eb('i.recipient_id', '=', userId), eb('o.id', '=', eb.ref('i.requester_id'))]),
        ]),
      ),
    )
    .select(['i.requester_id', 'o.handle', 'i.message', 'i.status', 'i.created_at', 'i.decided_at'])
    .orderBy('i.id')
    .execute();
}

/** Their questions in events' Q&A, and their votes there and in polls. */
export async function live(db: Executor, userId: string) {
  const [questions, questionVotes, pollVotes] = await Promise.all([
    db
      .selectFrom('event_questions as q')
      .innerJoin('events as e', 'e.id', 'q.event_id')
      .select(['e.slug', 'q.body', 'q.votes', 'q.created_at'])
      .where('q.author_id', '=', userId)
      .orderBy('q.id')
      .execute(),
    db
      .selectFrom('question_votes as v')
      .innerJoin('event_questions as q', 'q.id', 'v.question_id')
      .innerJoin('events as e', 'e.id', 'q.event_id')
      .select(['e.slug', 'v.question_id', 'v.created_at'])
      .where('v.user_id', '=', userId)
      .orderBy('v.question_id')
      .execute(),
    db
      .selectFrom('poll_votes as v')
      .innerJoin('event_polls as p', 'p.id', 'v.poll_id')
      .innerJoin('events as e', 'e.id', 'p.event_id')
      .select(['e.slug', 'p.question', 'p.options', 'v.option_index'])
      .where('v.user_id', '=', userId)
      .orderBy('v.poll_id')
      .orderBy('v.option_index')
      .execute(),
  ]);
  return { questions, questionVotes, pollVotes };
}
