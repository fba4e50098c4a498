/**
 * Digests and notification emails through a real SMTP conversation (an in-process smtp-server),
 * sent by the job queue once per member and period, with working one-click unsubscribe links.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Post } from '@opsi/contracts/discussions';
import { call, createTestApp, createTestCase, signUp, testClock } from '../../testing.ts';
import { startMailCatcher } from '../../testing-mail.ts';
import { eventually } from '../../testing-until.ts';
import { nextDigestAt } from './service.ts';

let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
const apps: FastifyInstance[] = [];
const dirs: string[] = [];
const KINDS = 'digest.schedule,email.digest,email.notification';

async function startApp(): Promise<FastifyInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'opsi-digests-'));
  dirs.push(dir);
  const app = await createTestApp({
    JOBS: 'true',
    JOBS_KINDS: KINDS,
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    DATA_DIR: dir,
  });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  inbox = await startMailCatcher();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await inbox.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Mail goes through a real SMTP conversation and two job runners: give it time, look less often. */
const PATIENCE = { within: 30_000, every: 100 };

describe('the digest schedule', () => {
  it('runs every day or every Monday at 07:00 UTC', () => {
    expect(nextDigestAt('daily', new Date('2026-11-23T06:59:00Z')).toISOString()).toBe('2026-11-23T07:00:00.000Z');
    expect(nextDigestAt('daily', new Date('2026-11-23T07:00:00Z')).toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(nextDigestAt('weekly', new Date('2026-11-23T08:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    expect(nextDigestAt('weekly', new Date('2026-11-25T08:00:00Z')).toISOString()).toBe('2026-11-30T07:00:00.000Z');
  });

  it('starts from the app’s clock', async () => {
    // A Wednesday morning, after 07:00: the next daily digest is Thursday's, the next weekly Monday's.
    const app = await createTestApp(
      { JOBS: 'true', JOBS_KINDS: 'digest.schedule' },
      {
        clock: testClock('2031-03-05T08:00:00Z'),
      },
    );
    try {
      const scheduled = await app.database.kysely
        .selectFrom('jobs')
        .select(['key', 'run_at'])
        .where('kind', '=', 'digest.schedule')
        .where('key', 'in', ['daily:2031-03-06', 'weekly:2031-03-10'])
        .orderBy('key')
        .execute();
      expect(scheduled.map((j) => [j.key, j.run_at.toISOString()])).toEqual([
        ['daily:2031-03-06', '2031-03-06T07:00:00.000Z'],
        ['weekly:2031-03-10', '2031-03-10T07:00:00.000Z'],
      ]);
    } finally {
      await app.close();
    }
  });
});

describe('email digests', () => {
  it('sends each member one digest per period, in their language, with a one-click unsubscribe that works', async () => {
    const [a, b] = [await startApp(), await startApp()];
    const [reader, french, writer] = await Promise.all([signUp(a), signUp(a), signUp(a)]);
    await a.database.kysely.updateTable('users').set({ locale: 'fr' }).where('id', '=', french.user.id).execute();
    const slug = await createTestCase(a, { themes: ['anti-corruption-and-integrity'] });
    for (const m of [reader, french]) {
      await call(a, m, { method: 'PUT', url: '/api/v1/follows/theme/anti-corruption-and-integrity' });
    }
    const p = (
      await call(a, writer, {
        method: 'POST',
        url: `/api/v1/cases/${slug}/posts`,
        payload: { body: 'Audit trails for **every** tender' },
      })
    ).json<Post>();

    // A weekly period comes due: its schedule job enqueues one digest per member; two nodes run them.
    const period = `weekly:test-${Date.now()}`;
    await a.database.kysely
      .insertInto('jobs')
      .values({
        kind: 'digest.schedule',
        key: period,
        run_at: new Date(),
        payload: JSON.stringify({ frequency: 'weekly', period }) as never,
      })
      .execute();
    await Promise.all([a.jobs.poke(), b.jobs.poke()]);
    const mine = () =>
      inbox.received.filter(
        (m) => m.to.includes(`${reader.handle}@example.org`) || m.to.includes(`${french.handle}@example.org`),
      );
    await eventually(mine, (m) => m.length >= 2, 'two digests', PATIENCE);
    await Promise.all([a.jobs.poke(), b.jobs.poke()]);
    // Once per member, even with two nodes running jobs.
    expect(mine()).toHaveLength(2);
    const english = mine().find((m) => m.to.includes(`${reader.handle}@example.org`))!;
    expect(english.subject).toMatch(/^Your weekly digest: \d+ new in what you follow$/);
    expect(english.text).toContain(`Test case ${slug}`);
    expect(english.text).toContain('because you follow Anti-corruption');
    expect(english.text).toContain(`/cases/${slug}#post-${p.id}`);
    const frenchMail = mine().find((m) => m.to.includes(`${french.handle}@example.org`))!;
    expect(frenchMail.text).toContain('Du nouveau cette semaine');
    expect(frenchMail.text).toContain('/fr/unsubscribe/');
    // Both parts, each in the member's language, the French one linking to French pages.
    expect(english.html).toContain('<html lang="en">');
    expect(english.html).toMatch(/href="[^"]+\/feed"/);
    expect(frenchMail.html).toContain('<html lang="fr">');
    expect(frenchMail.text).toContain(`/fr/cases/${slug}#post-${p.id}`);
    expect(frenchMail.html).toContain(`/fr/cases/${slug}#post-${p.id}`);
    expect(frenchMail.html).toMatch(/href="[^"]+\/fr\/feed"/);

    // RFC 8058: List-Unsubscribe with an https-or-http URL, and List-Unsubscribe-Post.
    expect(english.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(english.headers.get('list-unsubscribe') ?? '')?.[1];
    expect(link).toMatch(/\/api\/v1\/unsubscribe\/[a-z2-7]{32}\?kind=digest$/);
    const url = new URL(link!);
    // The mail client's one-click POST: form-encoded, cross-site, no cookie.
    const res = await a.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://mail.example',
      },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await sql<{
      frequency: string;
    }>`select frequency from digest_settings where user_id = ${reader.user.id}`.execute(a.database.kysely);
    expect(rows[0]?.frequency).toBe('off');
    expect(
      (await a.inject({ method: 'POST', url: '/api/v1/unsubscribe/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })).statusCode,
    ).toBe(404);

    // The next period: the unsubscribed member gets nothing; with nothing new, nobody does.
    const next = `weekly:test-next-${Date.now()}`;
    await a.database.kysely
      .insertInto('jobs')
      .values({
        kind: 'digest.schedule',
        key: next,
        run_at: new Date(),
        payload: JSON.stringify({ frequency: 'weekly', period: next }) as never,
      })
      .execute();
    await a.jobs.poke();
    await eventually(
      async () =>
        await a.database.kysely
          .selectFrom('jobs')
          .select('done_at')
          .where('kind', '=', 'email.digest')
          .where('key', 'like', `${next}:%`)
          .execute(),
      (jobs) => jobs.length > 0 && jobs.every((j) => j.done_at !== null),
      'the next period’s digest jobs',
      PATIENCE,
    );
    expect(mine()).toHaveLength(2);
  });

  it('emails a notification set to "email now", once, with an unsubscribe for that kind', async () => {
    const app = apps[0] ?? (await startApp());
    const [author, replier] = await Promise.all([signUp(app), signUp(app)]);
    await call(app, author, {
      method: 'PATCH',
      url: '/api/v1/me/notification-prefs',
      payload: { kinds: [{ kind: 'reply', channel: 'email' }] },
    });
    const slug = await createTestCase(app);
    const root = (
      await call(app, author, {
        method: 'POST',
        url: `/api/v1/cases/${slug}/posts`,
        payload: { body: 'Question' },
      })
    ).json<Post>();
    await call(app, replier, {
      method: 'POST',
      url: `/api/v1/cases/${slug}/posts`,
      payload: { body: 'An answer', parentId: root.id },
    });
    const to = `${author.handle}@example.org`;
    const mails = await eventually(
      async () => {
        await app.notifier.poke();
        await app.jobs.poke();
        return inbox.received.filter((m) => m.to.includes(to));
      },
      (m) => m.length > 0,
      'the reply email',
      PATIENCE,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('replied to your post');
    expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/kind=reply>$/);
    const link = new URL(/^<(.+)>$/.exec(mails[0]!.headers.get('list-unsubscribe')!)![1]!);
    await app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const prefs = (await call(app, author, { method: 'GET', url: '/api/v1/me/notification-prefs' })).json<{
      kinds: { kind: string; channel: string }[];
    }>();
    expect(prefs.kinds.find((k) => k.kind === 'reply')?.channel).toBe('in_app');
  });
});
