/**
 * The bench's HTTP runs (moved from bench.ts so its sections share them): one autocannon run after
 * a warm-up, with where the CPU went (cpu.ts), and the Markdown table of several runs.
 */
import autocannon from 'autocannon';
import { measureCpu, type CpuGroups, type CpuUsage } from './cpu.ts';

export function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

export const DURATION_S = positiveInteger('BENCH_DURATION', 10);
export const CONNECTIONS = 50;

export interface Result {
  name: string;
  url: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
  bytesPerRequest: number;
  /** CPU seconds used during the measured run, per process group (see cpu.ts). */
  cpu: CpuUsage;
  /** The server's CPU time per request (ms). */
  serverCpuMsPerRequest: number;
}

/**
 * `unique`: every request's path gets its own extra query parameter (`&_=<n>`), which the handler
 * ignores but the public cache's key includes, so every request misses the cache.
 */
export async function load(
  name: string,
  url: string,
  groups: CpuGroups,
  headers: Record<string, string> = {},
  unique = false,
): Promise<Result> {
  let n = 0;
  const { pathname, search } = new URL(url);
  const requests: autocannon.Request[] | undefined = unique
    ? [
        {
          setupRequest: (request: autocannon.Request) => {
            n += 1;
            return { ...request, path: `${pathname}${search}${search ? '&' : '?'}_=${n}` };
          },
        },
      ]
    : undefined;
  // Warm up (JIT, connection pool, PostgreSQL caches), then measure.
  await autocannon({ url, headers, connections: 10, duration: 2, ...(requests ? { requests } : {}) });
  const stop = measureCpu(groups);
  const r = await autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    duration: DURATION_S,
    ...(requests ? { requests } : {}),
  });
  const cpu = stop();
  return {
    name,
    url,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bytesPerRequest: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
    cpu,
    serverCpuMsPerRequest: Number((((cpu.cpuSeconds.server ?? 0) * 1000) / Math.max(1, r.requests.total)).toFixed(3)),
  };
}

export function httpTable(rows: Result[]): string[] {
  const cpu = (r: Result, key: string) => r.cpu.cpuSeconds[key] ?? 0;
  return [
    '| server | req/s | p50 ms | p99 ms | errors | non-2xx | bytes/req | server CPU ms/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.errors} | ${r.non2xx} | ` +
        `${r.bytesPerRequest} | ${r.serverCpuMsPerRequest} |`,
    ),
    '',
    `CPU seconds used during each measured ${DURATION_S} s run (2 cores: ${2 * DURATION_S} s available; ` +
      '“other” is every other process on the shared machine and the kernel):',
    '',
    '| run | server | PostgreSQL | load generator | other | idle |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${cpu(r, 'server')} | ${cpu(r, 'postgres')} | ${cpu(r, 'load generator')} | ` +
        `${cpu(r, 'other')} | ${cpu(r, 'idle')} |`,
    ),
    '',
  ];
}
