/**
 * Vitest setup file: every test file gets its own database, copied from the one the global setup
 * migrated and seeded (CREATE DATABASE … TEMPLATE). Files then never share rows, job queues,
 * outbox cursors or a Socket.IO cluster (the Postgres adapter's LISTEN/NOTIFY is per database),
 * so one file closing its app or draining a queue cannot disturb another running beside it.
 * The copy is dropped when the file ends.
 */
import { afterAll, inject } from 'vitest';
import pg from 'pg';

const template = new URL(inject('databaseUrl'));
const templateName = decodeURIComponent(template.pathname.slice(1));
const name = `${templateName}_f${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const maintenance = new URL(template);
maintenance.pathname = '/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`));
const own = new URL(template);
own.pathname = `/${name}`;
process.env.OPSI_TEST_DATABASE_URL = own.toString();

afterAll(async () => {
  // Not WITH (FORCE): a file that left a connection open keeps its copy rather than crash on it.
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}"`)).catch(() => undefined);
});
