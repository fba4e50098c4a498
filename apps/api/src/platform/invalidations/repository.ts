/** The `invalidations` channel: what a commit changed, for every node's in-memory caches. */
import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export const CHANNEL = 'invalidations';

/** Sends `<topic>:<key>` to every node (this one included), when the executor's transaction commits. */
export async function notifyInvalidation(db: Executor, topic: string, key: string): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, ${`${topic}:${key}`})`.execute(db);
}
