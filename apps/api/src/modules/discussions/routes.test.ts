import { describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { Post, PostList, PostRevisions, ReactionState, SearchResults } from '@opsi/contracts/discussions';
import type { CaseList } from '@opsi/contracts/cases';
import { appForFile, call, createTestCase, signUp, signUpAll, writePost, type Member } from '../../testing.ts';

// These members post and react far more than a person would in a minute; the limits have their
// own tests (limits/limits.test.ts).
const app = await appForFile({ POSTS_PER_MINUTE: '1000', REACTIONS_PER_MINUTE: '1000' });
const [author, other, moderator, admin] = await signUpAll(app, 'member', 'member', 'moderator', 'admin');

async function thread(slug: string, query = '', who: Member | null = null): Promise<PostList> {
  const res = await call(app, who, { method: 'GET', url: `/api/v1/cases/${slug}/posts${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PostList>();
}

describe('posting in a case thread', () => {
  it('stores markdown, renders sanitised HTML once, and lists posts oldest first with the contract fields', async () => {
    const slug = await createTestCase(app);
    const first = await writePost(app, author, slug, { body: 'Hello **world** [site](https://example.org)' });
    const second = await writePost(app, other, slug, { body: 'Second' });
    expect(first.bodyHtml).toBe(
      '<p>Hello <strong>world</strong> <a href="https://example.org" rel="nofollow ugc noopener">site</a></p>\n',
    );
    const list = await thread(slug);
    expect(list.items.map((p) => p.id)).toEqual([first.id, second.id]);
    expect(Object.keys(list.items[0]!).sort()).toEqual(
      [
        'author',
        'body',
        'bodyHtml',
        'language',
        'caseSlug',
        'createdAt',
        'deleted',
        'editedAt',
        'hidden',
        'id',
        'mentions',
        'parentId',
        'reactions',
        'replyCount',
      ].sort(),
    );
    expect(list.items[0]).toMatchObject({
      caseSlug: slug,
      parentId: null,
      author: { handle: author.handle },
      deleted: false,
      editedAt: null,
      reactions: { like: 0, insightful: 0, support: 0 },
    });
    // The case list counts posts.
    const cases = await app.inject({ method: 'GET', url: `/api/v1/cases/${slug}` });
    expect(cases.json<{ postCount: number }>().postCount).toBe(2);
  });

  it('catches up with ?after= and pages with nextCursor, each post once', async () => {
    const slug = await createTestCase(app);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.push((await writePost(app, author, slug, { body: `post ${i}` })).id);
    expect((await thread(slug, `?after=${ids[4]}`)).items.map((p) => p.id)).toEqual(ids.slice(5));
    const seen: string[] = [];
    let after = '0';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await thread(slug, `?after=${after}&limit=3`);
      seen.push(...page.items.map((p) => p.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(ids);
  });

  it('returns the first post for a repeated clientId, also under concurrent retries', async () => {
    const slug = await createTestCase(app);
    const payload = { body: 'Only once', clientId: 'c-1' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(app, author, { method: 'POST', url: `/api/v1/cases/${slug}/posts`, payload }),
      ),
    );
    const ids = new Set(results.map((r) => r.json<Post>().id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 200)).toBe(true);
    expect((await thread(slug)).items).toHaveLength(1);
    // Another member may use the same clientId for their own post.
    await writePost(app, other, slug, payload);
    expect((await thread(slug)).items).toHaveLength(2);
  });

  it('threads replies one level deep; a reply to a reply joins the conversation', async () => {
    const slug = await createTestCase(app);
    const root = await writePost(app, author, slug, { body: 'Question?' });
    const reply = await writePost(app, other, slug, { body: 'Answer', parentId: root.id });
    const nested = await writePost(app, author, slug, { body: 'Thanks', parentId: reply.id });
    expect(reply.parentId).toBe(root.id);
    expect(nested.parentId).toBe(root.id);
    const list = await thread(slug);
    expect(list.items.find((p) => p.id === root.id)?.replyCount).toBe(2);
  });

  it('refuses bad input with the field named and writes nothing', async () => {
    const slug = await createTestCase(app);
    const elsewhere = await createTestCase(app);
    const foreign = await writePost(app, author, elsewhere, { body: 'elsewhere' });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ body: '' }, 400, 'body'],
      [{ body: '   \n\t ' }, 400, 'body'],
      [{ body: 'x'.repeat(20_001) }, 400, 'body'],
      [{}, 400, 'body'],
      [{ body: ['a', 'b'] }, 400, 'body'],
      [{ body: 'ok', parentId: 'abc' }, 400, 'parentId'],
      [{ body: 'ok', parentId: '999999999999' }, 422, 'parentId'],
      [{ body: 'ok', parentId: foreign.id }, 422, 'parentId'],
      [{ body: 'ok', clientId: '' }, 400, 'clientId'],
      [{ body: 'ok', extra: true }, 400, 'extra'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await call(app, author, { method: 'POST', url: `/api/v1/cases/${slug}/posts`, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      const details = res.json<{ error: { details?: { field: string }[] } }>().error.details ?? [];
      expect(details.map((d) => d.field).join(',')).toContain(field);
    }
    expect((await thread(slug)).items).toHaveLength(0);
    const unknown = await call(app, author, {
      method: 'POST',
      url: '/api/v1/cases/no-such-case/posts',
      payload: { body: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/cases/no-such-case/posts' })).statusCode).toBe(404);
    // 20,000 characters exactly is fine.
    await writePost(app, author, slug, { body: 'y'.repeat(20_000) });
  });

  it('links @mentions of members that exist and stores them', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, {
      body: `Hi @${other.handle} and @nobody-here-x, see \`@${moderator.handle}\``,
    });
    expect(p.mentions).toEqual([other.handle]);
    expect(p.bodyHtml).toContain(`<a href="/people/${other.handle}" class="mention">@${other.handle}</a>`);
    expect(p.bodyHtml).toContain('@nobody-here-x');
    expect(p.bodyHtml).toContain(`<code>@${moderator.handle}</code>`);
    const stored = await app.database.kysely
      .selectFrom('post_mentions')
      .select('user_id')
      .where('post_id', '=', p.id)
      .execute();
    expect(stored.map((r) => r.user_id)).toEqual([other.user.id]);
  });
});

