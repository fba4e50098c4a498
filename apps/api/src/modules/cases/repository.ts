import { sql, type Expression, type ExpressionBuilder, type SqlBool, type Transaction } from 'kysely';
import { caseRow, caseSnapshot, type CaseFields } from '@opsi/db/case-row';
import type { Schema } from '@opsi/db/schema';
import type { Executor } from '@opsi/db/executor';
import type { NewActivity } from '../../platform/outbox/catalogue.ts';
import { insertActivity } from '../../platform/outbox/repository.ts';

export interface CaseFilter {
  q?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
  year?: number | undefined;
  stage?: string | undefined;
}

export type CaseOrder = 'activity' | 'newest' | 'relevance';

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
}

type CasesEb = ExpressionBuilder<Schema & { c: Schema['cases'] }, 'c'>;

function tsQuery(q: string) {
  return sql`websearch_to_tsquery('english', ${q})`;
}

function conditions(eb: CasesEb, filter: CaseFilter, skip?: keyof CaseFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  // A case matches through its own text or through its discussion (live posts, not hidden ones).
  if (filter.q && skip !== 'q') {
    const q = tsQuery(filter.q);
    where.push(
      sql<SqlBool>`(c.search @@ ${q} or exists (select 1 from posts p
        where p.case_id = c.id and p.deleted_at is null and p.hidden_at is null and p.search @@ ${q}))`,
    );
  }
  if (filter.country && skip !== 'country') where.push(sql<SqlBool>`c.countries @> array[${filter.country}]::text[]`);
  if (filter.theme && skip !== 'theme') where.push(sql<SqlBool>`c.themes @> array[${filter.theme}]::text[]`);
  if (filter.year !== undefined && skip !== 'year') where.push(eb('c.year', '=', filter.year));
  if (filter.stage && skip !== 'stage') where.push(eb('c.stage', '=', filter.stage));
  return where;
}

function summaryQuery(db: Executor) {
  return db
    .selectFrom('cases as c')
    .select([
      'c.id',
      'c.slug',
      'c.title',
      'c.summary',
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
    postCount: r.post_count,
    lastActivityAt: r.last_activity_at,
  };
}

/**
 * One page of cases, by keyset: `afterId` is the id of the last case of the previous page, on
 * (created_at or last_activity_at, id), or on (rank, id) with its `rank` for a search by relevance
 * (never an OFFSET, whose cost grows with every page).
 */
export async function listCases(
  db: Executor,
  filter: CaseFilter,
  order: CaseOrder,
  page: { afterId?: string | undefined; rank?: number | undefined; limit: number },
): Promise<{ rows: CaseRow[]; total: number | null }> {
  // On the first page the total comes with the rows (one query); later pages count separately.
  const firstPage = !page.afterId;
  const byRank = order === 'relevance' && Boolean(filter.q);
  const rank = sql<number>`ts_rank_cd(c.search, ${tsQuery(filter.q ?? '')})`;
  const rows = await summaryQuery(db)
    .select(sql<string | null>`${firstPage ? sql`count(*) over ()` : sql`null`}`.as('total'))
    .select(sql<number | null>`${byRank ? rank : sql`null`}`.as('rank'))
    .where((eb) => {
      const where = conditions(eb, filter);
      if (page.afterId && byRank) {
        const after = sql`${page.rank ?? 0}::real`;
        where.push(sql<SqlBool>`(${rank} < ${after} or (${rank} = ${after} and c.id < ${page.afterId}))`);
      } else if (page.afterId) {
        const column = order === 'newest' ? sql.ref('created_at') : sql.ref('last_activity_at');
        where.push(
          sql<SqlBool>`(c.${column}, c.id) < (select p.${column}, p.id from cases p where p.id = ${page.afterId})`,
        );
      }
      return eb.and(where);
    })
    .$if(byRank, (qb) => qb.orderBy(rank, 'desc').orderBy('c.id', 'desc'))
    .$if(order === 'newest', (qb) => qb.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc'))
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

/** Counts per facet value; each facet ignores its own filter so the other values stay reachable. */
export async function caseFacets(db: Executor, filter: CaseFilter): Promise<FacetRows> {
  const count = sql<string>`count(*)`;
  const [countries, themes, years, stages] = await Promise.all([
    db
      .selectFrom('cases as c')
      .select([sql<string>`unnest(c.countries)`.as('key'), count.as('n')])
      .where((eb) => eb.and(conditions(eb, filter, 'country')))
      .groupBy(sql`1`)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql`1`)
      .execute(),
    db
      .selectFrom('cases as c')
      .select([sql<string>`unnest(c.themes)`.as('key'), count.as('n')])
      .where((eb) => eb.and(conditions(eb, filter, 'theme')))
      .groupBy(sql`1`)
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql`1`)
      .execute(),
    db
      .selectFrom('cases as c')
      .select(['c.year as key', count.as('n')])
      .where((eb) => eb.and(conditions(eb, filter, 'year')))
      .groupBy('c.year')
      .orderBy('c.year', 'desc')
      .execute(),
    db
      .selectFrom('cases as c')
      .select(['c.stage as key', count.as('n')])
      .where((eb) => eb.and(conditions(eb, filter, 'stage')))
      .groupBy('c.stage')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('c.stage')
      .execute(),
  ]);
  return {
    countries: countries.map((r) => ({ code: r.key, count: Number(r.n) })),
    themes: themes.map((r) => ({ slug: r.key, count: Number(r.n) })),
    years: years.map((r) => ({ year: r.key, count: Number(r.n) })),
    stages: stages.map((r) => ({ stage: r.key, count: Number(r.n) })),
  };
}

export async function findCaseBySlug(db: Executor, slug: string): Promise<CaseDetailRow | undefined> {
  const r = await summaryQuery(db)
    .leftJoin('users as proposer', (join) =>
      join.onRef('proposer.id', '=', 'c.proposer_id').on('proposer.deleted_at', 'is', null),
    )
    .select(['c.body', 'c.source_url', 'c.follower_count', 'c.created_at', 'c.source_id', 'c.version'])
    .select(['proposer.handle as proposer_handle', 'proposer.display_name as proposer_name'])
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
  const write = async (trx: Transaction<Schema>) => {
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
