/**
 * The server the browser journeys run against: the whole platform (API + built web app) on a
 * throwaway PostgreSQL with the demo data, on loopback. Emails go to E2E_DATA_DIR/outbox (set by
 * playwright.config.ts), emptied at start. Stops the cluster on SIGTERM.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp } from '../../apps/api/src/app.ts';
import { loadConfig } from '../../apps/api/src/config.ts';
import { startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';

const port = process.env.E2E_PORT ?? '3917';
const dataDir = process.env.E2E_DATA_DIR;
if (dataDir) await rm(join(dataDir, 'outbox'), { recursive: true, force: true });
const postgres = process.env.TEST_DATABASE_URL ? null : await startThrowawayPostgres({ database: 'opsi_e2e' });
const config = loadConfig({
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? postgres!.url,
  SEED_DEMO: 'true',
  PORT: port,
  HOST: '127.0.0.1',
  PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  // Every journey signs its people up from 127.0.0.1: more than one address's hourly allowance.
  SIGNUPS_PER_HOUR: '10000',
  // Likewise every journey confirms its members' addresses (and uses reset links) from 127.0.0.1:
  // more than one address's hourly allowance of emailed links (no journey is about that limit).
  TOKEN_CHECKS_PER_HOUR: '10000',
  // Per-member limits: some journeys post a page of posts as one member in a few seconds; the
  // limits journey (discussions.spec.ts) uses these allowances up and sees the messages.
  POSTS_PER_MINUTE: '30',
  REACTIONS_PER_MINUTE: '15',
  FOLLOWS_PER_HOUR: '15',
  // Every journey's members are minutes old: the new-member limits (10 posts a day, 2 links and 2
  // mentions a post) would refuse the journeys' threads. Their rules are proven by the API tests
  // (limits/new-members.test.ts), as the unit test kit does (testing.ts sets the same).
  NEW_MEMBER_DAYS: '0',
});
const app = await buildApp({ config });
await app.listen({ port: config.port, host: config.host });
// The journeys give roles with the operator CLI against this database (tests/e2e/roles.ts).
if (dataDir) {
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, 'database-url'), config.databaseUrl ?? '');
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => undefined);
  postgres?.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
