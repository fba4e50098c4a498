/**
 * The feed at scale (BENCH_ONLY=feed, and in the full run): the bench dataset (dataset/: 100,000
 * members, 1,000,000 posts, 1,000,000 activities; built once, then reused), the feed query for the
 * members who follow 50 things beside the query it replaced (feed-queries.ts), then the whole
 * request, GET /api/v1/me/feed, through the app beside a bare Fastify server sending the same bytes.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../infra/throwaway-postgres.ts';
import { postgresProcesses, startChild, stopChild } from './children.ts';
import { serverGroups } from './cpu.ts';
import { startDataset, type DatasetInfo } from './dataset/store.ts';
import { kindOf, PAGE, timeFeedQueries, type FeedQueryResult } from './feed-queries.ts';
import { CONNECTIONS, DURATION_S, httpTable, load, type Result } from './http.ts';
import { ask } from './ipc.ts';
import { runSection } from './section-report.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const FEED_TARGET_P99_MS = 20;

export interface FeedResult {
  dataset: DatasetInfo & { reused: boolean; readySeconds: number };
  queries: FeedQueryResult;
  http: { member: string; kind: string; feed: Result; bare: Result }[];
}

export async function runFeed(log: (line: string) => void): Promise<FeedResult> {
  const dataset = await startDataset(log);
  const children: ChildProcess[] = [];
  try {
    const queries = await timeFeedQueries(dataset.postgres.url, log);
    const [appPort, bytesPort] = [await freePort(), await freePort()];
    const app = await startChild(here('./servers/app.ts'), {
      env: { DATABASE_URL: dataset.postgres.url, PORT: String(appPort) },
    });
    children.push(app);
    const bytes = await startChild(here('./servers/bytes.ts'), { env: { PORT: String(bytesPort) } });
    children.push(bytes);
    const pgPids = await postgresProcesses(dataset.postgres.url);
    const groups = (server: ChildProcess) => serverGroups(server, pgPids);
    const http: FeedResult['http'] = [];
    for (const kind of ['busy', 'quiet'] as const) {
      const handle = `m-${queries.explains.find((e) => e.kind === kind)?.member ?? ''}`;
      if (handle === 'm-' || kindOf(handle.slice(2)) !== kind) continue;
      const member = await ask<{ cookie: string }>(app, 'session', { handle });
      const url = `http://127.0.0.1:${appPort}/api/v1/me/feed?limit=${PAGE}`;
      const response = await fetch(url, { headers: { cookie: member.cookie } });
      const body = await response.text();
      if (!response.ok) throw new Error(`${url}: ${response.status} ${body}`);
      await ask(bytes, 'set', { path: `/feed-${kind}`, body });
      log(`feed: GET /api/v1/me/feed as ${handle} (${kind}), and the same ${Buffer.byteLength(body)} bytes bare`);
      http.push({
        member: handle,
        kind,
        feed: await load(`GET /api/v1/me/feed, ${kind} member`, url, groups(app), { cookie: member.cookie }),
        bare: await load(
          `bare Fastify, same ${Buffer.byteLength(body)} bytes`,
          `http://127.0.0.1:${bytesPort}/feed-${kind}`,
          groups(bytes),
        ),
      });
    }
    return {
      dataset: { ...dataset.info, reused: dataset.reused, readySeconds: dataset.seconds },
      queries,
      http,
    };
  } finally {
    for (const child of children.reverse()) await stopChild(child);
    dataset.postgres.stop();
  }
}

/** The worst p99 of the new query over the members' kinds. */
export function feedWorstP99(r: FeedResult): number {
  return Math.max(...r.queries.timings.filter((t) => t.query === 'union').map((t) => t.timing.p99Ms));
}

