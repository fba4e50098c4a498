/** Editing one's own profile (PATCH /api/v1/me/profile): who may, which fields, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import naughty from 'big-list-of-naughty-strings' with { type: 'json' };
import type { PeopleList, Profile } from '@opsi/contracts/profiles';
import { createTestApp, signUp, type Member } from '../../testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  // Hundreds of requests from one address: lift the global rate limit for this file.
  app = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await app.close();
});

describe('PATCH /api/v1/me/profile', () => {
  async function patch(payload: unknown, cookie?: string, headers: Record<string, string> = {}) {
    return app.inject({
      method: 'PATCH',
      url: '/api/v1/me/profile',
      payload: payload as Record<string, unknown>,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
  }
  async function profileOf(handle: string): Promise<Profile> {
    const res = await app.inject({ method: 'GET', url: `/api/v1/people/${handle}` });
    expect(res.statusCode).toBe(200);
    // The public page adds the cases they proposed; the profile itself is what PATCH answers.
    const { proposedCases, ...profile } = res.json<Profile & { proposedCases: unknown[] }>();
    expect(proposedCases).toEqual([]);
    return profile;
  }

  let alice: Member;
  let bob: Member;
  beforeAll(async () => {
    alice = await signUp(app, { displayName: 'Alice Tester' });
    bob = await signUp(app, { displayName: 'Bob Tester' });
  });

  it('refuses anonymous callers with 401 and writes nothing', async () => {
    const before = await profileOf(alice.handle);
    const res = await patch({ headline: 'Hijacked' });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ error: { code: string; message: string } }>().error).toEqual({
      code: 'unauthorized',
      message: 'Sign in to edit your profile',
    });
    // A cookie that is not a session is anonymous too.
    const forged = await patch({ headline: 'Hijacked' }, 'session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(forged.statusCode).toBe(401);
    expect(await profileOf(alice.handle)).toEqual(before);
  });

  it('lets a signed-in member edit their own profile, and only theirs', async () => {
    const bobBefore = await profileOf(bob.handle);
    const res = await patch(
      {
        displayName: '  Alice Tester-Lambert  ',
        headline: ' Service designer ',
        organisation: 'City of Ghent (demo)',
        countryCode: 'BE',
        bio: 'I *design* services. [My page](https://example.org/alice)',
        themes: ['service-design', 'citizen-engagement'],
        links: ['https://example.org/alice', 'http://example.org/alice/cv'],
      },
      alice.cookie,
    );
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json<Profile>();
    expect(updated).toMatchObject({
      handle: alice.handle,
      displayName: 'Alice Tester-Lambert',
      headline: 'Service designer',
      organisation: 'City of Ghent (demo)',
      countryCode: 'BE',
      bio: 'I *design* services. [My page](https://example.org/alice)',
      bioHtml:
        '<p>I <em>design</em> services. <a href="https://example.org/alice" rel="nofollow ugc noopener">My page</a></p>\n',
      themes: ['service-design', 'citizen-engagement'],
      links: ['https://example.org/alice', 'http://example.org/alice/cv'],
      role: 'member',
    });
    expect(await profileOf(alice.handle)).toEqual(updated);
    // The directory sees the change.
    const directory = await app.inject({
      method: 'GET',
      url: `/api/v1/people?country=BE&q=${encodeURIComponent('Tester-Lambert')}`,
    });
    expect(directory.statusCode, directory.body).toBe(200);
    const found = directory.json<PeopleList>();
    expect(found.items.map((p) => p.handle)).toContain(alice.handle);
    // Bob's profile is untouched; Bob's cookie edits Bob.
    expect(await profileOf(bob.handle)).toEqual(bobBefore);
    const bobRes = await patch({ headline: 'Policy analyst' }, bob.cookie);
    expect(bobRes.statusCode).toBe(200);
    expect(bobRes.json<Profile>()).toMatchObject({ handle: bob.handle, headline: 'Policy analyst' });
    expect((await profileOf(alice.handle)).headline).toBe('Service designer');
  });

  it('changes only the fields given; null clears the country', async () => {
    const before = await profileOf(alice.handle);
    const res = await patch({ countryCode: null }, alice.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json<Profile>()).toEqual({ ...before, countryCode: null });
    const empty = await patch({}, alice.cookie);
    expect(empty.statusCode).toBe(200);
    expect(empty.json<Profile>()).toEqual({ ...before, countryCode: null });
  });

  it('refuses an unknown country or theme with 422 naming the field, writing nothing', async () => {
    const before = await profileOf(alice.handle);
    const res = await patch(
      { headline: 'Should not be saved', countryCode: 'ZZ', themes: ['service-design', 'no-such-theme'] },
      alice.cookie,
    );
    expect(res.statusCode).toBe(422);
    const error = res.json<{ error: { code: string; details: { field: string }[] } }>().error;
    expect(error.code).toBe('rule_violation');
    expect(error.details.map((d) => d.field).sort()).toEqual(['countryCode', 'themes']);
    expect(await profileOf(alice.handle)).toEqual(before);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const before = await profileOf(alice.handle);
    for (const [payload, field] of [
      [{ displayName: '   ' }, 'displayName'],
      [{ displayName: '' }, 'displayName'],
      [{ displayName: 'x'.repeat(81) }, 'displayName'],
      [{ headline: 'x'.repeat(141) }, 'headline'],
      [{ organisation: 'x'.repeat(141) }, 'organisation'],
      [{ bio: 'x'.repeat(5001) }, 'bio'],
      [{ countryCode: 'france' }, 'countryCode'],
      [{ themes: ['Not A Slug'] }, 'themes.0'],
      [{ themes: ['justice', 'justice'] }, 'themes'],
      [{ links: ['javascript:alert(1)'] }, 'links.0'],
      [{ links: ['ftp://example.org/file'] }, 'links.0'],
      [
        {
          links: [
            'https://example.org/1',
            'https://example.org/2',
            'https://example.org/3',
            'https://example.org/4',
            'https://example.org/5',
            'https://example.org/6',
          ],
        },
        'links',
      ],
      [{ role: 'admin' }, 'role'],
      [{ handle: 'someone-else' }, 'handle'],
    ] as const) {
      const res = await patch(payload, alice.cookie);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(
        body.error.details.map((d) => d.field),
        JSON.stringify(payload),
      ).toContain(field);
    }
    expect(await profileOf(alice.handle)).toEqual(before);
  });

  it('refuses a cross-site request even with a valid session', async () => {
    const res = await patch({ headline: 'Cross-site' }, alice.cookie, { 'sec-fetch-site': 'cross-site' });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('csrf_rejected');
    expect((await profileOf(alice.handle)).headline).not.toBe('Cross-site');
  });

  it('never answers a 5xx to naughty strings in any text field, and the bio HTML stays safe', async () => {
    for (const s of naughty) {
      for (const field of ['displayName', 'headline', 'organisation', 'bio'] as const) {
        const res = await patch({ [field]: s }, bob.cookie);
        expect(res.statusCode, `${field} ${JSON.stringify(s)}`).toBeLessThan(500);
        if (res.statusCode === 200 && field === 'bio') {
          const html = res.json<Profile>().bioHtml;
          expect(html).not.toMatch(/<script/i);
          expect(html).not.toMatch(/<[^<>]*\son[a-z]+\s*=/i);
          expect(html).not.toMatch(/href\s*=\s*(?:["']\s*)?javascript:/i);
        }
      }
    }
    expect((await profileOf(bob.handle)).handle).toBe(bob.handle);
  });
});
