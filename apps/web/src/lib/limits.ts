/**
 * What a per-member limit said when the API refused an action: which limit
 * (`error.details[0].limit`, read by `#lib/api/problem.ts` into the problem's parameters), and in
 * how many seconds to try again (Retry-After, or the limit's own `retryAfter`). The web app words
 * its messages from these, never from the API's English text.
 */
import { MemberLimitNames, type MemberLimitName } from '@opsi/contracts/common';
import type { ApiProblem } from '#lib/api/problem.ts';

export interface Refusal {
  /** The limit named by the API; null for a limit that names none (the per-address request limit). */
  limit: MemberLimitName | null;
  /** Seconds until the action may be tried again (at least 1; 0 for mentions, which waiting does not help). */
  seconds: number;
  /** The allowance, when the API said it. */
  max: number | null;
}

/** Limits on one post (422): waiting does not help, changing the post does. */
const PER_POST: ReadonlySet<MemberLimitName> = new Set([
  'mentions_per_post',
  'new_member_mentions_per_post',
  'new_member_links_per_post',
]);

function isLimit(value: unknown): value is MemberLimitName {
  return (MemberLimitNames as readonly unknown[]).includes(value);
}

/** The refusal behind an API error, or null when the error is not a limit. */
export function refusalOf(error: Pick<ApiProblem, 'status' | 'problems' | 'retryAfter'>): Refusal | null {
  const said = error.problems[0]?.params;
  const limit = isLimit(said?.limit) ? said.limit : null;
  const max = typeof said?.max === 'number' ? said.max : null;
  if (error.status === 422 && limit && PER_POST.has(limit)) return { limit, seconds: 0, max };
  if (error.status !== 429) return null;
  return { limit, seconds: Math.max(1, Math.ceil(error.retryAfter ?? 60)), max };
}
