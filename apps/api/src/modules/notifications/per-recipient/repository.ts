/**
 * The per-recipient notification writer as it was before issue 15 (a query per audience, then for
 * each member their channel, the grouped insert and the email job, one statement each), kept only
 * as the reference the set-based writer (../repository.ts) is compared with in writer.test.ts:
 * given the same plans, both must write the same notifications and jobs. Not used by the app.
 */
import { sql, type Transaction } from 'kysely';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { Activity } from '../../../platform/outbox/catalogue.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { channelOf, type Audience, type NoticeGroup, type NotificationPlan, type Written } from '../repository.ts';

export async function writePerRecipient(
  trx: Transaction<Schema>,
  activities: Activity[],
  plan: (trx: Transaction<Schema>, activity: Activity) => Promise<NotificationPlan>,
): Promise<Written[]> {
  const written: Written[] = [];
  for (const activity of activities) {
    const p = await plan(trx, activity);
    const told = await silencedFor(trx, p.actorId, p.mutedCase);
    for (const group of p.groups) {
      for (const userId of await members(trx, group.audience)) {
        if (!userId || userId === p.actorId || told.has(userId)) continue;
        told.add(userId);
        const channel = await channelOf(trx, userId, group.kind);
        if (channel === 'off') continue;
        const id = await insertOne(trx, p, group, userId);
        written.push({ id, userId, kind: group.kind, channel });
        if (channel === 'email' && !group.emailed) {
          const job = { notificationId: id };
          await enqueueJobs(trx, [{ kind: 'email.notification', key: `${id}:${p.activityId}`, payload: job }]);
        }
      }
    }
    if (p.groups.length && p.watch) await watch(trx, p.actorId, p.watch);
  }
  return written;
}

/** Each member starts watching the thread unless they have a level for it or blocked the actor. */
async function watch(db: Executor, actorId: string | null, w: { caseSlug: string; ids: string[] }): Promise<void> {
  const c = await db.selectFrom('cases').select('id').where('slug', '=', w.caseSlug).executeTakeFirst();
  if (!c) return;
  for (const userId of w.ids) {
    const blocked = await db
      .selectFrom('blocks')
      .select('blocker_id')
      .where('blocker_id', '=', userId)
      .where('blocked_id', '=', actorId ?? '0')
      .executeTakeFirst();
    if (blocked) continue;
    await sql`insert into thread_levels (user_id, case_id, level) values (${userId}, ${c.id}, 'watching')
      on conflict (user_id, case_id) do nothing`.execute(db);
  }
}

async function members(db: Executor, audience: Audience): Promise<(string | null | undefined)[]> {
  if ('ids' in audience) return audience.ids;
  if ('watchers' in audience) {
    const rows = await db
      .selectFrom('thread_levels as t')
      .innerJoin('cases as c', 'c.id', 't.case_id')
      .select('t.user_id')
      .where('c.slug', '=', audience.watchers.caseSlug)
      .where('t.level', '=', 'watching')
      .execute();
    return rows.map((r) => r.user_id);
  }
  if ('eventPeople' in audience) {
    const rows = await db
      .selectFrom('rsvps as r')
      .innerJoin('events as e', 'e.id', 'r.event_id')
      .select('r.user_id')
      .where('e.slug', '=', audience.eventPeople.slug)
      .where('r.status', 'in', audience.eventPeople.statuses)
      .execute();
    return rows.map((r) => r.user_id);
  }
  const t = audience.followers;
  const { rows } = await sql<{ user_id: string }>`
    select distinct user_id from follows
    where (target_type = 'country' and target_key = any(${t.countries}::text[]))
       or (target_type = 'theme' and target_key = any(${t.themes}::text[]))
       or (target_type = 'case' and target_key = any(${t.cases}::text[]))
       or (target_type = 'person' and target_key = ${t.person ?? ''})
  `.execute(db);
  return rows.map((r) => r.user_id);
}

async function silencedFor(db: Executor, actorId: string | null, caseSlug: string | null): Promise<Set<string>> {
  const { rows } = await sql<{ user_id: string }>`
    select blocker_id as user_id from blocks where blocked_id = ${actorId ?? '0'}
    union
    select l.user_id from thread_levels l join cases c on c.id = l.case_id
    where c.slug = ${caseSlug ?? ''} and l.level = 'muted'
  `.execute(db);
  return new Set(rows.map((r) => r.user_id));
}

async function insertOne(db: Executor, p: NotificationPlan, g: NoticeGroup, userId: string): Promise<string> {
  const actors = p.actorId ? sql`array[${p.actorId}]::bigint[]` : sql`'{}'::bigint[]`;
  const { rows } = await sql<{ id: string }>`
    insert into notifications (user_id, kind, group_key, actor_ids, payload, activity_id, count)
    values (${userId}, ${g.kind}, ${g.groupKey}, ${actors}, ${JSON.stringify(g.payload)}::jsonb, ${p.activityId}, ${g.count})
    on conflict (user_id, group_key) where read_at is null do update
    set count = notifications.count + excluded.count, updated_at = now(), activity_id = excluded.activity_id,
      payload = excluded.payload, actor_ids = (select coalesce(array_agg(a order by ord), '{}') from (
        select a, min(ord) as ord from unnest(excluded.actor_ids || notifications.actor_ids) with ordinality as t(a, ord)
        group by a order by min(ord) limit 5) kept)
    returning id
  `.execute(db);
  return String(rows[0]!.id);
}
