// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

/**
 * The words of `text` stemmed in the language `column` names (BCP 47): French text as French, the
 * rest as English. Each branch names its configuration as a constant: a cast computed from a column
 * is not immutable, and a generated column must be.
 */
const VECTOR = (column: string, text: string) =>
  `(CASE WHEN ${column} LIKE 'fr%' THEN to_tsvector('french', ${text}) ELSE to_tsvector('english', ${text}) END)`;
const LANGUAGE_CHECK = (column: string) => `CHECK (${column} ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$')`;

const CASE_SEARCH = `setweight(${VECTOR('language', 'title')}, 'A') ||
    setweight(${VECTOR('language', 'summary')}, 'B') ||
    setweight(${VECTOR('language', 'organisation')}, 'B') ||
    setweight(${VECTOR('language', 'body')}, 'C')`;

const UP = [
  // The language a case is written in (BCP 47), the observatory's own id (unique when present:
  // the import upserts by it), who proposed it (credited on the case), and a version that every
  // edit bumps (an edit made on an older version is refused with 409).
  `ALTER TABLE cases ADD COLUMN language text NOT NULL DEFAULT 'en' ${LANGUAGE_CHECK('language')}`,
  `ALTER TABLE cases ADD COLUMN source_id text UNIQUE CHECK (length(source_id) BETWEEN 1 AND 100)`,
  `ALTER TABLE cases ADD COLUMN proposer_id bigint REFERENCES users (id) ON DELETE SET NULL`,
  `ALTER TABLE cases ADD COLUMN created_by bigint REFERENCES users (id) ON DELETE SET NULL`,
  `ALTER TABLE cases ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1)`,
  // Search stems each case in its own language (PostgreSQL 15 cannot change a generated column's
  // expression: drop and add it again).
  `ALTER TABLE cases DROP COLUMN search`,
  `ALTER TABLE cases ADD COLUMN search tsvector GENERATED ALWAYS AS (${CASE_SEARCH}) STORED`,
  `CREATE INDEX cases_search_idx ON cases USING gin (search)`,
  `CREATE INDEX cases_proposer_idx ON cases (proposer_id) WHERE proposer_id IS NOT NULL`,

  // A case's translation into another language (title, summary, body), searched in that language.
  `CREATE TABLE case_translations (
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    language text NOT NULL ${LANGUAGE_CHECK('language')},
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    summary text NOT NULL,
    body text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
    search tsvector GENERATED ALWAYS AS (
      setweight(${VECTOR('language', 'title')}, 'A') ||
      setweight(${VECTOR('language', 'summary')}, 'B') ||
      setweight(${VECTOR('language', 'body')}, 'C')
    ) STORED,
    PRIMARY KEY (case_id, language)
  )`,
  `CREATE INDEX case_translations_search_idx ON case_translations USING gin (search)`,

  // Every version of a case: the editable fields as they were after the edit (a jsonb snapshot:
  // the history's diff compares two snapshots), who made it and when. Version 1 is the creation.
  `CREATE TABLE case_revisions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version >= 1),
    editor_id bigint REFERENCES users (id) ON DELETE SET NULL,
    fields jsonb NOT NULL,
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (case_id, version)
  )`,
  // Cases that exist already start their history at version 1, by nobody (the seed or the API).
  `INSERT INTO case_revisions (case_id, version, editor_id, fields, created_at)
   SELECT id, 1, NULL, jsonb_build_object(
     'slug', slug, 'title', title, 'summary', summary, 'body', body, 'countries', to_jsonb(countries),
     'themes', to_jsonb(themes), 'year', year, 'organisation', organisation,
     'levelOfGovernment', level_of_government, 'stage', stage, 'sourceUrl', source_url, 'language', language),
     created_at
   FROM cases`,

  // A renamed case keeps its old slugs: pages and the API answer 301 to the current one.
  `CREATE TABLE case_slugs (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX case_slugs_case_idx ON case_slugs (case_id)`,

  // A member's proposal ("Add your innovation"): kept apart from cases, so nothing that reads cases
  // (lists, hubs, search, feeds) can show it before a moderator approves it. Approval inserts the
  // case (case_id); a return keeps the proposal with its reason.
  `CREATE TABLE case_proposals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
    proposer_id bigint REFERENCES users (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    fields jsonb NOT NULL,
    reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    reviewed_by bigint REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at timestamptz,
    case_id bigint REFERENCES cases (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX case_proposals_status_idx ON case_proposals (status, created_at DESC, id DESC)`,
  `CREATE INDEX case_proposals_proposer_idx ON case_proposals (proposer_id, id DESC)`,

  // Posts carry a language too (chosen or detected), and stem in it.
  `ALTER TABLE posts ADD COLUMN language text NOT NULL DEFAULT 'en' ${LANGUAGE_CHECK('language')}`,
  `ALTER TABLE posts DROP COLUMN search`,
  `ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (${VECTOR('language', 'body')}) STORED`,
  `CREATE INDEX posts_search_idx ON posts USING gin (search) WHERE deleted_at IS NULL`,
];

const DOWN = [
  `DROP INDEX posts_search_idx`,
  `ALTER TABLE posts DROP COLUMN search`,
  `ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED`,
  `CREATE INDEX posts_search_idx ON posts USING gin (search) WHERE deleted_at IS NULL`,
  `ALTER TABLE posts DROP COLUMN language`,
  `DROP TABLE case_proposals, case_slugs, case_revisions, case_translations`,
  `ALTER TABLE cases DROP COLUMN search`,
  `ALTER TABLE cases ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', organisation), 'B') || setweight(to_tsvector('english', body), 'C')) STORED`,
  `CREATE INDEX cases_search_idx ON cases USING gin (search)`,
  `ALTER TABLE cases DROP COLUMN version, DROP COLUMN created_by, DROP COLUMN proposer_id,
     DROP COLUMN source_id, DROP COLUMN language`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of DOWN) await sql.raw(statement).execute(db);
}
