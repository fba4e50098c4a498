/**
 * Bench instrumentation for a Socket.IO server, from outside its code: wraps the namespace
 * adapter's `broadcast` (which `io.to(room).emit` and `io.local.to(room).emit` end in) to note when
 * an event started and finished being written to the room's sockets, on the monotonic clock.
 */
import { constants } from 'node:perf_hooks';
import { monotonicMs } from '../ipc.ts';

export interface EmitTrace {
  /** The `body` of the emitted payload: the bench's marker for one post. */
  body: string;
  startMs: number;
  endMs: number;
  recipients: number;
}

interface Packet {
  data?: unknown[];
}
interface BroadcastOptions {
  rooms?: Set<string>;
}
interface TraceableAdapter {
  broadcast(packet: Packet, opts: BroadcastOptions): unknown;
  rooms: Map<string, Set<string>>;
}

export function traceEmits(
  io: { of(namespace: string): { adapter: unknown } },
  event: string,
  enabled: () => boolean,
): EmitTrace[] {
  const adapter = io.of('/').adapter as TraceableAdapter;
  const original = adapter.broadcast.bind(adapter);
  const traces: EmitTrace[] = [];
  adapter.broadcast = (packet, opts) => {
    if (!enabled() || packet.data?.[0] !== event) return original(packet, opts);
    const startMs = monotonicMs();
    const result = original(packet, opts);
    const endMs = monotonicMs();
    const recipients = [...(opts.rooms ?? [])].reduce((n, room) => n + (adapter.rooms.get(room)?.size ?? 0), 0);
    traces.push({
      body: String((packet.data[1] as { body?: unknown } | undefined)?.body ?? ''),
      startMs,
      endMs,
      recipients,
    });
    return result;
  };
  return traces;
}

export interface GcTrace {
  startMs: number;
  ms: number;
  /** V8's kind of collection: a scavenge of the young generation, or a mark-compact of the whole heap. */
  kind: 'minor' | 'major' | 'incremental' | 'weak';
}

function gcKind(kind: number | undefined): GcTrace['kind'] {
  if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) return 'major';
  if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) return 'incremental';
  if (kind === constants.NODE_PERFORMANCE_GC_WEAKCB) return 'weak';
  return 'minor';
}

/** The process's garbage-collection pauses while `enabled()`, on the same monotonic clock. */
export function traceGc(enabled: () => boolean): GcTrace[] {
  const traces: GcTrace[] = [];
  // performance.now() and process.hrtime share one clock: their difference is the time origin.
  const offset = monotonicMs() - performance.now();
  const observer = new PerformanceObserver((list) => {
    if (!enabled()) return;
    for (const entry of list.getEntries()) {
      const kind = gcKind((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind);
      traces.push({ startMs: entry.startTime + offset, ms: entry.duration, kind });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return traces;
}
