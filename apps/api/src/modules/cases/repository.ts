import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import { caseRow, caseSnapshot, type CaseFields } from '@opsi/db/case-row';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import { insertActivity, takeOutboxLock } from '../../platform/outbox/repository.ts';
import { bilingualQuery } from '../../platform/text-search/repository.ts';

export interface CaseFilter {
  q?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
  year?: number | undefined;
  stage?: string | undefined;
}

export type CaseOrder = 'activity' | 'newest' | 'relevance' | 'discussed';

export interface CaseRow {
  id: string;
  slug: string;
  title: string;
  summary: string;
  countries: string[];
  themes: string[];
  year: number;
  organisation: string;
  levelOfGovernment: string;
  stage: string;
  language: string;
  /** The language of title and summary (and body): the translation's when one was read, else `language`. */
  textLanguage: string;
  postCount: number;
  lastActivityAt: Date;
  /** With `q` by relevance: ts_rank_cd (a PostgreSQL real), for the next page's cursor. */
  rank?: number;
}

export interface CaseDetailRow extends CaseRow {
  body: string;
  sourceUrl: string | null;
  followerCount: number;
  createdAt: Date;
  sourceId: string | null;
  version: number;
  proposer: { handle: string; displayName: string } | null;
  /** Languages the case is translated into, sorted. */
  translations: string[];
  /** The language of `body`: a translation may leave the body untranslated. */
  bodyLanguage: string;
}

type CasesEb = ExpressionBuilder<Schema & { c: Schema['cases'] }, 'c'>;

/** The search `q`, English- and French-stemmed: it matches a case in its own language or in a translation. */
const tsQuery = bilingualQuery;

/** How well a case matches `q`: through its own text or the best of its translations. */
function rankOf(q: string) {
  const query = tsQuery(q);
  return sql<number>`greatest(ts_rank_cd(c.search, ${query}), coalesce((select max(ts_rank_cd(t.search, ${query}))
    from case_translations t where t.case_id = c.id), 0))`;
}

function conditions(eb: CasesEb, filter: CaseFilter, skip?: keyof CaseFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  // A case matches through its own text or through its discussion (live posts, not hidden ones).
  if (filter.q && skip !== 'q') {
    const q = tsQuery(filter.q);
    where.push(
      sql<SqlBool>`(c.search @@ ${q}
        or exists (select 1 from case_translations t where t.case_id = c.id and t.search @@ ${q})
        or exists (select 1 from posts p
        where p.case_id = c.id and p.deleted_at is null and p.hidden_at is null and p.search @@ ${q}))`,
    );
  }
  if (filter.country && skip !== 'country') where.push(sql<SqlBool>`c.countries @> array[${filter.country}]::text[]`);
  if (filter.theme && skip !== 'theme') where.push(sql<SqlBool>`c.themes @> array[${filter.theme}]::text[]`);
  if (filter.year !== undefined && skip !== 'year') where.push(eb('c.year', '=', filter.year));
  if (filter.stage && skip !== 'stage') where.push(eb('c.stage', '=', filter.stage));
  return where;
}

/**
 * Cases with their text in `lang` where they have a translation into it (a join on the
 * translation's primary key), else their own.
 */
function summaryQuery(db: Executor, lang: string | undefined) {
  return db
    .selectFrom('cases as c')
    .leftJoin('case_translations as t', (join) =>
      join.onRef('t.case_id', '=', 'c.id').on(lang ? sql<SqlBool>`t.language = ${lang}` : sql<SqlBool>`false`),
    )
    .select([
      'c.id',
      'c.slug',
      sql<string>`coalesce(t.title, c.title)`.as('title'),
      sql<string>`coalesce(t.summary, c.summary)`.as('summary'),
      sql<string>`coalesce(t.language, c.language)`.as('text_language'),
      'c.year',
      'c.organisation',
      'c.level_of_government',
      'c.stage',
      'c.language',
      'c.post_count',
      'c.last_activity_at',
      'c.countries',
      'c.themes',
    ]);
}

type SummaryRecord = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function toRow(r: SummaryRecord): CaseRow {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    countries: r.countries,
    themes: r.themes,
    year: r.year,
    organisation: r.organisation,
    levelOfGovernment: r.level_of_government,
    stage: r.stage,
    language: r.language,
    textLanguage: r.text_language,
    postCount: r.post_count,
    lastActivityAt: r.last_activity_at,
  };
}

