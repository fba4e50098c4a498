/**
 * Concurrent writers: the throughput of mixed writes (posts, reactions, follows and unfollows) on
 * different cases, by 1, 2, 4 and 8 writers at once, each a member of its own writing as fast as
 * its answers come back. Without one global outbox lock, throughput grows with writers until the
 * machine's cores are busy. Reported with the server / PostgreSQL / load-generator CPU split.
 */
import { measureCpu, type CpuGroups, type CpuUsage } from './cpu.ts';
import { memberHeaders, createCase, type Member } from './seed.ts';

export interface WritersRun {
  writers: number;
  seconds: number;
  writes: number;
  perSecond: number;
  errors: number;
  byKind: Record<string, number>;
  cpu: CpuUsage | null;
}

export interface WritersResult {
  runs: WritersRun[];
  /** Throughput with 8 writers ÷ with 1, in the same run. */
  growth: number;
}

async function send(origin: string, member: Member, method: string, path: string, body?: unknown): Promise<boolean> {
  const headers = memberHeaders(member);
  if (body === undefined) delete headers['content-type'];
  const res = await fetch(`${origin}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  return res.ok;
}

/** One writer's loop: a post, a reaction on it, a follow of its case, an unfollow; until `until`. */
async function writer(origin: string, member: Member, slug: string, until: number, run: WritersRun) {
  let k = 0;
  while (Date.now() < until) {
    k += 1;
    const res = await fetch(`${origin}/api/v1/cases/${slug}/posts`, {
      method: 'POST',
      headers: memberHeaders(member),
      body: JSON.stringify({
        body: `Writer ${member.handle} #${k}: what did the second round of the consultation change?`,
      }),
    });
    const post = (await res.json()) as { id?: string };
    const steps: [string, () => Promise<boolean>][] = [
      ['post', async () => res.ok],
      ['reaction', () => send(origin, member, 'PUT', `/api/v1/posts/${post.id}/reactions/like`)],
      ['follow', () => send(origin, member, 'PUT', `/api/v1/follows/case/${slug}`)],
      ['unfollow', () => send(origin, member, 'DELETE', `/api/v1/follows/case/${slug}`)],
    ];
    for (const [kind, step] of steps) {
      const ok = await step();
      if (ok) {
        run.writes += 1;
        run.byKind[kind] = (run.byKind[kind] ?? 0) + 1;
      } else run.errors += 1;
    }
  }
}

export async function runWriters(options: {
  origin: string;
  organiser: Member;
  members: Member[];
  groups: CpuGroups;
  seconds: number;
  log: (line: string) => void;
}): Promise<WritersResult> {
  const { origin, members, log } = options;
  // One case per writer: writers on different cases share no row.
  const slugs = members.map((_, i) => `bench-writers-${i}`);
  for (const [i, slug] of slugs.entries()) await createCase(origin, options.organiser, slug, `Writers bench case ${i}`);
  const runs: WritersRun[] = [];
  for (const writers of [1, 2, 4, 8]) {
    const run: WritersRun = {
      writers,
      seconds: options.seconds,
      writes: 0,
      perSecond: 0,
      errors: 0,
      byKind: {},
      cpu: null,
    };
    const stop = measureCpu(options.groups);
    const until = Date.now() + options.seconds * 1000;
    await Promise.all(members.slice(0, writers).map((m, i) => writer(origin, m, slugs[i]!, until, run)));
    run.cpu = stop();
    run.perSecond = Math.round((run.writes / options.seconds) * 10) / 10;
    log(`writers: ${writers} → ${run.perSecond} writes/s (${run.errors} errors)`);
    runs.push(run);
  }
  return { runs, growth: Math.round((runs[3]!.perSecond / runs[0]!.perSecond) * 100) / 100 };
}

export function writersMarkdown(w: WritersResult): string[] {
  return [
    '## Concurrent writers (posts, reactions, follows, unfollows on different cases)',
    '',
    '| writers | writes/s | writes | errors | by kind | CPU |',
    '| --- | --- | --- | --- | --- | --- |',
    ...w.runs.map(
      (r) =>
        `| ${r.writers} | ${r.perSecond} | ${r.writes} | ${r.errors} | ${Object.entries(r.byKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')} | ${Object.entries(r.cpu?.cpuSeconds ?? {})
          .map(([k, v]) => `${k} ${v} s`)
          .join(', ')} |`,
    ),
    '',
    `Throughput with 8 writers ÷ with 1 (same run): **${w.growth}**.`,
    '',
  ];
}
