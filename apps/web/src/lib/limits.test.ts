import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { refusalOf } from './limits.ts';

describe('refusalOf', () => {
  it('reads the limit and the wait from a 429', () => {
    const error = new ApiError(
      429,
      'rate_limited',
      'You are posting too fast',
      [{ field: 'body', message: 'x', limit: 'posts_per_minute', max: 10, retryAfter: 42 } as never],
      42,
    );
    expect(refusalOf(error)).toEqual({ limit: 'posts_per_minute', seconds: 42, max: 10 });
  });

  it('falls back on the details, then on a minute, and never says less than a second', () => {
    const details = [{ field: 'kind', message: 'x', limit: 'reactions_per_minute', max: 60, retryAfter: 7 } as never];
    expect(refusalOf(new ApiError(429, 'rate_limited', 'x', details))?.seconds).toBe(7);
    // The per-address request limit names no field and no limit.
    expect(refusalOf(new ApiError(429, 'rate_limited', 'Too many requests'))).toEqual({
      limit: null,
      seconds: 60,
      max: null,
    });
    expect(refusalOf(new ApiError(429, 'rate_limited', 'x', [], 0.2))?.seconds).toBe(1);
  });

  it('knows the mentions refusal (422), and nothing else is a limit', () => {
    const mentions = [{ field: 'body', message: 'x', limit: 'mentions_per_post', max: 10 } as never];
    expect(refusalOf(new ApiError(422, 'rule_violation', 'x', mentions))).toEqual({
      limit: 'mentions_per_post',
      seconds: 0,
      max: 10,
    });
    expect(
      refusalOf(
        new ApiError(422, 'rule_violation', 'x', [{ field: 'parentId', code: 'parent_deleted', message: 'gone' }]),
      ),
    ).toBeNull();
    expect(refusalOf(new ApiError(404, 'not_found', 'x'))).toBeNull();
    expect(
      refusalOf(new ApiError(429, 'rate_limited', 'x', [{ field: 'body', message: 'x', limit: 'bogus' } as never], 5)),
    ).toEqual({ limit: null, seconds: 5, max: null });
  });
});
