/** The composer's suggestions: members to @mention (participants first, never blocked-by or suspended) and cases to #link. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CasesSuggestions, PeopleSuggestions } from '@opsi/contracts/suggestions';
import type { Post } from '@opsi/contracts/discussions';
import {
  call,
  createTestCase,
  createTestApp,
  signUp,
  signUpAs,
  uniqueSlug,
  writePost,
  type Member,
} from '../../testing.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await createTestApp({ ABUSE_LIMITS: 'off' });
});
afterAll(async () => {
  await app.close();
});

/** A word no other test's member has in their name, so the suggestions are only this test's people. */
const word = () => uniqueSlug('zq').replaceAll('-', '');

async function people(who: Member | null, query: string) {
  return call(app, who, { url: `/api/v1/suggestions/people?${query}` });
}

async function handles(who: Member, query: string): Promise<string[]> {
  const res = await people(who, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PeopleSuggestions>().items.map((i) => i.handle);
}

describe('people to mention', () => {
  it('puts the thread’s participants first, then handles starting with what was typed, then by name', async () => {
    const name = word();
    const slug = await createTestCase(app);
    const me = await signUp(app, { displayName: `${name} Writer` });
    // Not participants: one whose handle starts with the word, one whose name's second word does.
    const byHandle = await signUp(app, { handle: `${name}-h`, displayName: 'Handle Only' });
    const byName = await signUp(app, { displayName: `Aaron ${name}` });
    const participant = await signUp(app, { displayName: `Zed ${name}` });
    const silent = await signUp(app, { displayName: `Yann ${name}` });
    await writePost(app, participant, slug, 'I was here first');
    const gone = await writePost(app, silent, slug, 'Deleted since');
    expect((await call(app, silent, { method: 'DELETE', url: `/api/v1/posts/${gone.id}` })).statusCode).toBe(204);

    const q = name.slice(0, 6);
    const ranked = await people(me, `q=${q}&case=${slug}`);
    expect(ranked.json<PeopleSuggestions>().items).toEqual([
      { handle: participant.handle, displayName: `Zed ${name}`, participant: true },
      { handle: byHandle.handle, displayName: 'Handle Only', participant: false },
      { handle: byName.handle, displayName: `Aaron ${name}`, participant: false },
      { handle: silent.handle, displayName: `Yann ${name}`, participant: false },
    ]);
    // The caller is never suggested; without a case nobody is a participant; `limit` cuts.
    expect(await handles(me, `q=${q}`)).toEqual([byHandle.handle, byName.handle, silent.handle, participant.handle]);
    expect(await handles(me, `q=${q}&case=${slug}&limit=1`)).toEqual([participant.handle]);
    // Case-insensitive, on any word of the name, with spaces around trimmed.
    expect(await handles(me, `q=${encodeURIComponent(` ${name.toUpperCase()} `)}`)).toHaveLength(4);
    expect(await handles(me, 'q=handle%20on')).toContain(byHandle.handle);
  });

  it('leaves out members who blocked the caller, suspended and deleted accounts', async () => {
    const name = word();
    const me = await signUp(app);
    const named = (n: string) => signUp(app, { displayName: `${name} ${n}` });
    const [blocker, suspended, deleted] = [await named('blocker'), await named('suspended'), await named('deleted')];
    const [blockedByMe, ok] = [await named('blocked'), await named('ok')];
    expect((await call(app, blocker, { method: 'PUT', url: `/api/v1/me/blocks/${me.handle}` })).statusCode).toBe(200);
    expect((await call(app, me, { method: 'PUT', url: `/api/v1/me/blocks/${blockedByMe.handle}` })).statusCode).toBe(
      200,
    );
    const moderator = await signUpAs(app, 'moderator');
    const suspension = await call(app, moderator, {
      method: 'POST',
      url: `/api/v1/moderation/people/${suspended.handle}/suspension`,
      payload: { reason: 'Spam in three threads', days: null },
    });
    expect(suspension.statusCode, suspension.body).toBe(200);
    await app.database.kysely
      .updateTable('users')
      .set({ deleted_at: new Date() })
      .where('handle', '=', deleted.handle)
      .execute();

    const found = await handles(me, `q=${name}`);
    expect(found.sort()).toEqual([blockedByMe.handle, ok.handle].sort());
    // The blocker's own suggestions still offer the member they blocked: the block is theirs.
    expect(await handles(blocker, `q=${me.handle.slice(0, 12)}`)).toContain(me.handle);
  });

  it('refuses a missing, short, long or blank q, a bad case or limit with the field named, and anonymous callers', async () => {
    const me = await signUp(app);
    for (const [query, field] of [
      ['', 'q'],
      ['q=a', 'q'],
      [`q=${'a'.repeat(41)}`, 'q'],
      ['q=%20%20a%20', 'q'],
      ['q=ab&case=Not%20A%20Slug', 'case'],
      ['q=ab&limit=11', 'limit'],
      ['q=ab&limit=0', 'limit'],
    ] as const) {
      const res = await people(me, query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.details[0].field, query).toBe(field);
    }
    expect((await people(null, 'q=ab')).statusCode).toBe(401);
  });
});

describe('cases to link', () => {
  it('sets accents aside both ways: "cwik…" finds Ćwik…, "ĆWIK…" too, "orsted…" Ørsted…, "lodz" a case in Łódź', async () => {
    const name = word();
    const me = await signUp(app);
    const helene = await signUp(app, { displayName: `Hélène Ćwik${name}` });
    const elodie = await signUp(app, { displayName: `ÉLODIE Ørsted${name}` });
    expect(await handles(me, `q=${encodeURIComponent(`cwik${name}`)}`)).toEqual([helene.handle]);
    expect(await handles(me, `q=${encodeURIComponent(`ĆWIK${name.toUpperCase()}`)}`)).toEqual([helene.handle]);
    expect(await handles(me, `q=${encodeURIComponent(`orsted${name}`)}`)).toEqual([elodie.handle]);
    expect(await handles(me, `q=${encodeURIComponent(`Ørsted${name}`)}`)).toEqual([elodie.handle]);
    const lodz = await createTestCase(app, { title: `Łódź ${name} budget` });
    const found = await call(app, me, { url: `/api/v1/suggestions/cases?q=${encodeURIComponent(`lodz ${name}`)}` });
    expect(found.json<CasesSuggestions>().items.map((i) => i.slug)).toEqual([lodz]);
  });

  it('finds cases by the start of their slug (first) or a word of their title; refuses a short q', async () => {
    const name = word();
    const me = await signUp(app);
    const byTitle = await createTestCase(app, { title: `Budget ${name} in the open` });
    const bySlugRes = await call(app, await signUpAs(app, 'admin'), {
      method: 'POST',
      url: '/api/v1/cases',
      payload: {
        slug: `${name}-lab`,
        title: 'A laboratory',
        summary: 'A case made by a test.',
        countries: ['HM'],
        themes: ['digital-government'],
        year: 2026,
        organisation: 'Test organisation',
        levelOfGovernment: 'national',
        stage: 'pilot',
      },
    });
    expect(bySlugRes.statusCode, bySlugRes.body).toBe(201);

    const res = await call(app, me, { url: `/api/v1/suggestions/cases?q=${name}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<CasesSuggestions>().items).toEqual([
      { slug: `${name}-lab`, title: 'A laboratory' },
      { slug: byTitle, title: `Budget ${name} in the open` },
    ]);
    const short = await call(app, me, { url: '/api/v1/suggestions/cases?q=%20b' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].field).toBe('q');
    expect((await call(app, null, { url: `/api/v1/suggestions/cases?q=${name}` })).statusCode).toBe(401);
  });

  it('a post’s #slug of a case becomes a link to it, in the post and its preview; an unknown one stays text', async () => {
    const me = await signUp(app);
    const [here, there] = [await createTestCase(app), await createTestCase(app)];
    const post: Post = await writePost(app, me, here, `Compare with #${there} and #no-such-case-here.`);
    expect(post.bodyHtml).toContain(`<a href="/cases/${there}" class="case-link">#${there}</a>`);
    expect(post.bodyHtml).toContain('#no-such-case-here.');
    expect(post.bodyHtml).not.toContain('/cases/no-such-case-here');
    const preview = await call(app, me, {
      method: 'POST',
      url: '/api/v1/posts/preview',
      payload: { body: `#${there}` },
    });
    expect(preview.json<{ bodyHtml: string }>().bodyHtml).toContain(`href="/cases/${there}"`);
  });
});
