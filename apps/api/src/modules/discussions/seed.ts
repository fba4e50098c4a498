/** The demo discussions, written on a first start with the demo cases and members (demo.ts). */
import type { Database } from '@opsi/db/database';
import { detectLanguage } from '../../platform/language.ts';
import { mentionedHandles, referencedCases, renderPost } from '../../platform/markdown.ts';
import * as repo from './repository.ts';
import { insertPost } from './posting/repository.ts';
import * as reactions from './reactions/repository.ts';
import { discussions as demoDiscussions } from '../../../../../db/seed/discussions.ts';

/**
 * The demo threads (db/seed/discussions.ts), written once with the demo cases and members, oldest
 * first so ids follow time. Returns how many posts were added.
 */
export async function seedDemoDiscussions(database: Database, now = new Date()): Promise<number> {
  const db = database.kysely;
  const handles = new Set<string>();
  for (const posts of Object.values(demoDiscussions)) {
    for (const p of posts) {
      handles.add(p.author);
      for (const who of Object.values(p.reactions ?? {})) for (const h of who) handles.add(h);
    }
  }
  const users = await repo.userIdsForHandles(db, [...handles]);
  const all = Object.entries(demoDiscussions)
    .flatMap(([slug, posts]) => posts.map((post, index) => ({ slug, post, index })))
    .sort((a, b) => b.post.hoursAgo - a.post.hoursAgo);
  const ids = new Map<string, string>();
  let added = 0;
  for (const { slug, post, index } of all) {
    const thread = await repo.findThreadCase(db, slug);
    const authorId = users.get(post.author);
    if (!thread || !authorId) continue;
    const createdAt = new Date(now.getTime() - post.hoursAgo * 60 * 60 * 1000);
    const known = await repo.userIdsForHandles(db, mentionedHandles(post.body));
    const mentionIds = [...known.values()].filter((id) => id !== authorId);
    const parentId = post.replyTo === undefined ? null : (ids.get(`${slug}#${post.replyTo}`) ?? null);
    const cases = await repo.caseTitles(db, referencedCases(post.body));
    const rendered = renderPost(post.body, new Set(known.keys()), new Set(cases.keys()));
    const result = await insertPost(
      db,
      {
        caseId: thread.id,
        parentId,
        authorId,
        clientId: `demo-${slug}-${index}`.slice(0, 100),
        body: post.body,
        bodyHtml: rendered.html,
        language: detectLanguage(rendered.excerpt, thread.language),
        excerpt: rendered.excerpt,
        mentionIds,
        createdAt,
      },
      (created) => ({
        verb: 'created',
        objectType: 'post',
        objectId: created.id,
        actorId: authorId,
        countries: thread.countries,
        themes: thread.themes,
        isPublic: true,
        payload: { caseSlug: slug, postId: created.id, parentId: created.parentId, mentionIds },
        createdAt,
      }),
    );
    if (result.kind !== 'created') continue;
    ids.set(`${slug}#${index}`, result.id);
    added += 1;
    for (const [kind, who] of Object.entries(post.reactions ?? {})) {
      for (const handle of who) {
        const userId = users.get(handle);
        if (!userId) continue;
        await reactions.setReaction(
          db,
          { postId: result.id, userId, kind, on: true },
          {
            verb: 'reacted',
            objectType: 'post',
            objectId: result.id,
            actorId: userId,
            countries: thread.countries,
            themes: thread.themes,
            isPublic: false,
            payload: { caseSlug: slug, postId: result.id, kind, on: true },
            createdAt,
          },
        );
      }
    }
  }
  return added;
}
