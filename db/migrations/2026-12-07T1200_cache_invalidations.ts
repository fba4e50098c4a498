// Frozen history: Kysely<any> and raw SQL only, no application imports.
import { sql, type Kysely } from 'kysely';

// What every node keeps in memory about a member (their session and who they are; what is theirs
// in a thread: reactions, read markers, blocks) is dropped on every node when the rows change,
// whoever changes them (the API, `npm run admin`, a job): each change sends `<topic>:<id>` on the
// `invalidations` channel when its transaction commits.
const UP = [
  `CREATE FUNCTION invalidations_user() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('invalidations', 'user:' || OLD.id::text);
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER invalidations_user AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.handle IS DISTINCT FROM NEW.handle
      OR OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.email IS DISTINCT FROM NEW.email
      OR OLD.suspended_at IS DISTINCT FROM NEW.suspended_at)
    EXECUTE FUNCTION invalidations_user()`,
  `CREATE TRIGGER invalidations_user_deleted AFTER DELETE ON users FOR EACH ROW
    EXECUTE FUNCTION invalidations_user()`,
  `CREATE FUNCTION invalidations_session() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('invalidations', 'session:' || OLD.id);
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER invalidations_session AFTER UPDATE OR DELETE ON sessions FOR EACH ROW
    EXECUTE FUNCTION invalidations_session()`,
  // Blocks name the member as blocker_id, read markers and reactions as user_id.
  `CREATE FUNCTION invalidations_reader() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    changed jsonb;
  BEGIN
    IF TG_OP = 'DELETE' THEN
      changed := to_jsonb(OLD);
    ELSE
      changed := to_jsonb(NEW);
    END IF;
    PERFORM pg_notify('invalidations', 'reader:' || coalesce(changed ->> 'blocker_id', changed ->> 'user_id'));
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER invalidations_reader AFTER INSERT OR DELETE ON blocks FOR EACH ROW
    EXECUTE FUNCTION invalidations_reader()`,
  `CREATE TRIGGER invalidations_reader AFTER INSERT OR UPDATE OR DELETE ON case_reads FOR EACH ROW
    EXECUTE FUNCTION invalidations_reader()`,
  `CREATE TRIGGER invalidations_reader AFTER INSERT OR DELETE ON post_reactions FOR EACH ROW
    EXECUTE FUNCTION invalidations_reader()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER invalidations_reader ON post_reactions`.execute(db);
  await sql`DROP TRIGGER invalidations_reader ON case_reads`.execute(db);
  await sql`DROP TRIGGER invalidations_reader ON blocks`.execute(db);
  await sql`DROP FUNCTION invalidations_reader()`.execute(db);
  await sql`DROP TRIGGER invalidations_session ON sessions`.execute(db);
  await sql`DROP FUNCTION invalidations_session()`.execute(db);
  await sql`DROP TRIGGER invalidations_user_deleted ON users`.execute(db);
  await sql`DROP TRIGGER invalidations_user ON users`.execute(db);
  await sql`DROP FUNCTION invalidations_user()`.execute(db);
}
