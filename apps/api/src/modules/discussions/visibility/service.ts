/**
 * What a hidden post takes away with it besides the thread (whose tombstone is the moderation
 * module's): the copies and counts made while it was visible. The hide and unhide actions call
 * these in their own transaction, right after setting or clearing `posts.hidden_at`:
 *  - notifications that quote the post quote nothing (a queued "email now" mail and a later digest
 *    read them when they are sent, so neither quotes it either); an unhide quotes it again;
 *  - its activities leave the public outbox readers: the stream's `since` replay, feeds and the
 *    hubs' Atom feeds (an unhide gives back those of the verbs written public);
 *  - its case's `postCount` stops counting it.
 * Reads check `hidden_at` as well (search, feeds, notifications being written), so a post hidden
 * by any means stays out of them; the hide must also write an activity (any verb, not public), by
 * which every node empties its public cache (plugins/cache.ts).
 */
import type { Executor } from '@opsi/db/executor';
import { setObjectActivitiesPublic } from '../../../platform/outbox/repository.ts';
import { requotePostNotifications } from '../../notifications/service.ts';
import * as repo from './repository.ts';

/** The verbs about a post that discussions/service.ts writes public (while the post is not hidden). */
const PUBLIC_POST_VERBS = ['created', 'updated', 'deleted'] as const;

/** Call in the hide's transaction, once the post is hidden (once per hide: it counts the post out). */
export async function forgetHiddenPost(db: Executor, postId: string): Promise<void> {
  await repo.countPost(db, postId, -1);
  await setObjectActivitiesPublic(db, { objectType: 'post', objectId: postId, verbs: PUBLIC_POST_VERBS }, false);
  await requotePostNotifications(db, postId);
}

/** Call in the unhide's transaction, once `hidden_at` is cleared (once per unhide: it counts the post in). */
export async function rememberUnhiddenPost(db: Executor, postId: string): Promise<void> {
  await repo.countPost(db, postId, 1);
  await setObjectActivitiesPublic(db, { objectType: 'post', objectId: postId, verbs: PUBLIC_POST_VERBS }, true);
  await requotePostNotifications(db, postId);
}
