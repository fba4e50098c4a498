/**
 * Full-text search across the two languages of the platform. Cases, their translations and posts
 * stem their text in its own language (French as `french`, the rest as `english`: see the case
 * library migration), so a query is stemmed both ways and either reading may match: "budgets
 * participatifs" finds French text about a "budget participatif", "participatory budgeting" finds
 * English text, and a word both languages share finds both.
 */
import { sql, type RawBuilder } from 'kysely';

/** The query `q` (web-search syntax) stemmed in English OR in French. */
export function bilingualQuery(q: string): RawBuilder<unknown> {
  return sql`(websearch_to_tsquery('english', ${q}) || websearch_to_tsquery('french', ${q}))`;
}

/** The text-search configuration of a BCP 47 column (`ts_headline` of a snippet in its own language). */
export function configOf(column: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(case when ${column} like 'fr%' then 'french'::regconfig else 'english'::regconfig end)`;
}
