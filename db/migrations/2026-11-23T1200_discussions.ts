// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // One thread per case. Replies hang under a top-level post (one level). Deleting keeps the row
  // (deleted_at): the thread shows a tombstone while live replies remain, and nothing is lost.
  `CREATE TABLE posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    parent_id bigint REFERENCES posts (id),
    author_id bigint NOT NULL REFERENCES users (id),
    client_id text CHECK (length(client_id) BETWEEN 1 AND 100),
    body text NOT NULL CHECK (length(body) <= 20000),
    body_html text NOT NULL,
    reactions jsonb NOT NULL DEFAULT '{}'::jsonb,
    live_reply_count integer NOT NULL DEFAULT 0 CHECK (live_reply_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at timestamptz,
    deleted_at timestamptz,
    deleted_by bigint REFERENCES users (id),
    search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
  )`,
  `CREATE UNIQUE INDEX posts_client_idx ON posts (author_id, client_id) WHERE client_id IS NOT NULL`,
  `CREATE INDEX posts_case_idx ON posts (case_id, id)`,
  `CREATE INDEX posts_parent_idx ON posts (parent_id, id) WHERE parent_id IS NOT NULL`,
  `CREATE INDEX posts_author_idx ON posts (author_id, id)`,
  `CREATE INDEX posts_search_idx ON posts USING gin (search) WHERE deleted_at IS NULL`,
  // Every earlier version of an edited post: the body it had and who replaced it, when.
  `CREATE TABLE post_revisions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    body text NOT NULL,
    body_html text NOT NULL,
    written_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    replaced_by bigint REFERENCES users (id)
  )`,
  `CREATE INDEX post_revisions_post_idx ON post_revisions (post_id, id)`,
  `CREATE TABLE post_reactions (
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('like', 'insightful', 'support')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id, kind)
  )`,
  `CREATE INDEX post_reactions_user_idx ON post_reactions (user_id, post_id)`,
  // Members mentioned in a post (the notifications issue reads these).
  `CREATE TABLE post_mentions (
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, user_id)
  )`,
  `CREATE INDEX post_mentions_user_idx ON post_mentions (user_id, post_id)`,
  // The last post a member has read in each case thread (unread counts, "new since your last visit").
  `CREATE TABLE case_reads (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    last_read_post_id bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, case_id)
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE case_reads, post_mentions, post_reactions, post_revisions, posts`.execute(db);
}
