/**
 * The dataset's activity stream: what the app's writers would have written for the content and
 * the social graph, with the catalogue's payload shapes (cases, discussions, events and follows
 * catalogue-entries.ts), in time order (ids ascend with created_at). The stream holds
 * `size.activities` rows at most: every case, event, cancellation, reaction and the latest follows
 * keep theirs, and posts keep theirs (created, edited, deleted, hidden) from the newest back as far
 * as the rest allows — older posts' activities are gone, as a retention job would have them.
 */
import type pg from 'pg';
import { withoutIndexes } from './bulk.ts';
import type { DatasetSize } from './size.ts';

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} at time zone 'UTC', ${ISO})`;

/** Every activity the content and the graph imply; `post_id` ties a post's own activities to it. */
const CANDIDATES = `
  create temp table bench_activities as
  select 'created' as verb, 'case' as object_type, c.slug as object_id, c.created_by as actor_id, c.countries,
         c.themes, true as public, jsonb_build_object('title', c.title) as payload, c.created_at,
         null::bigint as post_id
  from cases c
  union all
  select 'created', 'event', e.slug, e.created_by, e.countries, e.themes, true,
         jsonb_build_object('eventSlug', e.slug, 'eventId', e.id::text, 'title', e.title,
                            'startsAt', ${iso('e.starts_at')}),
         e.created_at, null
  from events e
  union all
  select 'cancelled', 'event', e.slug, e.created_by, e.countries, e.themes, true,
         jsonb_build_object('eventSlug', e.slug, 'eventId', e.id::text, 'title', e.title, 'goingCount', e.going_count,
                            'waitlistCount', e.waitlist_count, 'interestedCount', e.interested_count,
                            'capacity', e.capacity),
         e.cancelled_at, null
  from events e where e.status = 'cancelled'
  union all
  select 'created', 'post', p.id::text, p.author_id, c.countries, c.themes, true,
         jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text, 'parentId', p.parent_id::text,
                            'parentAuthorId', parent.author_id::text, 'mentionIds', '[]'::jsonb),
         p.created_at, p.id
  from posts p join cases c on c.id = p.case_id left join posts parent on parent.id = p.parent_id
  union all
  select 'updated', 'post', p.id::text, p.author_id, c.countries, c.themes, true,
         jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text, 'parentId', p.parent_id::text,
                            'mentionIds', '[]'::jsonb),
         p.edited_at, p.id
  from posts p join cases c on c.id = p.case_id where p.edited_at is not null
  union all
  select 'deleted', 'post', p.id::text, p.deleted_by, c.countries, c.themes, true,
         jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text, 'parentId', p.parent_id::text,
                            'byModerator', false),
         p.deleted_at, p.id
  from posts p join cases c on c.id = p.case_id where p.deleted_at is not null
  union all
  select 'hidden', 'post', p.id::text, p.hidden_by, c.countries, c.themes, false,
         jsonb_build_object('caseSlug', c.slug, 'postId', p.id::text, 'parentId', p.parent_id::text),
         p.hidden_at, p.id
  from posts p join cases c on c.id = p.case_id where p.hidden_at is not null
  union all
  select 'reacted', 'post', r.post_id::text, r.user_id, c.countries, c.themes, false,
         jsonb_build_object('caseSlug', c.slug, 'postId', r.post_id::text, 'kind', r.kind, 'on', true,
                            'authorId', p.author_id::text),
         r.created_at, null
  from post_reactions r join posts p on p.id = r.post_id join cases c on c.id = p.case_id
  union all
  select 'followed', f.target_type, f.target_key, f.user_id,
         case when f.target_type = 'country' then array[f.target_key] else '{}' end,
         case when f.target_type = 'theme' then array[f.target_key] else '{}' end, false,
         jsonb_build_object('targetUserId', m.id::text,
                            'label', coalesce(co.name, th.name, ca.title, m.display_name, f.target_key)),
         f.created_at, null
  from (select * from follows order by created_at desc limit $1::int) f
  left join countries co on f.target_type = 'country' and co.code = f.target_key
  left join themes th on f.target_type = 'theme' and th.slug = f.target_key
  left join cases ca on f.target_type = 'case' and ca.slug = f.target_key
  left join users m on f.target_type = 'person' and m.handle = f.target_key`;

/** The oldest post that keeps its activities, so that the stream holds `total` rows at most. */
const CUTOFF = `
  select coalesce(min(post_id), 0)::bigint as cutoff, coalesce(max(kept), 0)::int as kept,
         (select count(*)::int from bench_activities where post_id is null) as others
  from (select post_id, sum(n) over (order by post_id desc) as kept
        from (select post_id, count(*) as n from bench_activities where post_id is not null group by post_id) per_post
       ) cumulative
  where kept <= $1::int - (select count(*) from bench_activities where post_id is null)`;

export async function writeActivities(
  client: pg.Client,
  size: DatasetSize,
  log: (line: string) => void,
): Promise<{ postsWithActivities: number }> {
  log(`dataset: ${size.activities.toLocaleString('en')} activities`);
  await client.query(CANDIDATES, [size.followActivities]);
  const { rows } = await client.query<{ cutoff: string; kept: number; others: number }>(CUTOFF, [size.activities]);
  const { cutoff, others } = rows[0]!;
  if (others >= size.activities) throw new Error(`${others} activities besides posts' own: more than the total`);
  // Activities are written by the app's writers one at a time, each notifying listeners; here the
  // app is not running, and what is written is history (the outbox cursors are moved past it).
  await client.query('alter table activities disable trigger activities_notify');
  await withoutIndexes(client, ['activities'], () =>
    client.query(
      `insert into activities (verb, object_type, object_id, actor_id, countries, themes, public, payload, created_at)
     select verb, object_type, object_id, actor_id, countries, themes, public, payload, created_at
     from bench_activities where post_id is null or post_id >= $1::bigint
     order by created_at, object_type, object_id, verb`,
      [cutoff],
    ),
  );
  await client.query('alter table activities enable trigger activities_notify');
  await client.query(CURSORS_PAST_HISTORY);
  await client.query('drop table bench_activities');
  const posts = await client.query<{ n: number }>(`select count(*)::int as n from posts where id >= $1::bigint`, [
    cutoff,
  ]);
  return { postsWithActivities: posts.rows[0]!.n };
}

/**
 * Every outbox cursor (notifications, digests…) moved past the dataset's activities, in the outbox's
 * (xid, id) order: they are history, which an app started on the dataset must not deliver again.
 */
export const CURSORS_PAST_HISTORY = `
  update outbox_cursors set (last_xid, last_id) = (select xid, id from activities order by xid desc, id desc limit 1)
  where exists (select 1 from activities)`;
