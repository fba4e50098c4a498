/**
 * The cluster tests' kit: a cluster for a whole test file (started before its tests, stopped after
 * them), members written straight into its PostgreSQL with a session each (as the bench's
 * `bulk-members` does: sign-up limits hold even with ABUSE_LIMITS=off, and these members never
 * sign in), and JSON requests as a member through any origin (nginx or one node).
 */
import { afterAll } from 'vitest';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../packages/db/src/database.ts';
import { insertSession, setRole } from '../../apps/api/src/modules/accounts/repository.ts';
import { ABSOLUTE_MS, IDLE_MS, newSessionToken, sessionIdOf } from '../../apps/api/src/plugins/session.ts';
import { startCluster, type Cluster, type ClusterOptions } from '../../infra/start-cluster.ts';
import { memberHeaders, type Member } from '../load/seed.ts';

export { until, eventually } from '../../apps/api/src/testing-until.ts';
export { createCase, type Member } from '../load/seed.ts';

/** Load tests lift the per-member and per-address limits; new-member limits are off too. */
export const LOAD_ENV = {
  ABUSE_LIMITS: 'off',
  NEW_MEMBER_DAYS: '0',
  LOG_LEVEL: 'warn',
};

/** The file's cluster and a connection to its database; both closed after the file's last test. */
export async function clusterForFile(options: ClusterOptions = {}): Promise<{ cluster: Cluster; database: Database }> {
  const cluster = await startCluster({ nodes: 3, ...options, env: { ...LOAD_ENV, ...options.env } });
  const database = await createDatabase({ databaseUrl: cluster.databaseUrl, dataDir: '' });
  afterAll(async () => {
    await database.close();
    await cluster.stop();
  }, 60_000);
  return { cluster, database };
}

/**
 * `count` members `<prefix>-1`… (verified emails `<handle>@example.org`), each with a session; the first
 * is an organiser when `organiser` is set.
 */
export async function insertMembers(
  database: Database,
  prefix: string,
  count: number,
  { organiser = false }: { organiser?: boolean } = {},
): Promise<Member[]> {
  const db = database.kysely;
  const { rows } = await sql<{ id: string; handle: string; display_name: string }>`
    insert into users (email, handle, display_name, email_verified_at)
    select ${prefix} || '-' || g || '@example.org', ${prefix} || '-' || g, 'Cluster Member ' || g, now()
    from generate_series(1, ${count}::int) g
    order by g
    returning id, handle, display_name
  `.execute(db);
  if (organiser) await setRole(db, rows[0]!.handle, 'organiser');
  const now = Date.now();
  return Promise.all(
    rows.map(async (row, i) => {
      const token = newSessionToken();
      await insertSession(db, {
        id: sessionIdOf(token),
        userId: row.id,
        expiresAt: new Date(now + IDLE_MS),
        absoluteExpiresAt: new Date(now + ABSOLUTE_MS),
        userAgent: 'opsi-cluster-tests',
        ip: '127.0.0.1',
      });
      return {
        handle: row.handle,
        displayName: row.display_name,
        role: organiser && i === 0 ? 'organiser' : 'member',
        cookie: `session=${token}`,
      };
    }),
  );
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A JSON request as `member` (or anonymous) to `origin`; a refused connection is status 0. */
export async function call<T = Record<string, unknown>>(
  origin: string,
  method: string,
  path: string,
  member: Member | null,
  body?: unknown,
): Promise<Answer<T>> {
  const headers: Record<string, string> = member ? memberHeaders(member) : { 'content-type': 'application/json' };
  if (body === undefined) delete headers['content-type'];
  try {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    // nginx's own answers (a 502 page) are HTML: kept as text, with their status.
    const json = response.headers.get('content-type')?.includes('json') ?? false;
    return { status: response.status, body: (json ? JSON.parse(text) : text ? { text } : null) as T };
  } catch (error) {
    // fetch's own message is only "fetch failed": the cause says how (refused, reset, closed…).
    const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
    const how = cause ? `: ${[cause.code, cause.message].filter(Boolean).join(' ')}` : '';
    return { status: 0, body: { error: `${String(error)}${how}`, at: new Date().toISOString() } as T };
  }
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
