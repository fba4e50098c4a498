/**
 * The events module's emails: who an email is for, the day-before reminders decided under the
 * event's lock, and the ledger (event_emails) that makes each email go once.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../../platform/outbox/catalogue.ts';
import { insertActivity, writerTransaction } from '../../../platform/outbox/repository.ts';
import type { NewJob } from '../../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { attendeeIds } from '../attendance/repository.ts';
import { camelRow } from '../rows.ts';
import { lockEvent, type EventRow } from '../repository.ts';

export interface Recipient {
  id: string;
  email: string;
  displayName: string;
  locale: string;
  handle: string;
}

/**
 * Who an event email is for; undefined until their address is verified (the in-app notification
 * and the ticket on the event page stay: an unverified address gets no event email either).
 */
export async function recipient(db: Executor, userId: string): Promise<Recipient | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'locale', 'handle'])
    .where('id', '=', userId)
    .where('email_verified_at', 'is not', null)
    .executeTakeFirst();
  return row && camelRow(row);
}

/**
 * The day-before reminders of one start time of an event, decided once, under the event's lock
 * (so an edit moving it or a cancellation is either fully before or fully after): when `due` says
 * the event still starts then, one email job per member going and one activity naming those whose
 * job is new (their notifications). Run again, it adds nothing. Returns who was added.
 */
export async function scheduleReminders(
  db: Kysely<Schema>,
  eventId: string,
  effects: {
    due: (event: EventRow) => boolean;
    jobs: (event: EventRow, userIds: string[]) => Extract<NewJob, { kind: 'email.event_reminder' }>[];
    activity: (event: EventRow, userIds: string[]) => NewActivity;
  },
): Promise<string[]> {
  return writerTransaction(db, async (trx) => {
    const event = await lockEvent(trx, { id: eventId });
    if (!event || !effects.due(event)) return [];
    const jobs = effects.jobs(event, await attendeeIds(trx, event.id, ['going']));
    const added = new Set(await enqueueJobs(trx, jobs));
    const fresh = jobs.filter((j) => added.has(j.key)).map((j) => j.payload.userId);
    if (fresh.length) await insertActivity(trx, effects.activity(event, fresh));
    return fresh;
  });
}

export interface EmailClaim {
  kind: string;
  key: string;
  eventId: string;
  userId: string;
}

/** Takes the right to send one event email; false when it was taken before (sent, or being sent). */
export async function claimEmail(db: Executor, claim: EmailClaim): Promise<boolean> {
  const row = await db
    .insertInto('event_emails')
    .values({ kind: claim.kind, key: claim.key, event_id: claim.eventId, user_id: claim.userId })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markEmailSent(db: Executor, kind: string, key: string): Promise<void> {
  await db
    .updateTable('event_emails')
    .set({ sent_at: sql<Date>`now()` })
    .where('kind', '=', kind)
    .where('key', '=', key)
    .execute();
}

/** Gives a claim back when the mail server refused the email, so a retry may send it. */
export async function releaseEmail(db: Executor, kind: string, key: string): Promise<void> {
  await db
    .deleteFrom('event_emails')
    .where('kind', '=', kind)
    .where('key', '=', key)
    .where('sent_at', 'is', null)
    .execute();
}
