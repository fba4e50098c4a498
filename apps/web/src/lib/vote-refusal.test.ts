import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiProblem } from './api/problem.ts';
import { baseLocale, overwriteGetLocale } from '#lib/paraglide/runtime.js';
import { voteRefusal } from './vote-refusal.ts';

const refused = (status: number, code?: string, more: Partial<ApiProblem> = {}) =>
  new ApiError({
    status,
    code: 'conflict',
    message: 'The API’s English words, never shown',
    problems: code ? [{ field: 'status', message: 'x', code }] : [],
    ...more,
  });

afterEach(() => overwriteGetLocale(() => baseLocale));

describe('voteRefusal', () => {
  it('says why a vote was not counted, from the API’s status and code', () => {
    overwriteGetLocale(() => 'en');
    expect(voteRefusal(refused(409, 'poll_closed'), 'poll')).toBe('Your vote was not counted: this poll has closed.');
    expect(voteRefusal(refused(409, 'qa_closed'), 'question')).toBe(
      'Your vote was not counted: questions are closed for this event.',
    );
    expect(voteRefusal(refused(409, 'event_over'), 'poll')).toMatch(/event has ended/);
    expect(voteRefusal(refused(409, 'event_cancelled'), 'question')).toMatch(/was cancelled/);
    expect(voteRefusal(refused(404), 'question')).toMatch(/question was removed or hidden/);
    expect(voteRefusal(refused(404), 'poll')).toMatch(/poll no longer exists/);
    expect(voteRefusal(refused(422, 'too_many'), 'poll')).toMatch(/exactly one answer/);
    expect(voteRefusal(refused(422, 'unknown_option'), 'poll')).toMatch(/not one of this poll’s/);
    expect(voteRefusal(refused(403), 'question')).toMatch(/may not vote here/);
    expect(voteRefusal(refused(503), 'question')).toMatch(/not responding/);
    expect(voteRefusal(refused(0), 'poll')).toMatch(/not responding/);
    expect(voteRefusal(refused(409, 'something_new'), 'question')).toBe(
      'Your vote was not counted. Reload the page to see where things stand.',
    );
  });

  it('says how long to wait when the votes a minute ran out (429), in seconds', () => {
    overwriteGetLocale(() => 'en');
    const limited = (retryAfter: number) =>
      refused(429, undefined, {
        code: 'rate_limited',
        problems: [{ field: '', message: 'x', code: 'rate_limited', params: { limit: 'live_votes_per_minute' } }],
        retryAfter,
      });
    expect(voteRefusal(limited(12), 'question')).toBe(
      'Your vote was not counted: you are voting too fast. Wait 12 seconds, then vote again.',
    );
    expect(voteRefusal(limited(0.4), 'poll')).toMatch(/Wait 1 second,/);
  });

  it('speaks French', () => {
    overwriteGetLocale(() => 'fr');
    expect(voteRefusal(refused(409, 'poll_closed'), 'poll')).toBe(
      'Votre vote n’a pas été compté\u00a0: ce sondage est clos.',
    );
    expect(voteRefusal(refused(409, 'qa_closed'), 'question')).toMatch(/questions sont fermées/);
  });
});
