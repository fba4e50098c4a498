/**
 * Readable logs for a terminal (LOG_FORMAT=pretty, or unset with stdout a terminal): pino's JSON
 * lines turned into one short line each, and one line per request (`GET /api/v1/cases 200 4.2 ms`)
 * instead of Fastify's two ("incoming request", then "request completed"). Production keeps the
 * JSON lines, which log collectors parse. No dependency: pino writes its lines to `write`.
 */

interface Line {
  level?: number;
  time?: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { type?: string; message?: string; stack?: string };
  [field: string]: unknown;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields shown in their own place, or not worth a terminal's width. */
const SHOWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'reqId', 'req', 'res', 'responseTime', 'err']);
/** Requests seen arriving and not yet answered, remembered for their answer's line (bounded). */
const MAX_PENDING = 10_000;

function clock(time: number | undefined): string {
  return new Date(time ?? Date.now()).toISOString().slice(11, 23);
}

function extras(line: Line): string {
  const rest = Object.entries(line).filter(([key]) => !SHOWN.has(key));
  return rest.length ? ` ${rest.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}` : '';
}

/** A sink for pino (`{ write }`) that prints readable lines to `out`. */
export function readableLines(out: { write(text: string): unknown }): { write(text: string): void } {
  const pending = new Map<string, string>();
  return {
    write(text) {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        out.write(text);
        return;
      }
      const level = LEVELS[line.level ?? 30] ?? String(line.level);
      const head = `${clock(line.time)} ${level.padEnd(5)}`;
      if (line.msg === 'incoming request' && line.reqId) {
        if (pending.size >= MAX_PENDING) pending.clear();
        pending.set(line.reqId, `${line.req?.method ?? '?'} ${line.req?.url ?? '?'}`);
        return;
      }
      if (line.msg === 'request completed') {
        const request = (line.reqId && pending.get(line.reqId)) || `${line.req?.method ?? '?'} ${line.req?.url ?? '?'}`;
        if (line.reqId) pending.delete(line.reqId);
        const ms = typeof line.responseTime === 'number' ? ` ${line.responseTime.toFixed(1)} ms` : '';
        out.write(`${head} ${request} ${line.res?.statusCode ?? '?'}${ms} ${line.reqId ?? ''}\n`);
        return;
      }
      const error = line.err ? `\n${line.err.stack ?? `${line.err.type}: ${line.err.message}`}` : '';
      const request = line.reqId ? ` (${line.reqId})` : '';
      out.write(`${head} ${line.msg ?? ''}${request}${extras(line)}${error}\n`);
    },
  };
}
