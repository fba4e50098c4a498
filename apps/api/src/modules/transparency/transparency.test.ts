import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '@opsi/contracts/common';
import type { TransparencyReport } from '@opsi/contracts/transparency';
import { call, createTestApp, signUp, signUpAs, testClock, type Member } from '../../testing.ts';

// Months long past, so that what other tests write today never counts here.
const clock = testClock('2003-06-15T12:00:00Z');
let app: FastifyInstance;
let reporters: Member[];
let moderator: Member;
const NOTE = 'private note naming Jane Doe';
const REASON = 'private reason text about the author';

async function userId(handle: string): Promise<string> {
  const row = await app.database.kysely
    .selectFrom('users')
    .select('id')
    .where('handle', '=', handle)
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  app = await createTestApp({ TRANSPARENCY_MAX_MONTHS: '24' }, { clock });
  [moderator, ...reporters] = await Promise.all([signUpAs(app, 'moderator'), signUp(app), signUp(app), signUp(app)]);
  const db = app.database.kysely;
  const [a, b, c] = await Promise.all(reporters.map((r) => userId(r.handle)));
  const modId = await userId(moderator.handle);
  const at = (iso: string) => new Date(iso);
  // March 2003: post 901 is reported twice (spam, harassment) and resolved 10 hours after its first
  // report; person 902 once (spam) and resolved 2 hours after; one open report (off_topic).
  // April 2003: one illegal report, resolved in May after 30 hours.
  await db
    .insertInto('reports')
    .values([
      {
        reporter_id: a!,
        target_type: 'post',
        target_id: '901',
        reason: 'spam',
        note: NOTE,
        status: 'resolved',
        created_at: at('2003-03-02T00:00:00Z'),
        resolved_at: at('2003-03-02T10:00:00Z'),
        resolved_by: modId,
        resolution: 'hide',
      },
      {
        reporter_id: b!,
        target_type: 'post',
        target_id: '901',
        reason: 'harassment',
        note: NOTE,
        status: 'resolved',
        created_at: at('2003-03-02T05:00:00Z'),
        resolved_at: at('2003-03-02T10:00:00Z'),
        resolved_by: modId,
        resolution: 'hide',
      },
      {
        reporter_id: a!,
        target_type: 'person',
        target_id: '902',
        reason: 'spam',
        note: '',
        status: 'resolved',
        created_at: at('2003-03-10T00:00:00Z'),
        resolved_at: at('2003-03-10T02:00:00Z'),
        resolved_by: modId,
        resolution: 'suspend',
      },
      {
        reporter_id: c!,
        target_type: 'case',
        target_id: '903',
        reason: 'off_topic',
        note: NOTE,
        status: 'open',
        created_at: at('2003-03-20T00:00:00Z'),
      },
      {
        reporter_id: c!,
        target_type: 'post',
        target_id: '904',
        reason: 'illegal',
        note: NOTE,
        status: 'resolved',
        created_at: at('2003-04-30T20:00:00Z'),
        resolved_at: at('2003-05-02T02:00:00Z'),
        resolved_by: modId,
        resolution: 'delete',
      },
    ])
    .execute();
  const entry = (action: string, created: string, details: Record<string, unknown> = {}) => ({
    actor_id: modId,
    actor_handle: moderator.handle,
    action,
    target_type: 'person',
    target_id: a!,
    target: reporters[0]!.handle,
    reason: REASON,
    details: JSON.stringify(details),
    created_at: at(created),
  });
  await db
    .insertInto('moderation_log')
    .values([
      entry('hide', '2003-03-02T10:00:00Z'),
      entry('suspend', '2003-03-10T02:00:00Z', { days: 7 }),
      entry('suspend', '2003-03-11T02:00:00Z', { days: null }),
      entry('lift_suspension', '2003-03-12T02:00:00Z'),
      entry('delete', '2003-05-02T02:00:00Z'),
      // The first instant of April is April's, not March's.
      entry('warn', '2003-04-01T00:00:00Z'),
    ])
    .execute();
});
afterAll(async () => {
  await app.close();
});