/** The column each order pages on (with the id): relevance without a search pages by activity. */
const KEY_COLUMN: Record<CaseOrder, 'created_at' | 'last_activity_at' | 'post_count'> = {
  newest: 'created_at',
  activity: 'last_activity_at',
  relevance: 'last_activity_at',
  discussed: 'post_count',
};

/**
 * One page of cases, by keyset: `afterId` is the id of the last case of the previous page, on
 * (created_at or last_activity_at, id), or on (rank, id) with its `rank` for a search by relevance
 * (never an OFFSET, whose cost grows with every page).
 */
export async function listCases(
  db: Executor,
  filter: CaseFilter,
  order: CaseOrder,
  page: { afterId?: string | undefined; rank?: number | undefined; limit: number; lang?: string | undefined },
): Promise<{ rows: CaseRow[]; total: number | null }> {
  // On the first page the total comes with the rows (one query); later pages count separately.
  const firstPage = !page.afterId;
  const byRank = order === 'relevance' && Boolean(filter.q);
  const rank = rankOf(filter.q ?? '');
  const rows = await summaryQuery(db, page.lang)
    .select(sql<string | null>`${firstPage ? sql`count(*) over ()` : sql`null`}`.as('total'))
    .select(sql<number | null>`${byRank ? rank : sql`null`}`.as('rank'))
    .where((eb) => {
      const where = conditions(eb, filter);
      if (page.afterId && byRank) {
        const after = sql`${page.rank ?? 0}::real`;
        where.push(sql<SqlBool>`(${rank} < ${after} or (${rank} = ${after} and c.id < ${page.afterId}))`);
      } else if (page.afterId) {
        const column = sql.ref(KEY_COLUMN[order]);
        where.push(
          sql<SqlBool>`(c.${column}, c.id) < (select p.${column}, p.id from cases p where p.id = ${page.afterId})`,
        );
      }
      return eb.and(where);
    })
    .$if(byRank, (qb) => qb.orderBy(rank, 'desc').orderBy('c.id', 'desc'))
    .$if(order === 'newest', (qb) => qb.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc'))
    .$if(order === 'discussed', (qb) => qb.orderBy('c.post_count', 'desc').orderBy('c.id', 'desc'))
    .$if(order === 'activity' || (order === 'relevance' && !filter.q), (qb) =>
      qb.orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc'),
    )
    .limit(page.limit)
    .execute();
  return {
    rows: rows.map((r) => ({ ...toRow(r), ...(r.rank === null ? {} : { rank: r.rank }) })),
    total: firstPage ? Number(rows[0]?.total ?? 0) : null,
  };
}

export async function countCases(db: Executor, filter: CaseFilter): Promise<number> {
  const row = await db
    .selectFrom('cases as c')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => eb.and(conditions(eb, filter)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface FacetRows {
  countries: { code: string; count: number }[];
  themes: { slug: string; count: number }[];
  years: { year: number; count: number }[];
  stages: { stage: string; count: number }[];
}

const FACETS = ['country', 'theme', 'year', 'stage'] as const;
type Facet = (typeof FACETS)[number];

/**
 * Counts per facet value, from one statement; each facet ignores its own filter so the other
 * values stay reachable. The cases matching the search and all but at most one filter are read
 * once (`matching`), with a flag per facet saying whether the case counts for it; each facet
 * groups its flagged rows and the four groupings come back as one result (UNION ALL).
 */
export async function caseFacets(db: Executor, filter: CaseFilter): Promise<FacetRows> {
  const matching = db
    .selectFrom('cases as c')
    .select((eb) => [
      'c.countries',
      'c.themes',
      'c.year',
      'c.stage',
      ...FACETS.map((facet) => eb.and(conditions(eb, filter, facet)).as(`for_${facet}`)),
    ])
    .where((eb) =>
      eb.and([
        ...conditions(eb, { q: filter.q }),
        eb.or(FACETS.map((facet) => eb.and(conditions(eb, { ...filter, q: undefined }, facet)))),
      ]),
    );
  const { rows } = await sql<{ facet: Facet; key: string; n: string }>`
    with matching as materialized (${matching})
    select 'country' as facet, k.key, count(*) as n
      from matching m cross join lateral unnest(m.countries) as k(key) where m.for_country group by k.key
    union all
    select 'theme', k.key, count(*) from matching m cross join lateral unnest(m.themes) as k(key)
      where m.for_theme group by k.key
    union all
    select 'year', m.year::text, count(*) from matching m where m.for_year group by m.year
    union all
    select 'stage', m.stage, count(*) from matching m where m.for_stage group by m.stage
  `.execute(db);
  const of = (facet: Facet) =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({ key: r.key, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    countries: of('country').map((r) => ({ code: r.key, count: r.count })),
    themes: of('theme').map((r) => ({ slug: r.key, count: r.count })),
    years: of('year')
      .map((r) => ({ year: Number(r.key), count: r.count }))
      .sort((a, b) => b.year - a.year),
    stages: of('stage').map((r) => ({ stage: r.key, count: r.count })),
  };
}

export async function findCaseBySlug(
  db: Executor,
  slug: string,
  lang?: string | undefined,
): Promise<CaseDetailRow | undefined> {
  const r = await summaryQuery(db, lang)
    .leftJoin('users as proposer', (join) =>
      join.onRef('proposer.id', '=', 'c.proposer_id').on('proposer.deleted_at', 'is', null),
    )
    .select(['proposer.handle as proposer_handle', 'proposer.display_name as proposer_name'])
    .select([
      // A translation without a body leaves the case's own body (in the case's language).
      sql<string>`case when t.body <> '' then t.body else c.body end`.as('body'),
      sql<string>`case when t.body <> '' then t.language else c.language end`.as('body_language'),
      'c.source_url',
      'c.follower_count',
      'c.created_at',
      'c.source_id',
      'c.version',
      sql<string[]>`array(select l.language from case_translations l where l.case_id = c.id order by l.language)`.as(
        'translations',
      ),
    ])
    .where('c.slug', '=', slug)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    ...toRow(r),
    body: r.body,
    sourceUrl: r.source_url,
    followerCount: r.follower_count,
    createdAt: r.created_at,
    sourceId: r.source_id,
    version: r.version,
    proposer:
      r.proposer_handle && r.proposer_name !== null
        ? { handle: r.proposer_handle, displayName: r.proposer_name }
        : null,
    translations: r.translations,
    bodyLanguage: r.body_language,
  };
}

export async function caseIdForSlug(db: Executor, slug: string): Promise<string | undefined> {
  const r = await db.selectFrom('cases').select('id').where('slug', '=', slug).executeTakeFirst();
  return r?.id;
}

export async function slugExists(db: Executor, slug: string): Promise<boolean> {
  return (await caseIdForSlug(db, slug)) !== undefined;
}

/** A new case's fields (its row is written by `caseRow`, as the demo seed writes its cases). */
export type NewCaseRow = CaseFields;

export type UniqueViolation = { kind: 'slug_taken' | 'source_id_taken' };

/**
 * Inserts a case, its first revision (version 1, by `creatorId`) and its activity, in one
 * transaction (the caller's, when `db` is one: an approved proposal commits with its review).
 * `proposerId`: the member credited for proposing it.
 */
export async function insertCase(
  db: Executor,
  c: NewCaseRow,
  creatorId: string | null,
  activity: (id: string) => NewActivity,
  proposerId: string | null = null,
): Promise<{ id: string } | UniqueViolation> {
  const write = async (trx: Transaction<Schema>): Promise<{ id: string } | UniqueViolation> => {
    await takeOutboxLock(trx);
    // A renamed case's old slug still leads to it (301): a new case does not take it over.
    const old = await trx.selectFrom('case_slugs').select('case_id').where('slug', '=', c.slug).executeTakeFirst();
    if (old) return { kind: 'slug_taken' };
    const row = await trx
      .insertInto('cases')
      .values({ ...caseRow(c), created_by: creatorId, proposer_id: proposerId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('case_revisions')
      .values({ case_id: row.id, version: 1, editor_id: creatorId, fields: JSON.stringify(caseSnapshot(c)) })
      .execute();
    await insertActivity(trx, activity(row.id));
    return { id: row.id };
  };
  try {
    return db.isTransaction ? await write(db as Transaction<Schema>) : await db.transaction().execute(write);
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === '23505') return { kind: constraint === 'cases_source_id_key' ? 'source_id_taken' : 'slug_taken' };
    throw error;
  }
}
