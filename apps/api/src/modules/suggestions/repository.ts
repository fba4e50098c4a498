import { sql, type SqlBool } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export interface PersonSuggestionRow {
  handle: string;
  displayName: string;
  participant: boolean;
}

export interface CaseSuggestionRow {
  slug: string;
  title: string;
}

/**
 * Accents set aside, as a person types a name they heard ("helene" finds Hélène, "lodz" Łódź):
 * the typed text in JavaScript (Unicode decomposition, marks dropped), the stored one in SQL with
 * `translate` over the Latin letters with diacritics, in both cases (no `unaccent` extension:
 * PGlite has none, and `lower` leaves non-ASCII letters alone in the C locale).
 */
const ACCENTED =
  'ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćČčĎďĐđÈÉÊËèéêëĒēĘęĚěÌÍÎÏìíîïĪīĹĺĽľŁłÑñŃńŇňÒÓÔÕÖØòóôõöøŌōŐőŔŕŘřŚśŠšŞşŤťŢţÙÚÛÜùúûüŪūŮůŰűÝýÿŸŹźŻżŽž';
const PLAIN =
  'aaaaaaaaaaaaaaaaaaccccccddddeeeeeeeeeeeeeeiiiiiiiiiillllllnnnnnnoooooooooooooooorrrrssssssttttuuuuuuuuuuuuuuyyyyzzzzzz';

function folded(column: ReturnType<typeof sql.ref>) {
  return sql<string>`translate(lower(${column}), ${ACCENTED}, ${PLAIN})`;
}

/** What was typed, folded as the stored text is, as a LIKE pattern matching itself only (`\`, `%`, `_` escaped). */
function likeLiteral(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/đ/g, 'd')
    .replace(/ø/g, 'o');
  return plain.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Members whose name (or one of its words) or handle (or a dash-separated part of it) starts with
 * `q`: the thread's participants (a live post in the case named) first, then handles starting
 * with `q`, then by name. Never the caller, a deleted or suspended account, or a member who
 * blocked the caller (a mention of them would not reach them).
 */
export async function suggestPeople(
  db: Executor,
  input: { q: string; callerId: string; caseSlug: string | null; limit: number; now: Date },
): Promise<PersonSuggestionRow[]> {
  const literal = likeLiteral(input.q);
  const participant = input.caseSlug
    ? sql<boolean>`exists (select 1 from posts p where p.author_id = u.id
        and p.case_id = (select c.id from cases c where c.slug = ${input.caseSlug})
        and p.deleted_at is null and p.hidden_at is null)`
    : sql<boolean>`false`;
  const rows = await db
    .selectFrom('users as u')
    .select(['u.handle', 'u.display_name', participant.as('participant')])
    .where('u.deleted_at', 'is', null)
    .where('u.id', '<>', input.callerId)
    .where(
      sql<SqlBool>`not (u.suspended_at is not null and (u.suspended_until is null or u.suspended_until > ${input.now}))`,
    )
    .where(
      sql<SqlBool>`not exists (select 1 from blocks b where b.blocker_id = u.id and b.blocked_id = ${input.callerId})`,
    )
    .where(
      sql<SqlBool>`((' ' || ${folded(sql.ref('u.display_name'))}) like ${`% ${literal}%`} or ('-' || u.handle) like ${`%-${literal}%`})`,
    )
    // (ORDER BY a constant is an error in PostgreSQL: only with a case.)
    .$if(input.caseSlug !== null, (qb) => qb.orderBy(participant, 'desc'))
    .orderBy(sql`u.handle like ${`${literal}%`}`, 'desc')
    .orderBy(sql`lower(u.display_name)`)
    .orderBy('u.id')
    .limit(input.limit)
    .execute();
  return rows.map((r) => ({ handle: r.handle, displayName: r.display_name, participant: Boolean(r.participant) }));
}

/**
 * Cases whose slug (or a dash-separated part) or title (or one of its words) starts with `q`:
 * slugs starting with `q` first, then the most recently active.
 */
export async function suggestCases(db: Executor, input: { q: string; limit: number }): Promise<CaseSuggestionRow[]> {
  const literal = likeLiteral(input.q);
  return db
    .selectFrom('cases as c')
    .select(['c.slug', 'c.title'])
    .where(
      sql<SqlBool>`(('-' || c.slug) like ${`%-${literal}%`} or (' ' || ${folded(sql.ref('c.title'))}) like ${`% ${literal}%`})`,
    )
    .orderBy(sql`c.slug like ${`${literal}%`}`, 'desc')
    .orderBy('c.last_activity_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(input.limit)
    .execute();
}
