import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface PeopleFilter {
  q?: string | undefined;
  country?: string | undefined;
  theme?: string | undefined;
}

export type PeopleOrder = 'newest' | 'relevance';

export interface PersonRow {
  id: string;
  handle: string;
  displayName: string;
  headline: string;
  organisation: string;
  countryCode: string | null;
  themes: string[];
  createdAt: Date;
  /** With `q`: how well the member matches (a PostgreSQL real), for the next page's cursor. */
  rank?: number;
}

export interface ProfileRow extends PersonRow {
  role: string;
  bio: string;
  bioHtml: string;
  links: string[];
  followerCount: number;
  openToIntroductions: boolean;
}

function tsQuery(q: string) {
  return sql`websearch_to_tsquery('english', ${q})`;
}

/** `q` as a LIKE pattern matching itself only: `\`, `%` and `_` are escaped. */
function likeLiteral(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The display name, or one of its words, or the handle (or a dash-separated part) starts with q. */
function namePrefix(q: string) {
  const literal = likeLiteral(q);
  return sql<SqlBool>`((' ' || u.display_name) ilike ${`% ${literal}%`} or ('-' || u.handle) like ${`%-${literal.toLowerCase()}%`})`;
}

/** Relevance: a name or handle starting with what was typed beats a mention in a headline or bio. */
function score(q: string) {
  return sql<number>`((case when ${namePrefix(q)} then 1 else 0 end) + ts_rank_cd(u.search, ${tsQuery(q)}))::real`;
}

function conditions(filter: PeopleFilter): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (filter.q) where.push(sql<SqlBool>`(u.search @@ ${tsQuery(filter.q)} or ${namePrefix(filter.q)})`);
  if (filter.country) where.push(sql<SqlBool>`u.country_code = ${filter.country}`);
  if (filter.theme) where.push(sql<SqlBool>`u.themes @> array[${filter.theme}]::text[]`);
  return where;
}

/** Members' cards and profiles: never a deleted account's emptied row. */
function cardQuery(db: Executor) {
  return db
    .selectFrom('users as u')
    .where('u.deleted_at', 'is', null)
    .select([
      'u.id',
      'u.handle',
      'u.display_name',
      'u.headline',
      'u.organisation',
      'u.country_code',
      'u.themes',
      'u.created_at',
    ]);
}

type CardRecord = Awaited<ReturnType<ReturnType<typeof cardQuery>['executeTakeFirstOrThrow']>>;

function toPerson(r: CardRecord): PersonRow {
  return {
    id: r.id,
    handle: r.handle,
    displayName: r.display_name,
    headline: r.headline,
    organisation: r.organisation,
    countryCode: r.country_code,
    themes: r.themes,
    createdAt: r.created_at,
  };
}

/**
 * One page of the directory, by keyset: `afterId` is the id of the last member of the previous
 * page, on (created_at, id) for newest first, and on (score, created_at, id) with its `rank` for
 * relevance (never an OFFSET, whose cost grows with every page).
 */
export async function listPeople(
  db: Executor,
  filter: PeopleFilter,
  order: PeopleOrder,
  page: { afterId?: string | undefined; rank?: number | undefined; limit: number },
): Promise<{ rows: PersonRow[]; total: number | null }> {
  const firstPage = !page.afterId;
  const byRelevance = order === 'relevance' && Boolean(filter.q);
  const q = filter.q ?? '';
  const rows = await cardQuery(db)
    .select(sql<string | null>`${firstPage ? sql`count(*) over ()` : sql`null`}`.as('total'))
    .select(sql<number | null>`${byRelevance ? score(q) : sql`null`}`.as('rank'))
    .where((eb) => {
      const where = conditions(filter);
      const after = sql`(select p.created_at, p.id from users p where p.id = ${page.afterId ?? '0'})`;
      if (page.afterId && !byRelevance) where.push(sql<SqlBool>`(u.created_at, u.id) < ${after}`);
      if (page.afterId && byRelevance) {
        const rank = sql`${page.rank ?? 0}::real`;
        where.push(
          sql<SqlBool>`(${score(q)} < ${rank} or (${score(q)} = ${rank} and (u.created_at, u.id) < ${after}))`,
        );
      }
      return eb.and(where);
    })
    .$if(byRelevance, (qb) => qb.orderBy(score(q), 'desc'))
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(page.limit)
    .execute();
  return {
    rows: rows.map((r) => ({ ...toPerson(r), ...(r.rank === null ? {} : { rank: r.rank }) })),
    total: firstPage ? Number(rows[0]?.total ?? 0) : null,
  };
}