describe('editing, deleting and reacting', () => {
  it('keeps the edit history and shows it', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, { body: 'first version' });
    const edit1 = await call(app, author, {
      method: 'PATCH',
      url: `/api/v1/posts/${p.id}`,
      payload: { body: 'second' },
    });
    expect(edit1.statusCode, edit1.body).toBe(200);
    expect(edit1.json<Post>()).toMatchObject({ body: 'second', bodyHtml: '<p>second</p>\n' });
    expect(edit1.json<Post>().editedAt).not.toBeNull();
    await call(app, moderator, { method: 'PATCH', url: `/api/v1/posts/${p.id}`, payload: { body: 'third' } });
    const history = (
      await call(app, null, { method: 'GET', url: `/api/v1/posts/${p.id}/revisions` })
    ).json<PostRevisions>();
    expect(history.current.body).toBe('third');
    expect(history.items.map((r) => r.body)).toEqual(['second', 'first version']);
    expect(history.items[0]?.replacedBy?.handle).toBe(moderator.handle);
    expect(history.items[1]?.replacedBy?.handle).toBe(author.handle);
  });

  it('deletes a post without replies from the thread and keeps a tombstone where replies exist', async () => {
    const slug = await createTestCase(app);
    const lonely = await writePost(app, author, slug, { body: 'alone' });
    const root = await writePost(app, author, slug, { body: 'root' });
    const reply = await writePost(app, other, slug, { body: 'reply', parentId: root.id });
    expect((await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${lonely.id}` })).statusCode).toBe(204);
    expect((await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${root.id}` })).statusCode).toBe(204);
    let list = await thread(slug);
    expect(list.items.map((p) => p.id)).toEqual([root.id, reply.id]);
    expect(list.items[0]).toMatchObject({ deleted: true, body: '', bodyHtml: '', replyCount: 1 });
    // Replying to a deleted post is refused; when its last reply goes, the tombstone goes too.
    const late = await call(app, other, {
      method: 'POST',
      url: `/api/v1/cases/${slug}/posts`,
      payload: { body: 'late', parentId: root.id },
    });
    expect(late.statusCode).toBe(422);
    expect((await call(app, other, { method: 'DELETE', url: `/api/v1/posts/${reply.id}` })).statusCode).toBe(204);
    list = await thread(slug);
    expect(list.items).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/cases/${slug}` })).json<{ postCount: number }>().postCount,
    ).toBe(0);
    // Nothing is lost: the rows remain for moderation.
    const rows = await app.database.kysely.selectFrom('posts').select('body').where('id', '=', root.id).execute();
    expect(rows[0]?.body).toBe('root');
    expect((await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${root.id}` })).statusCode).toBe(404);
  });

  it('counts reactions per kind, idempotently, including under concurrency', async () => {
    const slug = await createTestCase(app);
    const p = await writePost(app, author, slug, { body: 'react to me' });
    const url = `/api/v1/posts/${p.id}/reactions`;
    const put = await call(app, other, { method: 'PUT', url: `${url}/like` });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<ReactionState>()).toEqual({
      postId: p.id,
      reactions: { like: 1, insightful: 0, support: 0 },
      myReactions: ['like'],
    });
    expect((await call(app, other, { method: 'PUT', url: `${url}/like` })).json<ReactionState>().reactions.like).toBe(
      1,
    );
    const members = await Promise.all(Array.from({ length: 8 }, () => signUp(app)));
    await Promise.all(members.map((m) => call(app, m, { method: 'PUT', url: `${url}/insightful` })));
    const listed = (await thread(slug, '', other)).items[0]!;
    expect(listed.reactions).toEqual({ like: 1, insightful: 8, support: 0 });
    expect(listed.myReactions).toEqual(['like']);
    const off = await call(app, other, { method: 'DELETE', url: `${url}/like` });
    expect(off.json<ReactionState>().reactions.like).toBe(0);
    expect((await call(app, other, { method: 'DELETE', url: `${url}/like` })).statusCode).toBe(200);
    expect((await call(app, other, { method: 'PUT', url: `${url}/love` })).statusCode).toBe(400);
  });
});

