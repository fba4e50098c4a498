// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The plain-text excerpt of each post (at most 500 characters), written with the post and on
  // every edit from the rendered markdown, so feeds, Atom, notifications and digests read it and
  // never process bodies again.
  `ALTER TABLE posts ADD COLUMN excerpt text NOT NULL DEFAULT '' CHECK (length(excerpt) <= 500)`,
  // Existing posts: the text of their stored HTML (tags dropped: markdown-it ends every block
  // with a newline, so blocks stay apart; its four escapes decoded; white space and control
  // characters collapsed), from the first 4,000 characters of HTML only, so the backfill does
  // bounded work per post. Each pattern is a negated class or a class run, linear in PostgreSQL.
  `UPDATE posts SET excerpt = (
    SELECT CASE WHEN length(s.t) > 500 OR length(posts.body_html) > 4000 THEN rtrim(left(s.t, 499)) || '…' ELSE s.t END
    FROM (SELECT btrim(regexp_replace(
      replace(replace(replace(replace(
        regexp_replace(left(posts.body_html, 4000), '<[^>]*(>|$)', '', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&'),
      '[[:space:][:cntrl:]]+', ' ', 'g')) AS t) s
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE posts DROP COLUMN excerpt`.execute(db);
}
