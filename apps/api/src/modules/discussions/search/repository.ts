/** Full-text search over cases and posts: ranked and paged in one query, headlines only for the page. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';
import { bilingualQuery, configOf } from '../../../platform/text-search/repository.ts';

export interface SearchRow {
  type: 'case' | 'post';
  id: string;
  slug: string;
  /** ts_rank_cd (a PostgreSQL real: it round-trips exactly through a JSON number). */
  rank: number;
  snippet: string;
}

/** Where a page of search results starts: after this hit in (rank desc, type, id desc) order. */
export interface SearchAfter {
  rank: number;
  type: 'case' | 'post';
  id: string;
}

const HEADLINE = `StartSel=\u0001, StopSel=\u0002, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;

/** Headlines are built from this much of a text at most (a match further on is still found and ranked). */
const HEADLINE_SOURCE_MAX = 5000;

/** Who searches: posts hidden by a moderator are found only by their author and by moderators. */
export type SearchViewer = { id: string; moderator: boolean } | null;

/**
 * Cases (through their own text or a translation) and live posts (those hidden only for `viewer`'s
 * eyes) matching a web-search query stemmed in English and in French, best first (ts_rank_cd, then cases before
 * posts, then newest id), one keyset page at a time. Matches are ranked and the page is cut
 * first; headlines are built for that page's rows only, from a bounded prefix of each text (a
 * case's in `lang` when it is translated into it), in the text's own language.
 */
export async function search(
  db: Executor,
  q: string,
  type: 'all' | 'cases' | 'posts',
  page: { after?: SearchAfter | undefined; limit: number },
  viewer: SearchViewer = null,
  lang: string | null = null,
): Promise<{ rows: SearchRow[]; cases: number; posts: number }> {
  // English- and French-stemmed: a case is found through its own text or a translation.
  const query = bilingualQuery(q);
  const caseMatches = sql`(c.search @@ ${query}
    or exists (select 1 from case_translations t where t.case_id = c.id and t.search @@ ${query}))`;
  const visible = viewer?.moderator
    ? sql`true`
    : viewer
      ? sql`(p.hidden_at is null or p.author_id = ${viewer.id})`
      : sql`p.hidden_at is null`;
  const casesPart = sql`select 'case'::text as type, c.id, c.slug, greatest(ts_rank_cd(c.search, ${query}),
      coalesce((select max(ts_rank_cd(t.search, ${query})) from case_translations t where t.case_id = c.id), 0)) as rank
    from cases c where ${caseMatches}`;
  const postsPart = sql`select 'post'::text as type, p.id, c.slug, ts_rank_cd(p.search, ${query}) as rank
    from posts p join cases c on c.id = p.case_id where p.deleted_at is null and ${visible} and p.search @@ ${query}`;
  const union = type === 'cases' ? casesPart : type === 'posts' ? postsPart : sql`${casesPart} union all ${postsPart}`;
  const after = page.after;
  const rest = after
    ? sql`where hits.rank < ${after.rank}::real or (hits.rank = ${after.rank}::real and (hits.type > ${after.type}
        or (hits.type = ${after.type} and hits.id < ${after.id}::bigint)))`
    : sql``;
  const { rows } = await sql<SearchRow>`
    with page as (
      select hits.type, hits.id, hits.slug, hits.rank from (${union}) hits ${rest}
      order by hits.rank desc, hits.type, hits.id desc limit ${page.limit}
    )
    select page.type, page.id::text as id, page.slug, page.rank,
      case page.type
        when 'case' then (select ts_headline(${configOf(sql`coalesce(t.language, c.language)`)},
          left(coalesce(t.summary || ' ' || t.body, c.summary || ' ' || c.body), ${HEADLINE_SOURCE_MAX}), ${query}, ${HEADLINE})
          from cases c left join case_translations t on t.case_id = c.id and t.language = ${lang ?? ''}
          where c.id = page.id)
        else (select ts_headline(${configOf(sql`p.language`)}, left(p.body, ${HEADLINE_SOURCE_MAX}), ${query}, ${HEADLINE})
          from posts p where p.id = page.id)
      end as snippet
    from page order by page.rank desc, page.type, page.id desc
  `.execute(db);
  const counts = await sql<{ cases: string; posts: string }>`
    select (select count(*) from cases c where ${caseMatches}) as cases,
           (select count(*) from posts p where p.deleted_at is null and ${visible} and p.search @@ ${query}) as posts
  `.execute(db);
  const total = counts.rows[0];
  return { rows, cases: Number(total?.cases ?? 0), posts: Number(total?.posts ?? 0) };
}
