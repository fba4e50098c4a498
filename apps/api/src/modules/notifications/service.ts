/** Who is told about what (from committed activities), and the notification API shapes. */
import type {
  MarkRead,
  Notification,
  NotificationKind,
  NotificationList,
  NotificationPrefs,
  NotificationPrefsPatch,
} from '@opsi/contracts/follows';
import { EventNoticeKinds, NotificationKinds, defaultChannel } from '@opsi/contracts/follows';
import type { Database } from '@opsi/db/database';
import type { Executor } from '@opsi/db/executor';
import { AppError, problem } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import type { Activity } from '../../platform/outbox/catalogue.ts';
import { shortenText } from '../../platform/markdown.ts';
import { FEED_EXCERPT_MAX } from '../follows/service.ts';
import * as repo from './repository.ts';

const EMAILED_BY_EVENTS: ReadonlySet<string> = new Set(EventNoticeKinds);

/**
 * The notifications one activity causes, as groups in order of precedence (each member at most
 * once per activity, from the first group naming them; none to the actor, to a member who blocked
 * the actor or muted the thread): the writer (repository.ts) resolves and writes each activity's
 * groups in one statement, however many members they reach.
 */
export async function notificationsFor(
  trx: repo.NotificationTransaction,
  activity: Activity,
): Promise<repo.NotificationPlan> {
  const groups: repo.NoticeGroup[] = [];
  // Nothing reaches a member who blocked the actor, nor one who muted the post's case thread.
  const caseSlug = activity.objectType === 'post' ? activity.payload.caseSlug : null;
  const plan: repo.NotificationPlan = {
    activityId: activity.id,
    actorId: activity.actorId,
    mutedCase: caseSlug ?? null,
    groups,
  };
  const add = (
    audience: repo.Audience,
    kind: NotificationKind,
    groupKey: string,
    payload: repo.NoticeGroup['payload'],
    count?: number,
  ) => {
    groups.push({
      audience,
      kind,
      groupKey,
      payload,
      defaultChannel: defaultChannel(kind),
      // The events module emails these itself (events/jobs.ts), with the time, place and ticket.
      emailed: EMAILED_BY_EVENTS.has(kind),
      count: count || 1,
    });
  };
  const to = (...ids: (string | null | undefined)[]): repo.Audience => ({ ids });

  if (activity.objectType === 'post' && activity.verb === 'created' && activity.payload.caseSlug) {
    const p = activity.payload;
    const title = await repo.caseTitle(trx, p.caseSlug);
    const excerpt = shortenText(await repo.postExcerpt(trx, activity.objectId), FEED_EXCERPT_MAX);
    const base = { title, url: `/cases/${p.caseSlug}#post-${activity.objectId}`, excerpt, caseSlug: p.caseSlug };
    if (p.parentId) add(to(p.parentAuthorId), 'reply', `reply:${p.parentId}`, base);
    add(to(...p.mentionIds), 'mention', `mention:${activity.objectId}`, base);
    // Those watching the thread: one notification per thread while unread ("3 new posts in …").
    add({ watchers: { caseSlug: p.caseSlug } }, 'watched_post', `watched_post:${p.caseSlug}`, base);
    // Posting in a thread, or being mentioned in it, makes a member watch it (unless they chose).
    plan.watch = { caseSlug: p.caseSlug, ids: [activity.actorId, ...p.mentionIds].filter((id) => id !== null) };
    // Followers of the case, its countries and themes, and of the author: one notification per
    // case while unread ("5 new posts in …"), never twice for one post (a reply or mention wins).
    const followers = {
      countries: activity.countries,
      themes: activity.themes,
      cases: [p.caseSlug],
      person: await repo.handleOf(trx, activity.actorId),
    };
    add({ followers }, 'new_post', `new_post:${p.caseSlug}`, { ...base, url: `/cases/${p.caseSlug}` });
  }

  if (activity.objectType === 'event' && activity.verb !== 'followed' && activity.payload.eventSlug) {
    const { eventSlug, title } = activity.payload;
    const base = { title, url: `/events/${eventSlug}`, excerpt: '', eventSlug };
    if (activity.verb === 'updated' || activity.verb === 'rsvp_changed') {
      add(to(...activity.payload.promoted), 'waitlist_promoted', `promoted:${eventSlug}:${activity.id}`, base);
    }
    if (activity.verb === 'updated' && activity.payload.changes.length) {
      const people = { eventPeople: { slug: eventSlug, statuses: ['going', 'waitlisted'] } };
      add(people, 'event_changed', `event_changed:${eventSlug}`, { ...base, changes: activity.payload.changes });
    }
    // The day-before reminder (events/jobs.ts): to those it was sent to, once per start time.
    if (activity.verb === 'reminded') {
      const groupKey = `event_reminder:${eventSlug}:${activity.payload.startsAt}`;
      add(to(...activity.payload.remind), 'event_reminder', groupKey, base);
    }
    // An invitation to co-organise (events/service.ts): to each member invited, to accept or decline.
    if (activity.verb === 'organiser_invited') {
      add(to(...activity.payload.invited), 'organiser_invitation', `organiser_invitation:${eventSlug}`, base);
    }
    if (activity.verb === 'cancelled') {
      const people = { eventPeople: { slug: eventSlug, statuses: ['going', 'waitlisted', 'interested'] } };
      add(people, 'event_cancelled', `event_cancelled:${eventSlug}`, base);
    }
    if (activity.verb === 'created') {
      const followers = {
        countries: activity.countries,
        themes: activity.themes,
        cases: await repo.eventCaseSlugs(trx, eventSlug),
        person: await repo.handleOf(trx, activity.actorId),
      };
      add({ followers }, 'new_event', `new_event:${eventSlug}`, base);
    }
  }

  // An import's new cases in a country or theme (cases/import/service.ts): its followers, once per
  // hub, counting the cases ("12 new cases in France"), however many cases the import added.
  if ((activity.objectType === 'country' || activity.objectType === 'theme') && activity.verb === 'imported') {
    const p = activity.payload;
    const hub = activity.objectType === 'country' ? `/countries/${activity.objectId}` : `/themes/${activity.objectId}`;
    const followers = { countries: activity.countries, themes: activity.themes, cases: [], person: null };
    const payload = { title: p.label, url: hub, excerpt: p.titles.join(' · ') };
    add({ followers }, 'new_cases', `new_cases:${activity.objectType}:${activity.objectId}`, payload, p.count);
  }

  // A moderator redacted an earlier version of a post, or the post was deleted: notifications that
  // quoted the post quote what it shows now (nothing, once deleted), so the text stays in no one's
  // list, email or digest.
  if (activity.objectType === 'post' && (activity.verb === 'revision_redacted' || activity.verb === 'deleted')) {
    await requotePostNotifications(trx, activity.objectId);
  }

  // A moderator's decision (moderation/catalogue-entries.ts): the member concerned and the
  // reporters, each notice once, with no actor (no one learns who acted).
  if (activity.objectType === 'moderation' && activity.verb === 'notice') {
    for (const n of activity.payload.notices) {
      add(to(n.userId), n.kind, `${n.kind}:${activity.id}`, { title: n.title, url: n.url, excerpt: n.excerpt });
    }
  }

  // A moderator reviewed a member's proposed case (proposals/catalogue-entries.ts): its proposer.
  if (activity.objectType === 'proposal' && activity.verb === 'reviewed') {
    const p = activity.payload;
    const kind = p.outcome === 'approved' ? 'proposal_approved' : 'proposal_returned';
    add(to(p.proposerId), kind, `${kind}:${activity.id}`, { title: p.title, url: p.url, excerpt: p.reason });
  }

  // Introductions (introductions/catalogue-entries.ts): the member asked, then the one who asked.
  const introductions = '/people/introductions';
  if (activity.objectType === 'introduction' && activity.verb === 'requested') {
    const { recipientId, excerpt } = activity.payload;
    const key = `introduction_requested:${activity.objectId}`;
    add(to(recipientId), 'introduction_requested', key, { title: '', url: introductions, excerpt });
  }
  if (activity.objectType === 'introduction' && activity.verb === 'accepted') {
    const key = `introduction_accepted:${activity.objectId}`;
    add(to(activity.payload.requesterId), 'introduction_accepted', key, { title: '', url: introductions, excerpt: '' });
  }

  // A member is told once that someone follows them: following again after unfollowing (however
  // often) notifies, and emails, no one again.
  const followed =
    activity.objectType === 'person' && activity.verb === 'followed' ? activity.payload.targetUserId : null;
  if (followed && activity.actorId && (await repo.firstFollowNotice(trx, followed, activity.actorId))) {
    const handle = await repo.handleOf(trx, activity.actorId);
    add(to(followed), 'new_follower', 'new_follower', {
      title: '',
      url: handle ? `/people/${handle}` : '/notifications',
      excerpt: '',
    });
  }
  return plan;
}