function transparency(query: string) {
  return call(app, null, { url: `/api/v1/transparency${query}` });
}

describe('the transparency report', () => {
  it('counts reports by reason, actions by kind, resolutions with their median time, and suspensions, per month', async () => {
    const res = await transparency('?from=2003-02&to=2003-05');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const report = res.json<TransparencyReport>();
    expect(report).toMatchObject({ from: '2003-02', to: '2003-05' });
    expect(report.months.map((m) => m.month)).toEqual(['2003-02', '2003-03', '2003-04', '2003-05']);
    const [feb, mar, apr, may] = report.months;
    expect(feb).toMatchObject({ reports: 0, resolved: 0, medianHoursToResolution: null, suspensions: 0 });
    expect(mar).toMatchObject({
      reports: 4,
      reportsByReason: { spam: 2, harassment: 1, off_topic: 1, illegal: 0, other: 0 },
      actions: { hide: 1, suspend: 2, lift_suspension: 1, warn: 0, delete: 0, set_role: 0 },
      // post 901 (10 h from its first report) and person 902 (2 h): the median of 10 and 2.
      resolved: 2,
      medianHoursToResolution: 6,
      suspensions: 2,
      suspensionsUntilLifted: 1,
    });
    expect(apr).toMatchObject({ reports: 1, reportsByReason: { illegal: 1 }, actions: { warn: 1 }, resolved: 0 });
    expect(may).toMatchObject({ reports: 0, actions: { delete: 1 }, resolved: 1, medianHoursToResolution: 30 });
  });

  it('holds no personal data: no handle, id, note or reason text', async () => {
    for (const format of ['json', 'csv']) {
      const body = (await transparency(`?from=2003-01&to=2003-12&format=${format}`)).body;
      for (const m of [moderator, ...reporters]) expect(body).not.toContain(m.handle);
      expect(body).not.toContain('Jane Doe');
      expect(body).not.toContain(REASON);
      expect(body).not.toMatch(/\b90[1-4]\b/);
    }
  });

  it('downloads as CSV with a header row and the same numbers', async () => {
    const res = await transparency('?from=2003-03&to=2003-04&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="transparency-2003-03-2003-04.csv"');
    const [header, march, april, end] = res.body.split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 3)).toEqual(['month', 'reports', 'reports_spam']);
    const cell = (row: string, column: string) => row.split(',')[columns.indexOf(column)];
    expect(cell(march!, 'month')).toBe('2003-03');
    expect(cell(march!, 'reports_spam')).toBe('2');
    expect(cell(march!, 'actions_suspend')).toBe('2');
    expect(cell(march!, 'median_hours_to_resolution')).toBe('6');
    expect(cell(april!, 'median_hours_to_resolution')).toBe('');
    expect(end).toBe('');
  });

  it('covers the last 12 months by default', async () => {
    const report = (await transparency('')).json<TransparencyReport>();
    expect(report).toMatchObject({ from: '2002-07', to: '2003-06' });
    expect(report.months).toHaveLength(12);
    expect(report.months.find((m) => m.month === '2003-03')?.reports).toBe(4);
  });

  it('answers 400 naming the field for a bad month, a reversed or too long range, or an unknown format', async () => {
    const field = async (query: string) => {
      const res = await transparency(query);
      expect(res.statusCode, query).toBe(400);
      return res.json<ErrorBody>().error.details?.[0]?.field;
    };
    expect(await field('?from=2003-13')).toBe('from');
    expect(await field('?to=March')).toBe('to');
    expect(await field('?from=2003-05&to=2003-01')).toBe('to');
    expect(await field('?from=2000-01&to=2003-01')).toBe('to');
    expect(await field('?format=xml')).toBe('format');
  });
});
