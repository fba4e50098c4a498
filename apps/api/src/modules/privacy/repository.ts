/**
 * Privacy rights: what the platform holds about a member (the export), and the erasure of what
 * is left once their RSVPs and posts went through their own modules (privacy/service.ts). These
 * read and write other modules' tables directly, on purpose: this is the one place that must know
 * every table that refers to a member. A new table holding members' data gets a step in
 * ERASURE_STEPS (and its rows in the export).
 */
import { sql, type Transaction } from 'kysely';
import type { PostsChoice } from '@opsi/contracts/privacy';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import { insertActivity } from '../../platform/outbox/repository.ts';

export type ErasureTransaction = Transaction<Schema>;

/** The member being erased, and what the erasure collects for after its commit. */
export interface Erasure {
  userId: string;
  handle: string;
  email: string;
  /** What becomes of what they wrote: their posts (discussions/departure), their Q&A questions. */
  posts: PostsChoice;
  /** The sessions deleted (their sockets are closed once committed). */
  revoked: string[];
}

interface ErasureStep {
  /** What the step empties (for people reading this list). */
  what: string;
  run: (trx: ErasureTransaction, e: Erasure) => Promise<void>;
}

/** User ids stored in activity and job payloads: a single id, or a list of them. */
const PAYLOAD_IDS = ['userId', 'parentAuthorId', 'authorId', 'targetUserId', 'fromUserId'];
const PAYLOAD_ID_LISTS = ['mentionIds', 'promoted', 'invited', 'remind'];

