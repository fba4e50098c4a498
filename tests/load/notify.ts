/**
 * Notifications at scale (BENCH_ONLY=notify): a case whose country is followed by BENCH_NOTIFY_FOLLOWERS
 * (20,000) members, seeded set-based (generate_series) straight into PostgreSQL, a few of them with
 * "email now" or "digest" for new posts. For each measured post in that case: the time from its
 * commit (its HTTP response) until the notifier's cursor has passed its activity (its notifications
 * are written, in the same transaction), and the commit latency of other members' posts sent one
 * after another meanwhile (in a case no one follows). Beside them, in the same run: the same post in
 * a case no one follows (the notifier's own delay: gathering, reading the outbox) and the same
 * probe posts with nothing else going on. Alternate posts start with every notification read, so
 * half insert 20,000 rows and half grow 20,000 unread groups ("2 new posts in …"). Each run measures
 * more posts until it has BENCH_NOTIFY_PROBES (40) probe posts, so their p99 means something. Finally both
 * writers (the set-based one and the per-recipient one it replaced) write one such post's
 * notifications in a transaction rolled back afterwards, timed in this process.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createDatabase } from '../../packages/db/src/database.ts';
import { listActivitiesAfter } from '../../apps/api/src/platform/outbox/repository.ts';
import { writeNotifications } from '../../apps/api/src/modules/notifications/repository.ts';
import { writePerRecipient } from '../../apps/api/src/modules/notifications/per-recipient/repository.ts';
import { notificationsFor } from '../../apps/api/src/modules/notifications/service.ts';
import { measureCpu, type CpuGroups, type CpuUsage } from './cpu.ts';
import { positiveInteger } from './http.ts';
import { ask } from './ipc.ts';
import { memberHeaders, type Member } from './seed.ts';

const FOLLOWERS = positiveInteger('BENCH_NOTIFY_FOLLOWERS', 20_000);
const POSTS = positiveInteger('BENCH_NOTIFY_POSTS', 6);
/**
 * The fewest probe posts per run: more measured posts follow until there are this many (a p99 of a
 * handful of samples is their maximum), at most twenty times BENCH_NOTIFY_POSTS.
 */
const PROBES = positiveInteger('BENCH_NOTIFY_PROBES', 40);
/** 0 skips the per-recipient writer's timing (minutes at 20,000 followers on a busy machine). */
const LEGACY = process.env.BENCH_NOTIFY_LEGACY !== '0';
const BUSY = { slug: 'bench-notify-busy', country: 'BV' };
const QUIET = { slug: 'bench-notify-quiet', country: 'HM' };
export const NOTIFY_TARGETS = { writtenMs: 2000, commitP99Ms: 50 };

export interface NotifyRun {
  label: string;
  /** Per measured post: its response → the notifier's cursor past its activity. */
  writtenMs: number[];
  /** The posts' own latencies (request sent → response). */
  postMs: number[];
  /** Probe posts (another member, a case no one follows) sent one after another meanwhile. */
  probes: number;
  probeP50Ms: number;
  probeP99Ms: number;
  probeMaxMs: number;
  cpu: CpuUsage;
}

