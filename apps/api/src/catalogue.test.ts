/**
 * The catalogue of activity verbs and kinds of job at work in the app: what it refuses is never
 * written, and a stored activity or job it refuses (written by hand, by an older version, by a bug)
 * is logged and skipped by every reader, which goes on past it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { createTestApp } from './testing.ts';
import { listSettled } from './testing-outbox.ts';
import { defineActivities, type Activity, type NewActivity } from './platform/outbox/catalogue.ts';
import { defineJobs, type NewJob } from './platform/jobs/catalogue.ts';
import {
  insertActivities,
  insertActivity,
  latestActivityId,
  listActivitiesAfter,
} from './platform/outbox/repository.ts';
import { enqueueJobs } from './platform/jobs/repository.ts';

let app: FastifyInstance;
beforeAll(async () => {
  // Jobs on, for the one kind these tests enqueue.
  app = await createTestApp({ JOBS: 'true', JOBS_KINDS: 'email.notification' });
});
afterAll(async () => {
  await app.close();
});

const caseCreated = {
  verb: 'created',
  objectType: 'case',
  objectId: 'catalogue-test',
  actorId: null,
  countries: ['FR'],
  themes: [],
  isPublic: true,
  payload: { title: 'A case' },
} satisfies NewActivity;

/** What typed code cannot write: the check at run time is what is tested. */
const unchecked = (activity: object) => activity as NewActivity;

describe('the catalogue of activity verbs', () => {
  it('refuses, before anything is written, an activity whose payload does not match its verb, or an undeclared verb', async () => {
    const db = app.database.kysely;
    const before = await latestActivityId(db);
    const write = (activity: object) => db.transaction().execute((trx) => insertActivity(trx, unchecked(activity)));
    await expect(write({ ...caseCreated, payload: { title: 42 } })).rejects.toThrow(
      /payload of case\/created does not match its schema: \/title/,
    );
    await expect(write({ ...caseCreated, verb: 'archived' })).rejects.toThrow('case/archived is not in the catalogue');
    await expect(write({ ...caseCreated, objectType: 'country' })).rejects.toThrow(
      'country/created is not in the catalogue',
    );
    // One refused in a batch: none of the batch is written.
    await expect(
      db
        .transaction()
        .execute((trx) => insertActivities(trx, [caseCreated, unchecked({ ...caseCreated, payload: {} })])),
    ).rejects.toThrow(/must have required properties title/);
    expect(await latestActivityId(db)).toBe(before);
  });

  it('skips, with a log, a stored activity it refuses: listeners, the stream replay and the notifier read on past it', async () => {
    const db = app.database.kysely;
    await app.activities.poke();
    const before = app.activities.lastId();
    const warn = vi.spyOn(app.log, 'warn');
    const heard: Activity[] = [];
    const unsubscribe = app.activities.subscribe((a) => heard.push(a));
    try {
      // A post activity without its case, straight into the table; then a good one.
      const bad = await db
        .insertInto('activities')
        .values({
          verb: 'created',
          object_type: 'post',
          object_id: '1',
          actor_id: null,
          countries: ['FR'],
          themes: [],
          public: true,
          payload: JSON.stringify({ postId: '1', parentId: null, mentionIds: [] }) as never,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const good = await db.transaction().execute((trx) => insertActivity(trx, caseCreated));

      await app.activities.poke();
      expect(heard.map((a) => a.id)).toEqual([good]);
      expect(app.activities.lastId()).toBe(good);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({
          activity: bad.id,
          objectType: 'post',
          verb: 'created',
          problem: expect.stringMatching(/^the payload of post\/created does not match its schema/),
        }),
        'an activity the catalogue refuses was skipped',
      );

      // The stream's replay: the good one, and a page that ends past both.
      const page = await listSettled(app, { afterId: before, publicOnly: true, limit: 10 });
      expect(page.activities.map((a) => a.id)).toEqual([good]);
      expect(page.lastId).toBe(good);

      // The notifier passes it over and moves its cursor past both.
      await app.notifier.poke();
      const cursor = await db
        .selectFrom('outbox_cursors')
        .select('last_id')
        .where('name', '=', 'notifications')
        .executeTakeFirstOrThrow();
      expect(BigInt(cursor.last_id)).toBeGreaterThanOrEqual(BigInt(good));

      // A reader given no way to log it: an error, never a silent skip.
      await expect(listActivitiesAfter(db, { afterId: before, publicOnly: false, limit: 10 })).rejects.toThrow(
        `Activity ${bad.id} is not readable`,
      );
    } finally {
      unsubscribe();
      warn.mockRestore();
    }
  });

  it('declares each (object type, verb) once', () => {
    expect(() => defineActivities('case', { created: Type.Object({}) })).toThrow(
      'The activity case/created is declared twice',
    );
  });
});

describe('the catalogue of kinds of job', () => {
  it('refuses to enqueue a job whose payload does not match its kind, or of an undeclared kind: none of the batch', async () => {
    const db = app.database.kysely;
    const key = `catalogue-refused-${Date.now()}`;
    const enqueue = (jobs: object[]) => enqueueJobs(db, jobs as NewJob[]);
    const job = { kind: 'email.notification', key, runAt: new Date(), payload: { notificationId: '1' } };
    await expect(enqueue([job, { ...job, key: `${key}-2`, payload: { notificationId: 1 } }])).rejects.toThrow(
      /payload of a email.notification job does not match its schema: \/notificationId/,
    );
    await expect(enqueue([{ ...job, kind: 'email.unknown' }])).rejects.toThrow(
      'the job kind email.unknown is not in the catalogue',
    );
    const written = await db.selectFrom('jobs').select('id').where('key', 'like', `${key}%`).execute();
    expect(written).toEqual([]);
  });

  it('sets aside, with a log, a stored job whose payload it refuses, and runs the next', async () => {
    const db = app.database.kysely;
    const key = `catalogue-stored-${Date.now()}`;
    const warn = vi.spyOn(app.log, 'warn');
    try {
      await db
        .insertInto('jobs')
        .values({ kind: 'email.notification', key, run_at: new Date(), payload: JSON.stringify({}) as never })
        .execute();
      // A good one after it (for no notification: nothing to send).
      await enqueueJobs(db, [
        { kind: 'email.notification', key: `${key}-good`, runAt: new Date(), payload: { notificationId: '0' } },
      ]);
      await app.jobs.poke();
      const rows = await db
        .selectFrom('jobs')
        .select(['key', 'done_at', 'last_error', 'attempts'])
        .where('key', 'like', `${key}%`)
        .orderBy('id')
        .execute();
      expect(rows).toEqual([
        {
          key,
          done_at: expect.any(Date),
          last_error: expect.stringMatching(/^the payload of a email.notification job does not match its schema/),
          attempts: 1,
        },
        { key: `${key}-good`, done_at: expect.any(Date), last_error: null, attempts: 1 },
      ]);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ kind: 'email.notification', problem: rows[0]!.last_error }),
        'a job the catalogue refuses was set aside',
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('declares each kind once', () => {
    expect(() => defineJobs({ 'email.digest': Type.Object({}) })).toThrow(
      'The job kind email.digest is declared twice',
    );
  });
});
