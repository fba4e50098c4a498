/**
 * Where the machine's CPU went during a measurement (Linux /proc): seconds used by each named
 * group of processes (all their threads), and by everything else on the machine. The machine is
 * shared, so "other" shows how much of it the benchmark did not have.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return -1;
  }
}

/** A process and its direct children (PostgreSQL: the postmaster and its backends and workers). */
export function withChildren(pid: number): () => number[] {
  return () => [
    pid,
    ...readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((child) => parentOf(child) === pid),
  ];
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export type CpuGroups = Record<string, () => number[]>;

export interface CpuUsage {
  seconds: number;
  /** CPU seconds per group, plus `other` (every other process and the kernel) and `idle`. */
  cpuSeconds: Record<string, number>;
}

/** Starts measuring; the returned function stops and reports. */
export function measureCpu(groups: CpuGroups): () => CpuUsage {
  const started = Date.now();
  const before = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, new Map(pids().map((pid) => [pid, processTicks(pid)]))]),
  );
  const machineBefore = machineTicks();
  return () => {
    const machineAfter = machineTicks();
    const cpuSeconds: Record<string, number> = {};
    let ours = 0;
    for (const [name, pids] of Object.entries(groups)) {
      let ticks = 0;
      for (const pid of pids()) ticks += processTicks(pid) - (before[name]?.get(pid) ?? 0);
      ours += ticks;
      cpuSeconds[name] = Number((ticks / TICKS_PER_SECOND).toFixed(2));
    }
    const busy = machineAfter.busy - machineBefore.busy;
    const total = machineAfter.total - machineBefore.total;
    cpuSeconds.other = Number((Math.max(0, busy - ours) / TICKS_PER_SECOND).toFixed(2));
    cpuSeconds.idle = Number(((total - busy) / TICKS_PER_SECOND).toFixed(2));
    return { seconds: Number(((Date.now() - started) / 1000).toFixed(1)), cpuSeconds };
  };
}

/** The usual split: one server process, the PostgreSQL cluster's processes, and this process (the load generator). */
export function serverGroups(server: { pid?: number | undefined }, postgres: () => number[]): CpuGroups {
  return { server: () => [server.pid!], postgres, 'load generator': () => [process.pid] };
}