/**
 * Makes every notification that quotes this post quote what it shows now: its excerpt, or nothing
 * when it is deleted or hidden. In the caller's transaction: a hide or unhide calls it (through
 * discussions/visibility/service.ts) after changing the post, so a queued "email now" mail or a
 * later digest never quotes a hidden post.
 */
export async function requotePostNotifications(db: Executor, postId: string): Promise<void> {
  await repo.requotePost(db, postId, shortenText(await repo.postExcerpt(db, postId), FEED_EXCERPT_MAX));
}

export function toNotification(row: repo.NotificationRow): Notification {
  const p = row.payload as { title?: string; url?: string; excerpt?: string };
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
    count: row.count,
    actors: row.actors,
    title: p.title ?? '',
    url: p.url ?? '/notifications',
    excerpt: p.excerpt ?? '',
  };
}

/**
 * How a member wants to be told about a kind: their choice, or the kind's default. For modules
 * that send their own email about a kind (events); takes the caller's executor.
 */
export function channelOf(db: Executor, userId: string, kind: string): Promise<string> {
  return repo.channelOf(db, userId, kind);
}

export function createNotificationsService(database: Database) {
  const db = database.kysely;

  function need(actor: { id: string } | null): string {
    if (!actor) throw new AppError('unauthorized', 'Sign in to see your notifications');
    return actor.id;
  }

  return {
    async list(
      actor: { id: string } | null,
      query: { unread?: boolean | undefined; cursor?: string | undefined; limit?: number | undefined },
    ): Promise<NotificationList> {
      const userId = need(actor);
      const limit = query.limit ?? 20;
      let before: { updatedAt: Date; id: string } | undefined;
      if (query.cursor) {
        const { afterId } = decodeCursor(query.cursor);
        const [anchor] = afterId ? await repo.findNotifications(db, [afterId]) : [];
        if (!anchor || anchor.userId !== userId)
          throw new AppError('validation_failed', 'cursor is not valid', [
            problem('cursor', 'invalid_cursor', 'unknown cursor'),
          ]);
        before = { updatedAt: anchor.updatedAt, id: anchor.id };
      }
      const [rows, unreadCount] = await Promise.all([
        repo.listNotifications(db, userId, {
          unread: query.unread ?? false,
          ...(before ? { before } : {}),
          limit: limit + 1,
        }),
        repo.unreadCount(db, userId),
      ]);
      const page = rows.slice(0, limit);
      return {
        items: page.map(toNotification),
        nextCursor: rows.length > limit ? encodeCursor({ afterId: page[page.length - 1]!.id }) : null,
        unreadCount,
      };
    },

    /** An unread notification with the member it is for (the "email now" mail); null once read or gone. */
    async unread(notificationId: string): Promise<{ userId: string; notification: Notification } | null> {
      const [row] = await repo.findNotifications(db, [notificationId]);
      return row && !row.readAt ? { userId: row.userId, notification: toNotification(row) } : null;
    },

    async markRead(actor: { id: string } | null, body: MarkRead): Promise<{ unreadCount: number }> {
      const userId = need(actor);
      await repo.markRead(db, userId, 'all' in body ? 'all' : body.ids);
      return { unreadCount: await repo.unreadCount(db, userId) };
    },

    async prefs(actor: { id: string } | null): Promise<NotificationPrefs> {
      const userId = need(actor);
      const stored = await repo.prefs(db, userId);
      const byKind = new Map(stored.kinds.map((k) => [k.kind, k.channel]));
      return {
        kinds: NotificationKinds.map((kind) => ({
          kind,
          channel: (byKind.get(kind) ?? defaultChannel(kind)) as NotificationPrefs['kinds'][number]['channel'],
        })),
        digest: stored.digest as NotificationPrefs['digest'],
      };
    },

    async setPrefs(actor: { id: string } | null, patch: NotificationPrefsPatch): Promise<NotificationPrefs> {
      const userId = need(actor);
      await repo.setPrefs(db, userId, patch.kinds ?? [], patch.digest);
      return this.prefs(actor);
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
