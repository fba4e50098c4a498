/**
 * The server-rendered case page of a thread with 200 posts (BENCH_ONLY=page): the time of one page
 * asked for at a time (median and p99 over PAGE_SAMPLES requests, the goal being a median ≤ 30 ms)
 * and the HTML's size (≤ 150 KB for any reader; also compressed, as a browser gets it), for an
 * anonymous reader and a signed-in member; then the page under load (autocannon) beside a bare
 * Fastify sending the same number of bytes from memory, in the same run.
 */
import type { ChildProcess } from 'node:child_process';
import type { CpuGroups } from './cpu.ts';
import { httpTable, load, positiveInteger, type Result } from './http.ts';
import { ask } from './ipc.ts';
import { createCase, seedThread, type Member, type SeededThread } from './seed.ts';

export const PAGE_POSTS = 200;
const PAGE_SAMPLES = positiveInteger('BENCH_PAGE_SAMPLES', 200);
const SLUG = 'bench-page-thread';
export const PAGE_TARGETS = { medianMs: 30, htmlKb: 150 };

export interface PageTiming {
  reader: 'anonymous' | 'member';
  samples: number;
  medianMs: number;
  p99Ms: number;
  htmlBytes: number;
  brBytes: number;
  gzipBytes: number;
  postsInHtml: number;
}

export interface PageResult {
  thread: SeededThread & { slug: string };
  timings: PageTiming[];
  http: Result[];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

async function size(url: string, headers: Record<string, string>, encoding: string): Promise<number> {
  // Node's fetch decodes the body: the compressed size is what came over the wire (content-length is unset).
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { ...headers, 'accept-encoding': encoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end();
  });
}

async function time(reader: PageTiming['reader'], url: string, headers: Record<string, string>): Promise<PageTiming> {
  const plain = { ...headers, 'accept-encoding': 'identity' };
  // Warm up (and, for the member, move the read marker to where it settles).
  for (let i = 0; i < 20; i += 1) await (await fetch(url, { headers: plain })).text();
  const ms: number[] = [];
  let html = '';
  for (let i = 0; i < PAGE_SAMPLES; i += 1) {
    const started = performance.now();
    const response = await fetch(url, { headers: plain });
    html = await response.text();
    ms.push(performance.now() - started);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
  }
  return {
    reader,
    samples: PAGE_SAMPLES,
    medianMs: Number(percentile(ms, 50).toFixed(1)),
    p99Ms: Number(percentile(ms, 99).toFixed(1)),
    htmlBytes: Buffer.byteLength(html),
    brBytes: await size(url, headers, 'br'),
    gzipBytes: await size(url, headers, 'gzip'),
    postsInHtml: (html.match(/<article class="post[ "]/g) ?? []).length,
  };
}

export async function runPage(options: {
  app: ChildProcess;
  appOrigin: string;
  bytes: ChildProcess;
  bytesOrigin: string;
  groups: { app: CpuGroups; bytes: CpuGroups };
  log: (line: string) => void;
}): Promise<PageResult> {
  const { app, appOrigin, bytes, bytesOrigin, groups, log } = options;
  log(`page: seeding a thread of ${PAGE_POSTS} posts through the API`);
  const members = await ask<Member[]>(app, 'members', { count: 6, prefix: 'bench-page' });
  const [organiser, ...posters] = members as [Member, ...Member[]];
  await createCase(appOrigin, organiser, SLUG, 'Benchmark case page');
  const seeded = await seedThread(appOrigin, SLUG, posters, PAGE_POSTS);
  const url = `${appOrigin}/cases/${SLUG}`;
  const member = { cookie: posters[0]!.cookie };
  log('page: one request at a time');
  const timings = [await time('anonymous', url, {}), await time('member', url, member)];
  log('page: under load, beside a bare Fastify sending the same bytes');
  const http: Result[] = [];
  for (const [name, headers] of [
    ['case page, anonymous', {}],
    ['case page, member', member],
  ] as const) {
    const html = await (await fetch(url, { headers: { ...headers, 'accept-encoding': 'identity' } })).text();
    const path = `/${name.replace(/\W+/g, '-')}`;
    await ask(bytes, 'set', { path, body: html });
    http.push(await load(name, url, groups.app, { ...headers, 'accept-encoding': 'identity' }));
    http.push(await load(`bare Fastify, same bytes (${name})`, `${bytesOrigin}${path}`, groups.bytes));
  }
  return { thread: { slug: SLUG, ...seeded }, timings, http };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function pageMarkdown(result: PageResult): string[] {
  const worstMedian = Math.max(...result.timings.map((t) => t.medianMs));
  const worstHtml = Math.max(...result.timings.map((t) => t.htmlBytes));
  const ratio = (i: number) =>
    (result.http[i]!.requestsPerSecond / Math.max(1, result.http[i + 1]!.requestsPerSecond)).toFixed(3);
  return [
    `## Server-rendered case page, ${PAGE_POSTS} posts (BENCH_ONLY=page)`,
    '',
    `Thread: ${result.thread.posts} posts (${result.thread.replies} replies, ${result.thread.mentions} mentions, ` +
      `${result.thread.reactions} reactions). The page renders a window of the thread (apps/web/src/lib/thread-window.ts); ` +
      'the member is the one who wrote every fifth post, with a read marker that settles after the warm-up.',
    '',
    '| reader | requests (one at a time) | median | p99 | HTML | br | gzip | posts in the HTML |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.timings.map(
      (t) =>
        `| ${t.reader} | ${t.samples} | ${t.medianMs} ms | ${t.p99Ms} ms | ${kb(t.htmlBytes)} | ${kb(t.brBytes)} | ` +
        `${kb(t.gzipBytes)} | ${t.postsInHtml} |`,
    ),
    '',
    `Target median ≤ ${PAGE_TARGETS.medianMs} ms: ${worstMedian <= PAGE_TARGETS.medianMs ? 'met' : '**missed**'} ` +
      `(worst ${worstMedian} ms). Target HTML ≤ ${PAGE_TARGETS.htmlKb} KB: ` +
      `${worstHtml <= PAGE_TARGETS.htmlKb * 1024 ? 'met' : '**missed**'} (largest ${kb(worstHtml)}).`,
    '',
    'Under load, each beside a bare Fastify sending the same HTML from memory:',
    '',
    ...httpTable(result.http),
    `Ratios (page req/s ÷ bare req/s, same run): anonymous **${ratio(0)}**, member **${ratio(2)}**.`,
    '',
  ];
}
