/** Follows and the personal feed: validation, reasons ("because you follow Brazil"), API shapes. */
import type { Feed, FeedItem, FollowList, FollowState, FollowType, Reason } from '@opsi/contracts/follows';
import type { Database } from '@opsi/db/database';
import type { TransactionExecutor } from '@opsi/db/executor';
import { AppError, problem } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor } from '../../platform/cursors.ts';
import { shortenText } from '../../platform/markdown.ts';
import {
  readActivities,
  throwInvalid,
  type Activity,
  type OnInvalidActivity,
} from '../../platform/outbox/catalogue.ts';
import * as repo from './repository.ts';
import * as feedRepo from './feed/repository.ts';
import { renderAtom, type AtomEntry } from './atom.ts';
import { UNLIMITED, type MemberLimits } from '../limits/service.ts';

export interface Follower {
  id: string;
  handle: string;
}

/** Feed items show this much of a post's stored excerpt (the Atom feed shows all of it). */
export const FEED_EXCERPT_MAX = 200;

function normaliseKey(type: FollowType, key: string): string {
  return type === 'country' ? key.toUpperCase() : key.toLowerCase();
}

/** The case a feed item is about: a case's own slug, or the case of a post. */
function caseSlugOf(a: Activity): string | undefined {
  if (a.objectType === 'case') return a.objectId;
  return a.objectType === 'post' ? a.payload.caseSlug : undefined;
}

/** The title a case or event was written with (its activity's), for one deleted since. */
function writtenTitle(a: Activity): string {
  return (a.objectType === 'case' && a.verb === 'created') || (a.objectType === 'event' && a.verb !== 'followed')
    ? a.payload.title
    : a.objectId;
}

/** An import's new cases in one hub (cases/catalogue-entries.ts), with the hub's page. */
function importedHub(a: Activity) {
  if ((a.objectType !== 'country' && a.objectType !== 'theme') || a.verb !== 'imported') return null;
  const url = a.objectType === 'country' ? `/countries/${a.objectId}` : `/themes/${a.objectId}`;
  return { ...a.payload, type: a.objectType, url };
}

/**
 * `limits`: the per-member limit on follows and unfollows (the routes pass the configured one);
 * `onInvalid`: logs a stored activity the catalogue refuses, left out of the feed.
 */