/** Every table that refers to a member, and what becomes of their rows (in one transaction). */
export const ERASURE_STEPS: ErasureStep[] = [
  {
    what: 'sessions',
    async run(trx, e) {
      const gone = await trx.deleteFrom('sessions').where('user_id', '=', e.userId).returning('id').execute();
      e.revoked.push(...gone.map((s) => s.id));
    },
  },
  {
    what: 'tokens: password resets, email changes, unsubscribe links, the calendar feed',
    async run(trx, e) {
      await trx.deleteFrom('password_resets').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('email_changes').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('unsubscribe_tokens').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('calendar_tokens').where('user_id', '=', e.userId).execute();
    },
  },
  {
    what: 'follows, both ways (and the follower counts they made)',
    async run(trx, e) {
      await sql`
        update cases set follower_count = greatest(follower_count - 1, 0)
        where slug in (select target_key from follows where user_id = ${e.userId} and target_type = 'case')
      `.execute(trx);
      await sql`
        update users set follower_count = greatest(follower_count - 1, 0)
        where handle in (select target_key from follows where user_id = ${e.userId} and target_type = 'person')
      `.execute(trx);
      await trx.deleteFrom('follows').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('follows').where('target_type', '=', 'person').where('target_key', '=', e.handle).execute();
      await sql`delete from follow_notices where target_id = ${e.userId} or follower_id = ${e.userId}`.execute(trx);
    },
  },
  {
    what: 'notifications, their settings and the digest; their name in others’ notifications',
    async run(trx, e) {
      await trx.deleteFrom('notifications').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('notification_prefs').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('digest_settings').where('user_id', '=', e.userId).execute();
      await sql`
        update notifications set actor_ids = array_remove(actor_ids, ${e.userId}::bigint)
        where ${e.userId}::bigint = any(actor_ids)
      `.execute(trx);
      // "X followed you" links to X's profile.
      await sql`
        update notifications set payload = jsonb_set(payload, '{url}', '"/notifications"')
        where payload->>'url' = ${`/people/${e.handle}`}
      `.execute(trx);
    },
  },
  {
    what: 'events: organiser roles, invitations, emails sent, check-ins made',
    async run(trx, e) {
      await trx.deleteFrom('event_organisers').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('event_organiser_invitations').where('user_id', '=', e.userId).execute();
      await trx
        .updateTable('event_organiser_invitations')
        .set({ invited_by: null })
        .where('invited_by', '=', e.userId)
        .execute();
      await trx.deleteFrom('event_emails').where('user_id', '=', e.userId).execute();
    },
  },
  {
    what: 'blocks made by or of them, muted threads, email verification links',
    async run(trx, e) {
      await trx
        .deleteFrom('blocks')
        .where((eb) => eb.or([eb('blocker_id', '=', e.userId), eb('blocked_id', '=', e.userId)]))
        .execute();
      await trx.deleteFrom('thread_levels').where('user_id', '=', e.userId).execute();
      await trx.deleteFrom('email_verifications').where('user_id', '=', e.userId).execute();
    },
  },
  {
    what: 'reports they filed: kept for the moderators and the transparency counts, naming no one',
    async run(trx, e) {
      await trx
        .updateTable('reports')
        .set({ reporter_id: null, note: '' })
        .where('reporter_id', '=', e.userId)
        .execute();
    },
  },
  {
    what: 'the case library: proposals not published are gone; published cases and their history name no one',
    async run(trx, e) {
      await trx
        .deleteFrom('case_proposals')
        .where('proposer_id', '=', e.userId)
        .where('status', '<>', 'approved')
        .execute();
      await trx.updateTable('case_proposals').set({ proposer_id: null }).where('proposer_id', '=', e.userId).execute();
      await trx.updateTable('case_proposals').set({ reviewed_by: null }).where('reviewed_by', '=', e.userId).execute();
      await trx.updateTable('cases').set({ proposer_id: null }).where('proposer_id', '=', e.userId).execute();
      await trx.updateTable('cases').set({ created_by: null }).where('created_by', '=', e.userId).execute();
      await trx.updateTable('case_revisions').set({ editor_id: null }).where('editor_id', '=', e.userId).execute();
      await trx.updateTable('case_translations').set({ updated_by: null }).where('updated_by', '=', e.userId).execute();
    },
  },
  {
    what: 'introductions they asked for or were asked (the other member’s side goes too: it was a pair)',
    async run(trx, e) {
      // Their notifications (the other member's) and activities keep no excerpt of the message.
      await sql`
        delete from notifications where kind in ('introduction_requested', 'introduction_accepted')
          and group_key in (select k || ':' || i.id from introductions i,
            unnest(array['introduction_requested', 'introduction_accepted']) k
            where i.requester_id = ${e.userId} or i.recipient_id = ${e.userId})
      `.execute(trx);
      await sql`
        update activities set payload = payload - 'excerpt' where object_type = 'introduction'
          and object_id in (select id::text from introductions where requester_id = ${e.userId} or recipient_id = ${e.userId})
      `.execute(trx);
      await sql`delete from introductions where requester_id = ${e.userId} or recipient_id = ${e.userId}`.execute(trx);
    },
  },
  {
    what: 'events’ Q&A and polls: their votes go (and a question’s count with them), their questions stay naming no one or go, as their posts do',
    async run(trx, e) {
      await sql`
        update event_questions q set votes = q.votes - 1, version = q.version + 1
        from question_votes v where v.question_id = q.id and v.user_id = ${e.userId}
      `.execute(trx);
      await sql`delete from question_votes where user_id = ${e.userId}`.execute(trx);
      await sql`delete from poll_votes where user_id = ${e.userId}`.execute(trx);
      if (e.posts === 'delete') await sql`delete from event_questions where author_id = ${e.userId}`.execute(trx);
      else await sql`update event_questions set author_id = null where author_id = ${e.userId}`.execute(trx);
      await sql`update event_polls set created_by = null where created_by = ${e.userId}`.execute(trx);
    },
  },
  {
    what: 'per-member limits',
    async run(trx, e) {
      await sql`delete from member_limits where user_id = ${e.userId}`.execute(trx);
    },
  },
  {
    what: 'jobs addressed to them or naming their address (done or waiting)',
    async run(trx, e) {
      await sql`
        delete from jobs where payload->>'userId' = ${e.userId} or payload->>'fromUserId' = ${e.userId}
          or lower(payload->>'email') = lower(${e.email})
      `.execute(trx);
    },
  },
  {
    what: 'activities: no actor, no id of theirs in a payload, no follow of or by them',
    async run(trx, e) {
      await sql`
        delete from activities where verb = 'followed' and object_type = 'person'
          and (actor_id = ${e.userId} or payload->>'targetUserId' = ${e.userId} or object_id = ${e.handle})
      `.execute(trx);
      await trx.updateTable('activities').set({ actor_id: null }).where('actor_id', '=', e.userId).execute();
      for (const key of PAYLOAD_IDS) {
        await sql`
          update activities set payload = jsonb_set(payload, ${`{${key}}`}::text[], 'null'::jsonb)
          where payload->>${key} = ${e.userId}
        `.execute(trx);
      }
      for (const key of PAYLOAD_ID_LISTS) {
        await sql`
          update activities set payload = jsonb_set(payload, ${`{${key}}`}::text[],
            coalesce((select jsonb_agg(x) from jsonb_array_elements(payload->${key}) x
                      where x <> to_jsonb(${e.userId}::text)), '[]'::jsonb))
          where payload->${key} @> to_jsonb(array[${e.userId}::text])
        `.execute(trx);
      }
    },
  },
  {
    what: 'the account itself: emptied, kept as a row that names no one (deleted_at)',
    async run(trx, e) {
      const placeholder = `former-${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
      await trx
        .updateTable('users')
        .set({
          email: `${placeholder}@deleted.invalid`,
          password_hash: null,
          handle: placeholder,
          display_name: 'Former member',
          role: 'member',
          headline: '',
          organisation: '',
          country_code: null,
          themes: [],
          bio: '',
          bio_html: '',
          links: [],
          follower_count: 0,
          locale: 'en',
          trusted_at: null,
          suspended_at: null,
          suspended_until: null,
          suspension_reason: null,
          email_verified_at: null,
          updated_at: sql<Date>`now()`,
          deleted_at: sql<Date>`now()`,
        })
        .where('id', '=', e.userId)
        .execute();
    },
  },
  {
    what: 'the caches of every node (they may hold their name): emptied by an activity naming no one',
    async run(trx) {
      await insertActivity(trx, {
        verb: 'deleted',
        objectType: 'account',
        objectId: '0',
        actorId: null,
        countries: [],
        themes: [],
        isPublic: false,
        payload: {},
      });
    },
  },
];

/**
 * The administrators (locked in id order, so two last admins cannot both leave at once), then the
 * member's row (so two deletions of one account run one after the other). NO KEY UPDATE: rows
 * that merely refer to the member (a concurrent RSVP) do not wait on it.
 */
export async function lockMember(trx: ErasureTransaction, userId: string) {
  const admins = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
  const member = await trx
    .selectFrom('users')
    .select(['id', 'handle', 'email', 'role'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return member && { ...member, otherAdmins: admins.filter((a) => a.id !== userId).length };
}

export async function passwordHashOf(db: Executor, userId: string): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? row.password_hash : undefined;
}
