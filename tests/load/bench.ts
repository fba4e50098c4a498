/**
 * `npm run bench`: benchmarks on real PostgreSQL, each beside a baseline measured in the same run,
 * written to tests/load/reports/latest.{json,md}. Servers run in child processes on loopback; the
 * load generator (autocannon) runs here. Every run is bounded in time and stops by itself.
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort, startThrowawayPostgres } from '../../infra/throwaway-postgres.ts';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Result {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
  bytesPerRequest: number;
}

async function startServer(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(here(script), { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 120 s`)), 120_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

async function load(name: string, url: string): Promise<Result> {
  // Warm up (JIT, connection pool, PostgreSQL caches), then measure.
  await autocannon({ url, connections: 10, duration: 2 });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  return {
    name,
    url,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytesPerRequest: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
}

async function main() {
  const postgres = await startThrowawayPostgres({ database: 'opsi_bench' });
  const children: ChildProcess[] = [];
  try {
    const [appPort, helloPort] = [await freePort(), await freePort()];
    children.push(await startServer('./servers/app.ts', { DATABASE_URL: postgres.url, PORT: String(appPort) }));
    children.push(await startServer('./servers/hello.ts', { PORT: String(helloPort) }));

    const bare = await load('bare Fastify hello-world', `http://127.0.0.1:${helloPort}/hello`);
    const cases = await load(
      'GET /api/v1/cases (20 items, PostgreSQL)',
      `http://127.0.0.1:${appPort}/api/v1/cases?limit=20`,
    );
    const ratio = cases.requestsPerSecond / bare.requestsPerSecond;

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { durationSeconds: DURATION_S, connections: CONNECTIONS },
      benchmarks: [
        {
          name: 'cases list vs bare Fastify',
          results: [cases, bare],
          ratio: Number(ratio.toFixed(3)),
        },
      ],
    };
    const md = [
      '# Benchmark report',
      '',
      `${report.date} — ${report.machine.cpus} cores (${report.machine.model}), Node ${report.machine.node}; ` +
        `${CONNECTIONS} connections, ${DURATION_S} s per run after a 2 s warm-up; servers and load generator share the machine.`,
      '',
      '## GET /api/v1/cases (20 items) on PostgreSQL vs a bare Fastify hello-world',
      '',
      '| server | req/s | p50 ms | p99 ms | errors | non-2xx | bytes/req |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...[cases, bare].map(
        (r) =>
          `| ${r.name} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.errors} | ${r.non2xx} | ${r.bytesPerRequest} |`,
      ),
      '',
      `Ratio (cases req/s ÷ bare req/s, same run): **${ratio.toFixed(3)}**`,
      '',
      'The list is public and not personal, so after the first request it is served from the public read cache',
      '(emptied on every node by each committed activity, and after 5 s at most); this is the warm path people hit.',
      '',
    ].join('\n');

    const dir = here('./reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${dir}/latest.md`, md);
    console.log(md);
    console.log(`Report written to ${dir}/latest.{json,md}`);
    if (cases.errors > 0 || cases.non2xx > 0) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    postgres.stop();
  }
}

await main();
