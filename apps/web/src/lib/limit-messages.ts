/**
 * The sentences for a refusal by a per-member limit (`#lib/limits.ts`), in the UI language: the
 * composer, the reactions and the follow buttons, with JavaScript and without.
 */
import { ApiError } from '#lib/api/problem.ts';
import { refusalOf } from '#lib/limits.ts';
import { m } from '#lib/paraglide/messages.js';

/** For a new post, a reply or an edit; null when the error is not a limit. */
export function postLimitMessage(error: unknown): string | null {
  const refusal = error instanceof ApiError ? refusalOf(error) : null;
  if (!refusal) return null;
  if (refusal.limit === 'mentions_per_post') return m.thread_error_mentions({ max: refusal.max ?? 0 });
  if (refusal.limit === 'new_member_mentions_per_post') return m.thread_error_new_mentions({ max: refusal.max ?? 0 });
  if (refusal.limit === 'new_member_links_per_post') return m.thread_error_new_links({ max: refusal.max ?? 0 });
  if (refusal.limit === 'new_member_posts_per_day') return m.thread_error_new_posts({ max: refusal.max ?? 0 });
  return m.thread_error_rate({ seconds: refusal.seconds });
}

/** For a reaction; null when the error is not a limit. */
export function reactionLimitMessage(error: unknown): string | null {
  const refusal = error instanceof ApiError ? refusalOf(error) : null;
  return refusal && refusal.seconds > 0 ? m.thread_react_rate({ seconds: refusal.seconds }) : null;
}

/** For a follow or unfollow, from the seconds the follow action answered. */
export function followLimitMessage(seconds: number): string {
  return m.follow_rate({ minutes: Math.max(1, Math.ceil(seconds / 60)) });
}