describe('authorization matrix', () => {
  type Who = 'anonymous' | 'other' | 'author' | 'moderator' | 'admin';
  const people = (): Record<Who, Member | null> => ({ anonymous: null, other, author, moderator, admin });
  const expected: Record<string, Record<Who, number>> = {
    create: { anonymous: 401, other: 201, author: 201, moderator: 201, admin: 201 },
    edit: { anonymous: 401, other: 403, author: 200, moderator: 200, admin: 200 },
    delete: { anonymous: 401, other: 403, author: 204, moderator: 204, admin: 204 },
    react: { anonymous: 401, other: 200, author: 200, moderator: 200, admin: 200 },
    unreact: { anonymous: 401, other: 200, author: 200, moderator: 200, admin: 200 },
    read: { anonymous: 200, other: 200, author: 200, moderator: 200, admin: 200 },
    revisions: { anonymous: 200, other: 200, author: 200, moderator: 200, admin: 200 },
    preview: { anonymous: 401, other: 200, author: 200, moderator: 200, admin: 200 },
    markRead: { anonymous: 401, other: 204, author: 204, moderator: 204, admin: 204 },
  };

  it('answers every post route as the matrix says', async () => {
    const slug = await createTestCase(app);
    for (const [who, member] of Object.entries(people()) as [Who, Member | null][]) {
      const target = await writePost(app, author, slug, { body: `target for ${who}` });
      const requests: Record<string, InjectOptions> = {
        create: { method: 'POST', url: `/api/v1/cases/${slug}/posts`, payload: { body: 'hi' } },
        edit: { method: 'PATCH', url: `/api/v1/posts/${target.id}`, payload: { body: 'changed' } },
        react: { method: 'PUT', url: `/api/v1/posts/${target.id}/reactions/support` },
        unreact: { method: 'DELETE', url: `/api/v1/posts/${target.id}/reactions/support` },
        read: { method: 'GET', url: `/api/v1/cases/${slug}/posts` },
        revisions: { method: 'GET', url: `/api/v1/posts/${target.id}/revisions` },
        preview: { method: 'POST', url: '/api/v1/posts/preview', payload: { body: '*x*' } },
        markRead: { method: 'PUT', url: `/api/v1/cases/${slug}/read`, payload: { lastReadPostId: target.id } },
        delete: { method: 'DELETE', url: `/api/v1/posts/${target.id}` },
      };
      for (const [action, options] of Object.entries(requests)) {
        const res = await call(app, member, options);
        expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(expected[action]![who]);
      }
    }
  });

  it('refuses cross-site writes even with a valid session', async () => {
    const slug = await createTestCase(app);
    const res = await call(app, author, {
      method: 'POST',
      url: `/api/v1/cases/${slug}/posts`,
      payload: { body: 'forged' },
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect((await thread(slug)).items).toHaveLength(0);
  });
});

describe('unread tracking', () => {
  it('remembers the last post read, never moves back, and counts unread posts by others', async () => {
    const slug = await createTestCase(app);
    const a = await writePost(app, author, slug, { body: 'one' });
    await writePost(app, author, slug, { body: 'two' });
    expect((await thread(slug, '', other)).lastReadPostId).toBeNull();
    const mark = (id: string) =>
      call(app, other, { method: 'PUT', url: `/api/v1/cases/${slug}/read`, payload: { lastReadPostId: id } });
    expect((await mark(a.id)).statusCode).toBe(204);
    const unread = () =>
      call(app, other, { method: 'GET', url: `/api/v1/me/unread?slugs=${slug}&slugs=my-france-2022` }).then((r) =>
        r.json<{ items: { slug: string; unread: number }[] }>(),
      );
    expect((await unread()).items).toEqual([{ slug, unread: 1, lastReadPostId: a.id }]);
    await writePost(app, other, slug, { body: 'mine does not count' });
    const c = await writePost(app, author, slug, { body: 'three' });
    expect((await unread()).items[0]?.unread).toBe(2);
    await mark(c.id);
    await mark(a.id);
    expect((await unread()).items[0]).toMatchObject({ unread: 0, lastReadPostId: c.id });
    expect((await thread(slug, '', other)).lastReadPostId).toBe(c.id);
  });
});

describe('search across cases and posts', () => {
  it('finds posts and cases together, with escaped snippets, and not deleted posts', async () => {
    const slug = await createTestCase(app, { title: 'Zanzibarian quokka registry' });
    const word = `quokka`;
    const p = await writePost(app, author, slug, { body: `The ${word} <b>census</b> went well` });
    const gone = await writePost(app, author, slug, { body: `A deleted ${word} remark` });
    await call(app, author, { method: 'DELETE', url: `/api/v1/posts/${gone.id}` });
    const res = await app.inject({ method: 'GET', url: `/api/v1/search?q=${word}&limit=100` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<SearchResults>();
    const postHit = body.items.find((h) => h.type === 'post' && h.post.id === p.id);
    expect(postHit).toBeDefined();
    expect(postHit?.snippet).toContain('<mark>quokka</mark>');
    expect(postHit?.snippet).not.toMatch(/<(?!\/?mark>)/);
    const sneaky = await writePost(app, author, slug, { body: `${word} 5 < 6 & "x" <img src=x onerror=alert(1)>` });
    const again = (
      await app.inject({ method: 'GET', url: `/api/v1/search?q=${word}%206&type=posts` })
    ).json<SearchResults>();
    const hit = again.items.find((h) => h.type === 'post' && h.post.id === sneaky.id);
    expect(hit?.snippet).toContain('&#60;');
    expect(hit?.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(body.items.some((h) => h.type === 'post' && h.post.id === gone.id)).toBe(false);
    expect(body.items.some((h) => h.type === 'case' && h.case.slug === slug)).toBe(true);
    const onlyPosts = (
      await app.inject({ method: 'GET', url: `/api/v1/search?q=${word}&type=posts` })
    ).json<SearchResults>();
    expect(onlyPosts.items.every((h) => h.type === 'post')).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/api/v1/search?q=%20' })).statusCode).toBe(400);
    const cases = (await app.inject({ method: 'GET', url: `/api/v1/cases?q=${word}` })).json<CaseList>();
    expect(cases.items.map((c) => c.slug)).toContain(slug);
  });

  it('lets the case search find a case through its discussion, and forget it when the post goes', async () => {
    const slug = await createTestCase(app, { title: 'Plain title' });
    const word = `wombatorium${Date.now().toString(36)}`;
    const p = await writePost(app, other, slug, { body: `We built a ${word} last year` });
    const found = (await app.inject({ method: 'GET', url: `/api/v1/cases?q=${word}` })).json<CaseList>();
    expect(found.items.map((c) => c.slug)).toEqual([slug]);
    expect(found.total).toBe(1);
    await call(app, other, { method: 'DELETE', url: `/api/v1/posts/${p.id}` });
    await app.activities.poke();
    const gone = (await app.inject({ method: 'GET', url: `/api/v1/cases?q=${word}` })).json<CaseList>();
    expect(gone.items).toEqual([]);
  });
});