export interface NotifyResult {
  followers: number;
  channels: Record<string, number>;
  busy: { inserted: NotifyRun; grouped: NotifyRun };
  quiet: NotifyRun;
  /** In this process, one post's notifications written and rolled back (ms), by each writer. */
  inProcess: { setBased: number; perRecipient: number | null; statementsNote: string };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
const round = (n: number) => Number(n.toFixed(1));

async function send(origin: string, member: Member, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: memberHeaders(member),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

function caseBody(slug: string, country: string) {
  return {
    slug,
    title: `Notifications benchmark (${country})`,
    summary: 'A case created by the benchmark to measure notifications at scale.',
    countries: [country],
    themes: ['digital-government'],
    year: 2026,
    organisation: 'Benchmark organisation',
    levelOfGovernment: 'national',
    stage: 'pilot',
  };
}

/** Members following the busy country, written in three statements; some want email or the digest. */
async function seedFollowers(client: pg.Client): Promise<Record<string, number>> {
  await client.query(
    `insert into users (email, handle, display_name)
     select 'fan-' || g || '@example.org', 'fan-' || g, 'Follower ' || g from generate_series(1, $1::int) g`,
    [FOLLOWERS],
  );
  await client.query(
    `insert into follows (user_id, target_type, target_key)
     select id, 'country', $1 from users where handle like 'fan-%'`,
    [BUSY.country],
  );
  await client.query(
    `insert into notification_prefs (user_id, kind, channel)
     select id, 'new_post', case when id % 100 = 0 then 'email' when id % 10 = 1 then 'digest' else 'off' end
     from users where handle like 'fan-%' and (id % 100 = 0 or id % 10 = 1 or id % 97 = 5)`,
  );
  const { rows } = await client.query<{ channel: string; n: string }>(
    `select coalesce(p.channel, 'in_app') as channel, count(*) as n
     from follows f left join notification_prefs p on p.user_id = f.user_id and p.kind = 'new_post'
     where f.target_type = 'country' and f.target_key = $1 group by 1 order by 1`,
    [BUSY.country],
  );
  return Object.fromEntries(rows.map((r) => [r.channel, Number(r.n)]));
}

async function cursorAt(client: pg.Client): Promise<bigint> {
  const { rows } = await client.query<{ last_id: string }>(
    `select last_id from outbox_cursors where name = 'notifications'`,
  );
  return BigInt(rows[0]!.last_id);
}

async function activityOf(client: pg.Client, postId: string): Promise<bigint> {
  const { rows } = await client.query<{ id: string }>(
    `select id from activities where object_type = 'post' and verb = 'created' and object_id = $1`,
    [postId],
  );
  return BigInt(rows[0]!.id);
}

interface Options {
  postgresUrl: string;
  origin: string;
  app: ChildProcess;
  groups: CpuGroups;
  log: (line: string) => void;
}

export async function runNotify(options: Options): Promise<NotifyResult> {
  const { origin, log } = options;
  const client = new pg.Client({ connectionString: options.postgresUrl });
  await client.connect();
  try {
    const [organiser, poster, prober] = await ask<Member[]>(options.app, 'members', { count: 3, prefix: 'notify' });
    if (!organiser || !poster || !prober) throw new Error('the app made too few members');
    for (const c of [BUSY, QUIET]) await send(origin, organiser, '/api/v1/cases', caseBody(c.slug, c.country));
    log(`notify: ${FOLLOWERS} members following ${BUSY.country}, set-based`);
    const channels = await seedFollowers(client);
    const quietFans = await client.query<{ n: string }>(
      `select count(*) as n from follows where target_type = 'country' and target_key = $1`,
      [QUIET.country],
    );
    if (Number(quietFans.rows[0]!.n) > 0) throw new Error(`${QUIET.country} has followers: not a quiet baseline`);

    const wait = async (activity: bigint) => {
      while ((await cursorAt(client)) < activity) await new Promise((r) => setTimeout(r, 5));
    };
    /** One post in `slug`, with probe posts sent one after another until its notifications are written. */
    const measure = async (slug: string, n: number) => {
      let done = false;
      const probes: number[] = [];
      const probing = (async () => {
        while (!done) {
          const t = performance.now();
          await send(origin, prober, `/api/v1/cases/${QUIET.slug}/posts`, { body: `Probe ${n}.${probes.length}` });
          probes.push(performance.now() - t);
        }
      })();
      const sent = performance.now();
      const post = await send(origin, poster, `/api/v1/cases/${slug}/posts`, { body: `Measured post ${n}` });
      const committed = performance.now();
      await wait(await activityOf(client, post.id));
      const written = performance.now() - committed;
      done = true;
      await probing;
      return { written, post: committed - sent, probes };
    };
    const run = async (label: string, slug: string, count: number, before?: () => Promise<unknown>) => {
      const stop = measureCpu(options.groups);
      const writtenMs: number[] = [];
      const postMs: number[] = [];
      const probes: number[] = [];
      for (let i = 0; i < count || (probes.length < PROBES && i < count * 20); i += 1) {
        if (before) await before();
        const m = await measure(slug, i);
        writtenMs.push(round(m.written));
        postMs.push(round(m.post));
        probes.push(...m.probes);
      }
      const result: NotifyRun = {
        label,
        writtenMs,
        postMs,
        probes: probes.length,
        probeP50Ms: round(percentile(probes, 50)),
        probeP99Ms: round(percentile(probes, 99)),
        probeMaxMs: round(Math.max(0, ...probes)),
        cpu: stop(),
      };
      log(
        `notify: ${label}: ${writtenMs.length} posts, written p50 ${percentile(writtenMs, 50)} ms, worst ` +
          `${Math.max(...writtenMs)} ms; ${probes.length} probes, p50 ${result.probeP50Ms} ms, p99 ${result.probeP99Ms} ms`,
      );
      return result;
    };

    // Warm-up: the first notifications of the busy case, and a few posts in each case.
    await measure(BUSY.slug, -1);
    await measure(QUIET.slug, -1);
    const half = Math.max(1, Math.ceil(POSTS / 2));
    const quiet = await run('case no one follows (baseline)', QUIET.slug, half);
    const readAll = () => client.query(`update notifications set read_at = now() where read_at is null`);
    const inserted = await run(`${FOLLOWERS} followers, all read before (inserts)`, BUSY.slug, half, readAll);
    const grouped = await run(`${FOLLOWERS} followers, unread groups growing`, BUSY.slug, half);
    const inProcess = await writersInProcess(options.postgresUrl, client, log);
    return { followers: FOLLOWERS, channels, busy: { inserted, grouped }, quiet, inProcess };
  } finally {
    await client.end();
  }
}

class Rollback extends Error {}

/** The busy case's last post written again by each writer, timed, then rolled back. */
async function writersInProcess(url: string, client: pg.Client, log: (line: string) => void) {
  const { rows } = await client.query<{ id: string }>(
    `select max(id) - 1 as id from activities where object_type = 'post' and verb = 'created'
       and payload->>'caseSlug' = $1`,
    [BUSY.slug],
  );
  const database = await createDatabase({ databaseUrl: url, dataDir: '' });
  const [activity] = await listActivitiesAfter(database.kysely, { afterId: rows[0]!.id, publicOnly: false, limit: 1 });
  if (!activity) throw new Error('no activity to write again');
  const time = async (writer: typeof writeNotifications) => {
    let ms = 0;
    await database.kysely
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('notifications').set({ read_at: new Date() }).where('read_at', 'is', null).execute();
        const started = performance.now();
        const written = await writer(trx, [activity], notificationsFor);
        ms = performance.now() - started;
        log(`notify: ${writer.name}: ${written.length} notifications in ${Math.round(ms)} ms (rolled back)`);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return Math.round(ms);
  };
  try {
    const setBased = await time(writeNotifications);
    const perRecipient = LEGACY ? await time(writePerRecipient) : null;
    return {
      setBased,
      perRecipient,
      statementsNote:
        'set-based: the plan’s few reads, then one statement; per-recipient: one read per audience, then per member ' +
        'a channel read and the grouped insert (and the email job)',
    };
  } finally {
    await database.close();
  }
}

export function notifyMarkdown(r: NotifyResult): string[] {
  const row = (run: NotifyRun) =>
    `| ${run.label} | ${run.writtenMs.length} | ${percentile(run.writtenMs, 50)} | ${Math.max(...run.writtenMs)} | ` +
    `${percentile(run.postMs, 50)} | ` +
    `${run.probes} | ${run.probeP50Ms} | ${run.probeP99Ms} | ${run.probeMaxMs} | ` +
    `${Object.entries(run.cpu.cpuSeconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')} (${run.cpu.seconds} s) |`;
  const runs = [r.busy.inserted, r.busy.grouped];
  const worstWritten = Math.max(...runs.flatMap((run) => run.writtenMs));
  const worstP99 = Math.max(...runs.map((run) => run.probeP99Ms));
  const verdict = (met: boolean, detail: string) => (met ? `met (${detail})` : `**missed** (${detail})`);
  const channels = Object.entries(r.channels)
    .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
    .join(', ');
  return [
    `## Notifications: a post in a case whose country has ${r.followers.toLocaleString('en')} followers`,
    '',
    `Followers seeded set-based (generate_series); their channel for new posts: ${channels}. "written" is from a ` +
      'post’s HTTP response (its commit) until the notifications cursor has passed its activity (the notifications ' +
      'commit with the cursor). Meanwhile another member posts, one post after another, in a case no one follows: ' +
      'those are the commit latencies under that load (a run measures more posts until it has ' +
      `${PROBES} probe posts). The baseline row is the same in a case no one follows.`,
    '',
    '| run | posts | written p50 ms | written worst ms | post p50 ms | probe posts | probe p50 ms | probe p99 ms | probe max ms | CPU seconds |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...[r.quiet, ...runs].map(row),
    '',
    `- notifications written ≤ ${NOTIFY_TARGETS.writtenMs} ms: ` +
      verdict(worstWritten <= NOTIFY_TARGETS.writtenMs, `worst ${worstWritten} ms`),
    `- commit p99 under that load ≤ ${NOTIFY_TARGETS.commitP99Ms} ms: ` +
      verdict(
        worstP99 <= NOTIFY_TARGETS.commitP99Ms,
        `worst p99 ${worstP99} ms, baseline p99 ${r.quiet.probeP99Ms} ms`,
      ),
    '',
    `One post’s ${r.followers.toLocaleString('en')} notifications written by each writer in this process (every ` +
      'notification read first, so all are inserts; rolled back): set-based ' +
      `**${r.inProcess.setBased} ms**, per-recipient (the writer it replaced) ` +
      `${r.inProcess.perRecipient === null ? 'not run (BENCH_NOTIFY_LEGACY=0)' : `**${r.inProcess.perRecipient} ms**`}` +
      ` (${r.inProcess.statementsNote}).`,
    '',
  ];
}
