/**
 * The bench dataset, built once and kept: a PostgreSQL data directory under tests/load/.dataset/
 * (ignored by git), named by a key made of the generator's version, the migrations, the scale and
 * PostgreSQL's major version. A run whose key is there starts a copy of it (seconds);
 * otherwise it builds the dataset (minutes), keeps it under the new key and removes older ones.
 * BENCH_DATASET_SCALE (0 < s ≤ 1, default 1) builds a smaller one while developing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDatabase } from '@opsi/db/database';
import { migrateToLatest } from '@opsi/db/migrator';
import { seedReference } from '@opsi/db/seed';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../../infra/throwaway-postgres.ts';
// Every activity verb, to check what the generator wrote against the catalogue.
import '../../../apps/api/src/catalogue.ts';
import { activityProblem } from '../../../apps/api/src/platform/outbox/catalogue.ts';
import { CURSORS_PAST_HISTORY, writeActivities } from './activities.ts';
import { writeContent } from './content.ts';
import { DATASET_VERSION, sizeFor, type DatasetSize } from './size.ts';
import { writeSocial } from './social.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const ROOT = here('../.dataset');
const DATABASE = 'opsi_bench';

export interface DatasetInfo {
  key: string;
  version: number;
  scale: number;
  size: DatasetSize;
  /** When it was built and how long that took. */
  builtAt: string;
  buildSeconds: number;
  /** Rows as written (counted after the build). */
  rows: Record<string, number>;
  postsWithActivities: number;
  busiestCountry: { code: string; followers: number };
}

export interface Dataset {
  postgres: ThrowawayPostgres;
  info: DatasetInfo;
  /** Whether this run reused a kept dataset (false: built it now). */
  reused: boolean;
  /** Seconds to copy and start the kept dataset, or to build it. */
  seconds: number;
}

function postgresMajor(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return 'unknown';
  return readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] ?? 'unknown';
}

/**
 * The key: what the kept data directory depends on (bump DATASET_VERSION in size.ts when the
 * generator writes something else). A migration newer than the kept dataset is applied to each
 * copy when it starts, as it would be to a live database.
 */
export function datasetKey(scale: number): string {
  return `v${DATASET_VERSION}-scale${scale}-pg${postgresMajor()}`;
}

async function count(client: pg.Client, sql: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(sql);
  return rows[0]!.n;
}

/** Every activity checked against the catalogue, as the app's readers check them (throws on the first refused). */
async function checkActivities(client: pg.Client): Promise<void> {
  let after = '0';
  for (;;) {
    const { rows } = await client.query<{ id: string; verb: string; object_type: string; payload: unknown }>(
      'select id::text, verb, object_type, payload from activities where id > $1::bigint order by id limit 20000',
      [after],
    );
    if (rows.length === 0) return;
    for (const r of rows) {
      const problem = activityProblem({ objectType: r.object_type, verb: r.verb, payload: r.payload });
      if (problem) throw new Error(`dataset: activity ${r.id}: ${problem}`);
    }
    after = rows[rows.length - 1]!.id;
  }
}

async function build(scale: number, key: string, log: (line: string) => void): Promise<DatasetInfo> {
  const started = Date.now();
  const size = sizeFor(scale);
  const step = (line: string) => log(`${line} (at ${Math.round((Date.now() - started) / 1000)} s)`);
  const postgres = await startThrowawayPostgres({ database: DATABASE });
  try {
    const database = await createDatabase({ databaseUrl: postgres.url, dataDir: '' });
    try {
      await migrateToLatest(database.kysely);
      await seedReference(database.kysely);
      step('dataset: migrated');
    } finally {
      await database.close();
    }
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    let info: DatasetInfo;
    try {
      await client.query(`set maintenance_work_mem = '512MB'`);
      await client.query(`set work_mem = '256MB'`);
      await client.query('select setseed(0.15)');
      const anchor = new Date();
      await client.query('begin');
      const { themes } = await writeContent(client, size, anchor, step);
      await writeSocial(client, size, anchor, themes, step);
      const { postsWithActivities } = await writeActivities(client, size, step);
      await client.query('commit');
      step('dataset: checking every activity against the catalogue');
      await checkActivities(client);
      step('dataset: vacuum analyze');
      await client.query('vacuum analyze');
      const rows: Record<string, number> = {};
      for (const table of [
        'users',
        'cases',
        'events',
        'posts',
        'post_reactions',
        'follows',
        'blocks',
        'activities',
      ] as const) {
        rows[table] = await count(client, `select count(*)::int as n from ${table}`);
      }
      rows.membersFollowing50 = await count(
        client,
        `select count(*)::int as n from (select user_id from follows group by user_id having count(*) >= 50) f`,
      );
      const busiest = await client.query<{ code: string; followers: number }>(
        `select target_key as code, count(*)::int as followers from follows where target_type = 'country'
         group by target_key order by 2 desc limit 1`,
      );
      info = {
        key,
        version: DATASET_VERSION,
        scale,
        size,
        builtAt: anchor.toISOString(),
        buildSeconds: Math.round((Date.now() - started) / 1000),
        rows,
        postsWithActivities,
        busiestCountry: busiest.rows[0]!,
      };
    } finally {
      await client.end();
    }
    const building = join(ROOT, `${key}.building`);
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    postgres.stopAndKeep(join(building, 'data'));
    writeFileSync(join(building, 'info.json'), `${JSON.stringify(info, null, 2)}\n`);
    renameSync(building, join(ROOT, key));
    return info;
  } catch (error) {
    postgres.stop();
    throw error;
  }
}

/**
 * A throwaway PostgreSQL holding the dataset (database `opsi_bench`): a copy of the kept one, or
 * a new one built and kept first. The caller stops it.
 */
export async function startDataset(log: (line: string) => void): Promise<Dataset> {
  const scale = Number(process.env.BENCH_DATASET_SCALE ?? '1');
  sizeFor(scale);
  const key = datasetKey(scale);
  const dir = join(ROOT, key);
  const started = Date.now();
  let reused = true;
  if (!existsSync(join(dir, 'info.json'))) {
    reused = false;
    mkdirSync(ROOT, { recursive: true });
    // Older datasets of the same scale are of no more use (a smaller one for development stays).
    for (const old of readdirSync(ROOT).filter((name) => name.includes(`-scale${scale}-`))) {
      log(`dataset: removing the kept dataset ${old} (another key)`);
      rmSync(join(ROOT, old), { recursive: true, force: true });
    }
    log(`dataset: building ${key} (kept for the next runs)`);
    await build(scale, key, log);
  }
  const info = JSON.parse(readFileSync(join(dir, 'info.json'), 'utf8')) as DatasetInfo;
  log(`dataset: starting a copy of ${key}`);
  const postgres = await startThrowawayPostgres({ database: DATABASE, copyOf: join(dir, 'data') });
  const database = await createDatabase({ databaseUrl: postgres.url, dataDir: '' });
  try {
    await migrateToLatest(database.kysely);
  } finally {
    await database.close();
  }
  // Datasets built before the cursors had an xid (their last_xid left at 0) would be delivered again.
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(CURSORS_PAST_HISTORY).finally(() => client.end());
  return { postgres, info, reused, seconds: Math.round((Date.now() - started) / 1000) };
}