export function createFollowsService(
  database: Database,
  limits: MemberLimits = UNLIMITED,
  onInvalid: OnInvalidActivity = throwInvalid,
) {
  const db = database.kysely;

  async function target(type: FollowType, key: string): Promise<repo.Target> {
    const found = await repo.findTarget(db, type, normaliseKey(type, key));
    if (!found) throw new AppError('not_found', `No ${type} "${key}" to follow`);
    return found;
  }

  async function state(type: FollowType, t: repo.Target, userId: string | null): Promise<FollowState> {
    const [following, followerCount] = await Promise.all([
      userId ? repo.isFollowing(db, userId, type, t.key) : Promise.resolve(false),
      repo.followerCount(db, type, t.key),
    ]);
    return { type, key: t.key, following, followerCount };
  }

  return {
    async get(viewer: Follower | null, type: FollowType, key: string): Promise<FollowState> {
      return state(type, await target(type, key), viewer?.id ?? null);
    },

    async follow(actor: Follower | null, type: FollowType, key: string): Promise<FollowState> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to follow');
      const t = await target(type, key);
      if (type === 'person' && t.userId === actor.id) {
        throw new AppError('rule_violation', 'You cannot follow yourself', [
          problem('key', 'cannot_follow_self', 'that is you'),
        ]);
      }
      if (type === 'person' && t.userId && (await repo.isBlockedBy(db, actor.id, t.userId))) {
        const message = 'This member blocked you: you cannot follow them.';
        throw new AppError('rule_violation', message, [problem('key', 'blocked', message)]);
      }
      await limits.take(actor.id, 'follow');
      await repo.follow(db, actor.id, t, {
        verb: 'followed',
        objectType: type,
        objectId: t.key,
        actorId: actor.id,
        countries: type === 'country' ? [t.key] : [],
        themes: type === 'theme' ? [t.key] : [],
        isPublic: false,
        payload: { targetUserId: t.userId, label: t.label },
      });
      return state(type, t, actor.id);
    },

    async unfollow(actor: Follower | null, type: FollowType, key: string): Promise<FollowState> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to unfollow');
      const t = await target(type, key);
      await limits.take(actor.id, 'follow');
      await repo.unfollow(db, actor.id, t);
      return state(type, t, actor.id);
    },

    /**
     * Ends a follow without counting against the follower's limits and without an activity: a
     * block removes the blocked member's follow of the blocker (member-tools/service.ts).
     */
    async drop(followerId: string, type: FollowType, key: string): Promise<void> {
      const t = await repo.findTarget(db, type, normaliseKey(type, key));
      if (t) await repo.unfollow(db, followerId, t);
    },

    /**
     * Starts a follow in the caller's transaction, without counting against the follower's limits
     * and without an activity: an approved proposal's proposer follows its case
     * (proposals/service.ts), in the transaction that publishes it.
     */
    async followIn(trx: TransactionExecutor, followerId: string, type: FollowType, key: string): Promise<void> {
      const t = await repo.findTarget(trx, type, normaliseKey(type, key));
      if (!t) throw new AppError('not_found', `No ${type} "${key}" to follow`);
      await repo.followQuietly(trx, followerId, t);
    },

    async mine(actor: Follower | null): Promise<FollowList> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see what you follow');
      const rows = await repo.listFollows(db, actor.id);
      return { items: rows.map((r) => ({ ...r, followedAt: r.followedAt.toISOString() })) };
    },

    async feed(
      actor: Follower | null,
      query: { cursor?: string | undefined; limit?: number | undefined },
    ): Promise<Feed> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to see your feed');
      const limit = query.limit ?? 20;
      const before = query.cursor ? decodeCursor(query.cursor).afterId : undefined;
      const sets = await feedRepo.followSets(db, actor.id);
      const rows = await feedRepo.feed(
        db,
        actor.id,
        { ...(before ? { beforeId: before } : {}), limit: limit + 1 },
        sets,
      );
      const stored = rows.slice(0, limit);
      const page = readActivities(stored, onInvalid);
      const caseSlugs = new Set<string>();
      const eventSlugs = new Set<string>();
      const postIds: string[] = [];
      for (const r of page) {
        if (r.objectType === 'case') caseSlugs.add(r.objectId);
        if (r.objectType === 'event') eventSlugs.add(r.objectId);
        if (r.objectType === 'post') {
          postIds.push(r.objectId);
          caseSlugs.add(r.payload.caseSlug);
        }
      }
      const labels = await repo.labelsFor(db, {
        users: [...new Set(page.flatMap((r) => (r.actorId ? [r.actorId] : [])))],
        cases: [...caseSlugs],
        events: [...eventSlugs],
        posts: postIds,
      });
      const items: FeedItem[] = [];
      for (const r of page) {
        const caseSlug = caseSlugOf(r);
        const reasons: Reason[] = [];
        for (const c of r.countries) {
          const label = sets.countries.get(c);
          if (label) reasons.push({ type: 'country', key: c, label });
        }
        for (const t of r.themes) {
          const label = sets.themes.get(t);
          if (label) reasons.push({ type: 'theme', key: t, label });
        }
        if (caseSlug && sets.cases.has(caseSlug))
          reasons.push({ type: 'case', key: caseSlug, label: sets.cases.get(caseSlug)! });
        if (r.objectType === 'event' && sets.events.has(r.objectId))
          reasons.push({ type: 'event', key: r.objectId, label: sets.events.get(r.objectId)! });
        const person = r.actorId ? sets.people.get(r.actorId) : undefined;
        if (person) reasons.push({ type: 'person', key: person.handle, label: person.label });
        let title: string;
        let url: string;
        let excerpt = '';
        const hub = importedHub(r);
        if (hub) {
          title = (hub.type === 'country' ? sets.countries : sets.themes).get(r.objectId) ?? hub.label;
          url = hub.url;
          excerpt = hub.titles.join(' · ');
        } else if (r.objectType === 'post') {
          const stored = labels.posts.get(r.objectId);
          if (stored === undefined) continue; // deleted or hidden since
          title = labels.cases.get(caseSlug ?? '') ?? caseSlug ?? '';
          url = `/cases/${caseSlug}#post-${r.objectId}`;
          excerpt = shortenText(stored, FEED_EXCERPT_MAX);
        } else if (r.objectType === 'case') {
          title = labels.cases.get(r.objectId) ?? writtenTitle(r);
          url = `/cases/${r.objectId}`;
        } else if (r.objectType === 'event') {
          title = labels.events.get(r.objectId) ?? writtenTitle(r);
          url = `/events/${r.objectId}`;
        } else continue;
        const actor = r.actorId ? labels.users.get(r.actorId) : undefined;
        items.push({
          id: r.id,
          verb: r.verb,
          objectType: r.objectType,
          objectId: r.objectId,
          createdAt: r.createdAt.toISOString(),
          actor: actor ?? null,
          reasons,
          title,
          url,
          excerpt,
          ...(hub ? { count: hub.count } : {}),
          countries: r.countries,
          themes: r.themes,
        });
      }
      return {
        items,
        nextCursor: rows.length > limit ? encodeCursor({ afterId: stored[stored.length - 1]!.id }) : null,
      };
    },
  };
}