export function feedMarkdown(r: FeedResult): string[] {
  const d = r.dataset;
  const n = (x: number | undefined) => (x ?? 0).toLocaleString('en');
  const t = (query: string, kind: string) =>
    r.queries.timings.find((x) => x.query === query && x.kind === kind)?.timing;
  const cell = (x: ReturnType<typeof t>) => (x ? `${x.p50Ms} | ${x.p90Ms} | ${x.p99Ms} | ${x.maxMs}` : '– | – | – | –');
  const worst = feedWorstP99(r);
  return [
    `## The feed at ${n(d.rows.activities)} activities and ${n(d.rows.users)} members`,
    '',
    `The bench dataset (tests/load/dataset/, ${d.reused ? `reused: kept since ${d.builtAt}, built in ${d.buildSeconds} s; ` + `copied and started in ${d.readySeconds} s` : `built in this run in ${d.buildSeconds} s`}): ` +
      `${n(d.rows.users)} members, ${n(d.rows.cases)} cases, ${n(d.rows.events)} events, ${n(d.rows.posts)} posts ` +
      `(${n(d.postsWithActivities)} of them still with their activities), ${n(d.rows.post_reactions)} reactions, ` +
      `${n(d.rows.follows)} follows (the busiest country, ${d.busiestCountry.code}, followed by ` +
      `${n(d.busiestCountry.followers)}), ${n(d.rows.blocks)} blocks, ${n(d.rows.activities)} activities. ` +
      `${n(d.rows.membersFollowing50)} members follow about 50 things each (5–10 countries, 0–5 themes, 20 cases, ` +
      '20 people): “busy” ones follow popular places, cases and people, “quiet” ones rare countries, no theme, any ' +
      'case and anyone, “mixed” ones rare countries with themes.',
    '',
    `The query: the app’s repository function (follows/feed/repository.ts: the follows, then a UNION of index ` +
      `scans) beside the OR query it replaced, in this process on one connection pool, for each of the ` +
      `${n(r.queries.members)} members: the first page of ${PAGE} and the next (the cursor), the two queries taking ` +
      `turns. Pages where they differed: **${r.queries.differences}**; items on a first page: ` +
      `${r.queries.itemsPerFirstPage.min}–${r.queries.itemsPerFirstPage.max}.`,
    '',
    '| members | union p50 ms | p90 | p99 | max | OR query (before) p50 ms | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...['all', 'busy', 'quiet', 'mixed'].map(
      (kind) => `| ${kind} | ${cell(t('union', kind))} | ${cell(t('or', kind))} |`,
    ),
    '',
    `Target query p99 ≤ ${FEED_TARGET_P99_MS} ms (the worst kind): ${worst <= FEED_TARGET_P99_MS ? 'met' : '**missed**'} (${worst} ms).`,
    '',
    'EXPLAIN (ANALYZE, BUFFERS) of the new query’s second statement, warm, for one member of each kind (plan nodes only):',
    '',
    ...r.queries.explains.flatMap((e) => [
      `- ${e.kind} member (id ${e.member}): planning ${e.planning}, execution ${e.execution}`,
      '',
      '```',
      ...e.plan.map((line) => line.trimEnd()),
      '```',
      '',
    ]),
    `The whole request, GET /api/v1/me/feed?limit=${PAGE} (session, follows, feed, labels), ${CONNECTIONS} ` +
      `connections for ${DURATION_S} s, beside a bare Fastify server sending the same bytes in the same run:`,
    '',
    ...httpTable(r.http.flatMap((h) => [h.feed, h.bare])),
    ...r.http.map(
      (h) =>
        `- ${h.kind} member: req/s ÷ bare req/s = **${(h.feed.requestsPerSecond / Math.max(1, h.bare.requestsPerSecond)).toFixed(3)}**; ` +
        `p99 ${h.feed.latencyP99Ms} ms (bare ${h.bare.latencyP99Ms} ms).`,
    ),
    '',
  ];
}

/** BENCH_ONLY=feed: this section alone, written to reports/feed.{json,md}. */
export async function feedOnly(log: (line: string) => void): Promise<void> {
  const r = await runSection('feed', 'the feed at scale', () => runFeed(log), feedMarkdown);
  const failed = r.http.some((h) => h.feed.errors + h.feed.non2xx + h.bare.errors + h.bare.non2xx > 0);
  if (r.queries.differences > 0 || failed) process.exitCode = 1;
}
