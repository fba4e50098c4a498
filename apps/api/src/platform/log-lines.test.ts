import { describe, expect, it } from 'vitest';
import { readableLines } from './log-lines.ts';

function printed(lines: object[]): string[] {
  const out: string[] = [];
  const sink = readableLines({ write: (text: string) => out.push(text) });
  for (const line of lines) sink.write(`${JSON.stringify(line)}\n`);
  return out.join('').split('\n').filter(Boolean);
}

const time = Date.UTC(2026, 11, 5, 12, 0, 1, 234);

describe('readable log lines (LOG_FORMAT=pretty)', () => {
  it('prints one line per request, from Fastify’s two', () => {
    expect(
      printed([
        { level: 30, time, reqId: 'r-1', req: { method: 'GET', url: '/api/v1/cases' }, msg: 'incoming request' },
        { level: 30, time, reqId: 'r-1', res: { statusCode: 200 }, responseTime: 4.24, msg: 'request completed' },
      ]),
    ).toEqual(['12:00:01.234 INFO  GET /api/v1/cases 200 4.2 ms r-1']);
  });

  it('prints the front’s single line, events with their fields, and errors with their stack', () => {
    const lines = printed([
      {
        level: 30,
        time,
        reqId: 'r-2',
        req: { method: 'GET', url: '/' },
        res: { statusCode: 200 },
        responseTime: 1,
        msg: 'request completed',
        front: true,
      },
      {
        level: 40,
        time,
        pid: 1,
        hostname: 'h',
        job: '7',
        kind: 'email.digest',
        msg: 'a job still running was handed back to the queue',
      },
      {
        level: 50,
        time,
        reqId: 'r-3',
        err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
        msg: 'unhandled error',
      },
    ]);
    expect(lines).toEqual([
      '12:00:01.234 INFO  GET / 200 1.0 ms r-2',
      '12:00:01.234 WARN  a job still running was handed back to the queue job="7" kind="email.digest"',
      '12:00:01.234 ERROR unhandled error (r-3)',
      'Error: boom',
      '    at x',
    ]);
  });

  it('passes through what is not JSON', () => {
    expect(printed([])).toEqual([]);
    const out: string[] = [];
    readableLines({ write: (text: string) => out.push(text) }).write('plain text\n');
    expect(out).toEqual(['plain text\n']);
  });
});
