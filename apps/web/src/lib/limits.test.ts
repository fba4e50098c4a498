import { describe, expect, it } from 'vitest';
import { ApiError, type ApiProblem } from './api/problem.ts';
import { refusalOf } from './limits.ts';

const refusal = (problem: Partial<ApiProblem> & Pick<ApiProblem, 'status' | 'code'>) =>
  new ApiError({ message: 'x', problems: [], ...problem });

describe('refusalOf', () => {
  it('reads the limit and the wait from a 429', () => {
    const error = refusal({
      status: 429,
      code: 'rate_limited',
      problems: [{ field: 'body', message: 'x', params: { limit: 'posts_per_minute', max: 10, retryAfter: 42 } }],
      retryAfter: 42,
    });
    expect(refusalOf(error)).toEqual({ limit: 'posts_per_minute', seconds: 42, max: 10 });
  });

  it('falls back on a minute, and never says less than a second', () => {
    // The per-address request limit names no field and no limit.
    expect(refusalOf(refusal({ status: 429, code: 'rate_limited' }))).toEqual({
      limit: null,
      seconds: 60,
      max: null,
    });
    expect(refusalOf(refusal({ status: 429, code: 'rate_limited', retryAfter: 0.2 }))?.seconds).toBe(1);
  });

  it('knows the mentions refusal (422), and nothing else is a limit', () => {
    const mentions = [{ field: 'body', message: 'x', params: { limit: 'mentions_per_post', max: 10 } }];
    expect(refusalOf(refusal({ status: 422, code: 'rule_violation', problems: mentions }))).toEqual({
      limit: 'mentions_per_post',
      seconds: 0,
      max: 10,
    });
    expect(
      refusalOf(refusal({ status: 422, code: 'rule_violation', problems: [{ field: 'parentId', message: 'gone' }] })),
    ).toBeNull();
    expect(refusalOf(refusal({ status: 404, code: 'not_found' }))).toBeNull();
    const bogus = [{ field: 'body', message: 'x', params: { limit: 'bogus' } }];
    expect(refusalOf(refusal({ status: 429, code: 'rate_limited', problems: bogus, retryAfter: 5 }))).toEqual({
      limit: null,
      seconds: 5,
      max: null,
    });
  });
});
