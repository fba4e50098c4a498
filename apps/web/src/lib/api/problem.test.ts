import { describe, expect, it } from 'vitest';
import { apiErrorOf, parseApiProblem, unreachable } from './problem.ts';

const answer = (status: number, headers: Record<string, string> = {}, statusText = '') => ({
  status,
  statusText,
  headers: new Headers(headers),
});

describe('parseApiProblem', () => {
  it('reads a validation refusal: the code, the message and every field named', () => {
    const problem = parseApiProblem(answer(400), {
      error: {
        code: 'validation_failed',
        message: 'body/title must NOT have more than 200 characters',
        details: [
          { field: 'title', message: 'must NOT have more than 200 characters' },
          { field: 'slug', message: 'too long', code: 'too_long', params: { max: 40 } },
        ],
      },
    });
    expect(problem).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'body/title must NOT have more than 200 characters',
      problems: [
        { field: 'title', message: 'must NOT have more than 200 characters' },
        { field: 'slug', message: 'too long', code: 'too_long', params: { max: 40 } },
      ],
    });
  });

  it('keeps what a problem says beyond its field and message as parameters (a co-organiser refused)', () => {
    const problem = parseApiProblem(answer(422), {
      error: {
        code: 'rule_violation',
        message: 'coOrganisers: no member "ghost"',
        details: [{ field: 'coOrganisers', message: 'no member "ghost"', reason: 'unknown', value: 'ghost' }],
      },
    });
    expect(problem.problems).toEqual([
      { field: 'coOrganisers', message: 'no member "ghost"', params: { reason: 'unknown', value: 'ghost' } },
    ]);
  });

  it('reads a rate limit: the limit, its allowance and the seconds to wait (Retry-After first)', () => {
    const body = {
      error: {
        code: 'rate_limited',
        message: 'Too many posts: try again in 42 seconds',
        details: [{ field: '', message: 'posts_per_minute', limit: 'posts_per_minute', max: 5, retryAfter: 41.2 }],
      },
    };
    const withHeader = parseApiProblem(answer(429, { 'retry-after': '42' }), body);
    expect(withHeader).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 42 });
    expect(withHeader.problems[0]?.params).toEqual({ limit: 'posts_per_minute', max: 5, retryAfter: 41.2 });
    // No header (a proxy dropped it): the limit's own seconds, rounded up.
    expect(parseApiProblem(answer(429), body).retryAfter).toBe(42);
    // Neither: no guess.
    expect(parseApiProblem(answer(429), { error: { code: 'rate_limited', message: 'Slow down' } })).not.toHaveProperty(
      'retryAfter',
    );
  });

  it('makes do with an answer that is not the API error shape', () => {
    expect(parseApiProblem(answer(502, {}, 'Bad Gateway'), '<html>Bad Gateway</html>')).toEqual({
      status: 502,
      code: 'internal_error',
      message: 'Bad Gateway',
      problems: [],
    });
    expect(parseApiProblem(answer(404), null)).toEqual({
      status: 404,
      code: 'not_found',
      message: 'Unexpected API response',
      problems: [],
    });
    // An unknown code, details that are not a list, problems that are not objects.
    expect(
      parseApiProblem(answer(409), { error: { code: 'teapot', message: 'Taken', details: { field: 'slug' } } }),
    ).toMatchObject({ code: 'conflict', message: 'Taken', problems: [] });
    expect(
      parseApiProblem(answer(400), { error: { code: 'validation_failed', message: 'x', details: ['slug', null] } })
        .problems,
    ).toEqual([]);
  });
});

describe('apiErrorOf', () => {
  it('reads the body of an answer: JSON, or text that is not', async () => {
    const json = new Response(JSON.stringify({ error: { code: 'forbidden', message: 'Not yours' } }), { status: 403 });
    expect(await apiErrorOf(json)).toMatchObject({ status: 403, code: 'forbidden', message: 'Not yours' });
    const html = new Response('<h1>Oops</h1>', { status: 500, statusText: 'Internal Server Error' });
    expect(await apiErrorOf(html)).toMatchObject({ status: 500, code: 'internal_error', problems: [] });
  });
});

describe('unreachable', () => {
  it('is status 0, service_unavailable', () => {
    expect(unreachable()).toMatchObject({ status: 0, code: 'service_unavailable', problems: [] });
  });
});
