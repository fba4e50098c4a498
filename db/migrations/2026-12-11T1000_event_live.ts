// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

const UP = [
  // The live layer of an event (issue 17): whether its organisers have Q&A open.
  `CREATE TABLE event_qa (
    event_id bigint PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    open boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Questions asked during an event. votes is the count of question_votes, kept in the same
  // transaction; version grows with every change so clients keep the latest state whatever order
  // the broadcasts arrive in. At most one pinned question per event.
  `CREATE TABLE event_questions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    author_id bigint REFERENCES users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    votes integer NOT NULL DEFAULT 0 CHECK (votes >= 0),
    answered boolean NOT NULL DEFAULT false,
    hidden boolean NOT NULL DEFAULT false,
    pinned boolean NOT NULL DEFAULT false,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX event_questions_event ON event_questions (event_id, votes DESC, id)`,
  `CREATE UNIQUE INDEX event_questions_one_pinned ON event_questions (event_id) WHERE pinned`,
  `CREATE TABLE question_votes (
    question_id bigint NOT NULL REFERENCES event_questions (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (question_id, user_id)
  )`,
  // Polls: options as a text array (indexes are the answer); version as for questions.
  `CREATE TABLE event_polls (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    question text NOT NULL CHECK (length(question) BETWEEN 1 AND 300),
    options text[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 10),
    multiple boolean NOT NULL DEFAULT false,
    closed_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX event_polls_event ON event_polls (event_id, id)`,
  `CREATE TABLE poll_votes (
    poll_id bigint NOT NULL REFERENCES event_polls (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    option_index integer NOT NULL CHECK (option_index >= 0),
    PRIMARY KEY (poll_id, user_id, option_index)
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['poll_votes', 'event_polls', 'question_votes', 'event_questions', 'event_qa']) {
    await sql.raw(`DROP TABLE ${table}`).execute(db);
  }
}