export async function countPeople(db: Executor, filter: PeopleFilter): Promise<number> {
  const row = await db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('u.deleted_at', 'is', null)
    .where((eb) => eb.and(conditions(filter)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function profileQuery(db: Executor) {
  return cardQuery(db).select([
    'u.role',
    'u.bio',
    'u.bio_html',
    'u.links',
    'u.follower_count',
    'u.open_to_introductions',
  ]);
}

type ProfileRecord = Awaited<ReturnType<ReturnType<typeof profileQuery>['executeTakeFirstOrThrow']>>;

function toProfile(r: ProfileRecord): ProfileRow {
  return {
    ...toPerson(r),
    role: r.role,
    bio: r.bio,
    bioHtml: r.bio_html,
    links: r.links,
    followerCount: r.follower_count,
    openToIntroductions: r.open_to_introductions,
  };
}

export async function findProfileByHandle(db: Executor, handle: string): Promise<ProfileRow | undefined> {
  const r = await profileQuery(db).where('u.handle', '=', handle).executeTakeFirst();
  return r && toProfile(r);
}

export async function findProfileById(db: Executor, id: string): Promise<ProfileRow | undefined> {
  const r = await profileQuery(db).where('u.id', '=', id).executeTakeFirst();
  return r && toProfile(r);
}

export interface ProfileChanges {
  displayName?: string;
  headline?: string;
  organisation?: string;
  countryCode?: string | null;
  bio?: string;
  bioHtml?: string;
  themes?: string[];
  links?: string[];
  openToIntroductions?: boolean;
}

/** Writes the given profile fields; false when there is no such user. */
export async function updateProfile(db: Executor, id: string, changes: ProfileChanges): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.headline !== undefined ? { headline: changes.headline } : {}),
      ...(changes.organisation !== undefined ? { organisation: changes.organisation } : {}),
      ...(changes.countryCode !== undefined ? { country_code: changes.countryCode } : {}),
      ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
      ...(changes.bioHtml !== undefined ? { bio_html: changes.bioHtml } : {}),
      ...(changes.themes !== undefined ? { themes: changes.themes } : {}),
      ...(changes.links !== undefined ? { links: changes.links } : {}),
      ...(changes.openToIntroductions !== undefined ? { open_to_introductions: changes.openToIntroductions } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface NewMemberRow {
  handle: string;
  displayName: string;
  email: string;
  headline: string;
  organisation: string;
  countryCode: string | null;
  themes: string[];
  bio: string;
  bioHtml: string;
  links: string[];
  openToIntroductions?: boolean;
  createdAt: Date;
}

/**
 * Inserts members who cannot sign in (no password). A handle or email already taken is skipped,
 * so seeding twice adds nobody; returns how many were inserted.
 */
export async function insertMembers(db: Executor, rows: NewMemberRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('users')
    .values(
      rows.map((m) => ({
        email: m.email,
        password_hash: null,
        handle: m.handle,
        display_name: m.displayName,
        headline: m.headline,
        organisation: m.organisation,
        country_code: m.countryCode,
        themes: m.themes,
        bio: m.bio,
        bio_html: m.bioHtml,
        links: m.links,
        open_to_introductions: m.openToIntroductions ?? false,
        created_at: m.createdAt,
        updated_at: m.createdAt,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}
