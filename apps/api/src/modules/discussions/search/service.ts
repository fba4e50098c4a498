/** Search over cases and posts: the page of hits, with the case cards and the posts they found. */
import type { CaseSummary } from '@opsi/contracts/cases';
import type { SearchQuery, SearchResults } from '@opsi/contracts/discussions';
import type { Database } from '@opsi/db/database';
import { escapeHtml } from '@opsi/common/escape';
import { AppError, problem } from '../../../platform/errors.ts';
import { badCursor, cleanSearch, decodeCursor, encodeCursor } from '../../../platform/cursors.ts';
import type { CasesService } from '../../cases/service.ts';
import { authorOf } from '../author.ts';
import * as repo from '../repository.ts';
import * as searchRepo from './repository.ts';

/** A search page's cursor: the rank, kind and id of the last hit shown (keyset, not an offset). */
function searchAfter(cursor: string): searchRepo.SearchAfter {
  const { afterId, rank, kind } = decodeCursor(cursor);
  if (afterId === undefined || rank === undefined || (kind !== 'case' && kind !== 'post')) throw badCursor();
  return { id: afterId, rank, type: kind };
}

/** ts_headline marks matches with \u0001…\u0002; escape everything else, then mark them. */
function snippetHtml(raw: string): string {
  return escapeHtml(raw).replaceAll('\u0001', '<mark>').replaceAll('\u0002', '</mark>');
}

/** The search of the discussions service (`search` of DiscussionsService). */
export function createSearch(database: Database, cases: CasesService) {
  const db = database.kysely;
  /** `viewer`: who searches (their own hidden posts, or every one for a moderator, are found too). */
  return async function search(query: SearchQuery, viewer: searchRepo.SearchViewer = null): Promise<SearchResults> {
    const q = cleanSearch(query.q);
    if (!q) throw new AppError('validation_failed', 'q must not be empty', [problem('q', 'blank', 'q is empty')]);
    const limit = query.limit ?? 20;
    const found = await searchRepo.search(
      db,
      q,
      query.type ?? 'all',
      {
        after: query.cursor ? searchAfter(query.cursor) : undefined,
        limit: limit + 1,
      },
      viewer,
      query.lang ?? null,
    );
    const page = found.rows.slice(0, limit);
    const caseSlugs = [...new Set(page.filter((r) => r.type === 'case').map((r) => r.slug))];
    const postIds = page.filter((r) => r.type === 'post').map((r) => r.id);
    const [caseCards, posts] = await Promise.all([
      Promise.all(caseSlugs.map((slug) => cases.get(slug, query.lang))),
      repo.findPosts(db, postIds),
    ]);
    const caseBySlug = new Map<string, CaseSummary>(
      caseCards.map((c) => {
        const {
          body: _body,
          sourceUrl: _source,
          followerCount: _followers,
          createdAt: _created,
          bodyLanguage: _bodyLanguage,
          translations: _translations,
          ...summary
        } = c;
        return [c.slug, summary];
      }),
    );
    const postById = new Map(posts.map((p) => [p.id, p]));
    const titles = await repo.caseTitles(db, [...new Set(posts.map((p) => p.caseSlug))]);
    const items: SearchResults['items'] = [];
    for (const hit of page) {
      if (hit.type === 'case') {
        const card = caseBySlug.get(hit.slug);
        if (card) items.push({ type: 'case', case: card, snippet: snippetHtml(hit.snippet) });
      } else {
        const post = postById.get(hit.id);
        if (post) {
          items.push({
            type: 'post',
            post: {
              id: post.id,
              caseSlug: post.caseSlug,
              caseTitle: titles.get(post.caseSlug) ?? post.caseSlug,
              parentId: post.parentId,
              language: post.language,
              author: authorOf(post),
              createdAt: post.createdAt.toISOString(),
            },
            snippet: snippetHtml(hit.snippet),
          });
        }
      }
    }
    const last = page[page.length - 1];
    return {
      items,
      nextCursor:
        found.rows.length > limit && last ? encodeCursor({ afterId: last.id, rank: last.rank, kind: last.type }) : null,
      total: { cases: found.cases, posts: found.posts },
    };
  };
}