/**
 * The Atom feed of a country or theme hub: new cases, posts and events there, newest first
 * (`onInvalid` logs a stored activity the catalogue refuses, left out).
 */
/**
 * Follows of a renamed case (or another target) move to its new key, in the transaction of the
 * rename (cases/authoring/service.ts), so followers keep following it.
 */
export function renameFollowTarget(trx: TransactionExecutor, type: FollowType, from: string, to: string) {
  return repo.renameTarget(trx, type, from, to);
}

export async function hubAtom(
  database: Database,
  hub: { type: 'country' | 'theme'; key: string },
  publicOrigin: string,
  onInvalid: OnInvalidActivity = throwInvalid,
): Promise<string> {
  const db = database.kysely;
  const target = await repo.findTarget(db, hub.type, hub.type === 'country' ? hub.key.toUpperCase() : hub.key);
  if (!target) throw new AppError('not_found', `No ${hub.type} "${hub.key}"`);
  const stored = await repo.publicActivity(
    db,
    hub.type === 'country' ? { country: target.key } : { theme: target.key },
    50,
  );
  const rows = readActivities(stored, onInvalid);
  const caseSlugs = new Set<string>();
  const eventSlugs = new Set<string>();
  for (const r of rows) {
    if (r.objectType === 'case') caseSlugs.add(r.objectId);
    if (r.objectType === 'event') eventSlugs.add(r.objectId);
    if (r.objectType === 'post') caseSlugs.add(r.payload.caseSlug);
  }
  const labels = await repo.labelsFor(db, {
    users: [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))],
    cases: [...caseSlugs],
    events: [...eventSlugs],
    posts: rows.filter((r) => r.objectType === 'post').map((r) => r.objectId),
  });
  const host = new URL(publicOrigin).host;
  const entries: AtomEntry[] = [];
  for (const r of rows) {
    const author = (r.actorId && labels.users.get(r.actorId)?.displayName) || 'Public Sector Innovators Network';
    const entry = { id: `tag:${host},2026:activity-${r.id}`, updated: r.createdAt, author };
    const imported = importedHub(r);
    if (imported) {
      entries.push({
        ...entry,
        title: `${imported.count} new case${imported.count === 1 ? '' : 's'} in ${target.label}`,
        url: `${publicOrigin}${imported.url}`,
        summary: imported.titles.join(' · '),
      });
    } else if (r.objectType === 'post') {
      const excerpt = labels.posts.get(r.objectId);
      const slug = r.payload.caseSlug;
      if (excerpt === undefined) continue;
      entries.push({
        ...entry,
        title: `${author} on ${labels.cases.get(slug) ?? slug}`,
        url: `${publicOrigin}/cases/${slug}#post-${r.objectId}`,
        summary: excerpt,
      });
    } else if (r.objectType === 'case') {
      const title = labels.cases.get(r.objectId) ?? writtenTitle(r);
      entries.push({
        ...entry,
        title: `New case: ${title}`,
        url: `${publicOrigin}/cases/${r.objectId}`,
        summary: title,
      });
    } else if (r.objectType === 'event') {
      const title = labels.events.get(r.objectId) ?? writtenTitle(r);
      entries.push({
        ...entry,
        title: r.verb === 'cancelled' ? `Cancelled: ${title}` : `New event: ${title}`,
        url: `${publicOrigin}/events/${r.objectId}`,
        summary: title,
      });
    }
  }
  const path = hub.type === 'country' ? `countries/${target.key}` : `themes/${target.key}`;
  return renderAtom({
    id: `tag:${host},2026:${path}`,
    title: `${target.label} — Public Sector Innovators Network`,
    subtitle: `New cases, discussions and events in ${target.label}`,
    selfUrl: `${publicOrigin}/api/v1/${path}/feed.atom`,
    pageUrl: `${publicOrigin}/${path}`,
    updated: stored[0]?.createdAt ?? new Date(0),
    entries,
  });
}

export type FollowsService = ReturnType<typeof createFollowsService>;
