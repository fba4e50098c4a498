import { sql } from 'kysely';
import type { Executor } from '@opsi/db/executor';

export async function ping(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}
