/**
 * Every problem in `error.details` carries a code from the contracts' closed list and the params
 * its text needs, so clients translate codes and never parse the English `message`: the schema
 * keywords (required, unknown field, type, lengths, counts, pattern, format, allowed values) and
 * the platform's own rules (password rules, taken, blank, unknown theme, parent post, cursor).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ProblemCodes, type FieldProblem } from '@opsi/contracts/common';
import { createTestApp, GOOD_PASSWORD, nextAddress, signUp, uniqueSlug } from './testing.ts';

let app: FastifyInstance;
let member: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  app = await createTestApp();
  member = await signUp(app);
});

afterAll(async () => {
  await app.close();
});

function problemsOf(body: string): FieldProblem[] {
  const details = (JSON.parse(body) as { error: { details?: FieldProblem[] } }).error.details ?? [];
  for (const problem of details) expect(ProblemCodes).toContain(problem.code);
  return details;
}

function signup(payload: Record<string, unknown>) {
  const handle = uniqueSlug('problem');
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: nextAddress(),
    payload: {
      email: `${handle}@example.org`,
      password: GOOD_PASSWORD,
      displayName: 'Problem tester',
      handle,
      ...payload,
    },
  });
}

function patchProfile(payload: Record<string, unknown>) {
  return app.inject({ method: 'PATCH', url: '/api/v1/me/profile', headers: { cookie: member.cookie }, payload });
}

describe('problems from the request schemas', () => {
  it('names the keyword as a code, with the limit as a param', async () => {
    const cases: [Record<string, unknown>, Partial<FieldProblem>][] = [
      [{ email: undefined }, { field: 'email', code: 'required' }],
      [{ displayName: 42 }, { field: 'displayName', code: 'wrong_type', params: { type: 'string' } }],
      [{ displayName: 'x'.repeat(81) }, { field: 'displayName', code: 'too_long', params: { max: 80 } }],
      [{ displayName: '' }, { field: 'displayName', code: 'too_short', params: { min: 1 } }],
      [{ handle: 'Not A Handle!' }, { field: 'handle', code: 'bad_pattern' }],
    ];
    for (const [payload, expected] of cases) {
      const res = await signup(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(problemsOf(res.body), JSON.stringify(payload)).toContainEqual(expect.objectContaining(expected));
    }
  });

  it('codes counts, unknown fields and allowed values', async () => {
    const unknown = await patchProfile({ nickname: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(problemsOf(unknown.body)).toContainEqual(
      expect.objectContaining({ field: 'nickname', code: 'unknown_field' }),
    );
    const tooMany = await patchProfile({ links: Array.from({ length: 6 }, (_, i) => `https://example.org/${i}`) });
    expect(problemsOf(tooMany.body)).toContainEqual(
      expect.objectContaining({ field: 'links', code: 'too_many', params: { max: 5 } }),
    );
    const twice = await patchProfile({ themes: ['digital-government', 'digital-government'] });
    expect(problemsOf(twice.body)).toContainEqual(expect.objectContaining({ field: 'themes', code: 'duplicate' }));
    const notAllowed = await app.inject({ method: 'GET', url: '/api/v1/cases?sort=sideways' });
    expect(notAllowed.statusCode).toBe(400);
    expect(problemsOf(notAllowed.body)).toContainEqual(expect.objectContaining({ code: 'not_allowed' }));
  });

  it('codes a body that is not JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(problemsOf(res.body)).toEqual([expect.objectContaining({ field: 'body', code: 'invalid_json' })]);
  });
});

describe("problems from the platform's rules", () => {
  it('codes each password rule, with the length as a param', async () => {
    const expectations: [string, Partial<FieldProblem>][] = [
      ['short', { code: 'too_short', params: { min: 12 } }],
      ['password1234', { code: 'password_common' }],
    ];
    for (const [password, expected] of expectations) {
      const res = await signup({ password });
      expect([400, 422], password).toContain(res.statusCode);
      expect(problemsOf(res.body), password).toContainEqual(
        expect.objectContaining({ field: 'password', ...expected }),
      );
    }
    const handle = uniqueSlug('personal');
    const personal = await signup({ handle, email: `${handle}@example.org`, password: `${handle}` });
    expect(problemsOf(personal.body)).toContainEqual(
      expect.objectContaining({ field: 'password', code: expect.stringMatching(/^password_/) }),
    );
  });

  it('codes a taken handle and a blank name', async () => {
    const taken = await signup({ handle: member.handle });
    expect(taken.statusCode).toBe(409);
    expect(problemsOf(taken.body)).toEqual([expect.objectContaining({ field: 'handle', code: 'taken' })]);
    const blank = await signup({ displayName: '   ' });
    expect(blank.statusCode).toBe(422);
    expect(problemsOf(blank.body)).toEqual([expect.objectContaining({ field: 'displayName', code: 'blank' })]);
  });

  it('codes unknown themes and countries with the value as a param', async () => {
    const res = await patchProfile({ themes: ['astrology'], countryCode: 'ZZ' });
    expect(res.statusCode).toBe(422);
    expect(problemsOf(res.body)).toEqual([
      expect.objectContaining({ field: 'countryCode', code: 'unknown_country', params: { value: 'ZZ' } }),
      expect.objectContaining({ field: 'themes', code: 'unknown_theme', params: { value: 'astrology' } }),
    ]);
  });

  it('codes a wrong current password and a cursor the API did not issue', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: member.cookie },
      payload: { currentPassword: 'not the password at all', newPassword: 'another long pass phrase 7' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(problemsOf(wrong.body)).toEqual([
      expect.objectContaining({ field: 'currentPassword', code: 'password_incorrect' }),
    ]);
    const cursor = await app.inject({ method: 'GET', url: '/api/v1/people?cursor=nonsense' });
    expect(problemsOf(cursor.body)).toEqual([expect.objectContaining({ field: 'cursor', code: 'invalid_cursor' })]);
  });
});
