/**
 * Why a live vote (a Q&A question's or a poll's) was not counted, in the reader's language: from
 * the API's status and problem code, never its English words. A vote refused is said as such
 * ("your vote was not counted: the poll has closed"), not as a form to check and send again.
 */
import type { ApiProblem } from '#lib/api/problem.ts';
import { refusalOf } from '#lib/limits.ts';
import { m } from '#lib/paraglide/messages.js';

/** What was voted on: a question of the Q&A, or a poll. */
export type VoteTarget = 'question' | 'poll';

/** The sentence for a refused vote (every refusal has one: the general one last). */
export function voteRefusal(error: Pick<ApiProblem, 'status' | 'problems' | 'retryAfter'>, target: VoteTarget): string {
  if (error.status === 0 || error.status >= 500) return m.live_vote_refused_unavailable();
  const limited = refusalOf(error);
  if (limited && error.status === 429) return m.live_vote_refused_rate({ seconds: limited.seconds });
  const codes = new Set(error.problems.map((p) => p.code));
  if (codes.has('poll_closed')) return m.live_vote_refused_poll_closed();
  if (codes.has('qa_closed')) return m.live_vote_refused_qa_closed();
  if (codes.has('event_over')) return m.live_vote_refused_over();
  if (codes.has('event_cancelled')) return m.live_vote_refused_cancelled();
  if (codes.has('unknown_option')) return m.live_vote_refused_option();
  if (codes.has('too_many') || codes.has('too_few')) return m.live_vote_refused_one();
  if (error.status === 404)
    return target === 'poll' ? m.live_vote_refused_poll_gone() : m.live_vote_refused_question_gone();
  if (error.status === 403) return m.live_vote_refused_forbidden();
  return m.live_vote_refused();
}
