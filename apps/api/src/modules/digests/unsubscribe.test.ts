/**
 * Unsubscribe links: a link can only turn email off; its undo puts back exactly what that link
 * turned off, once and for a day; the tokens are stored hashed and die when the address changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { NotificationPrefs } from '@opsi/contracts/follows';
import { sessionIdOf } from '../../plugins/session.ts';
import {
  createTestApp,
  GOOD_PASSWORD,
  nextAddress,
  signUp,
  testClock,
  uniqueSlug,
  type Member,
} from '../../testing.ts';
import { outboxMails, tempDataDir } from '../../testing-mail.ts';
import { UNDO_HOURS, UNSUBSCRIBE_LINK_DAYS, type DigestsService, type UnsubscribeKind } from './service.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const dataDir = tempDataDir('unsubscribe');
let app: FastifyInstance;
let digests: DigestsService;
beforeAll(async () => {
  app = await createTestApp({ DATA_DIR: dataDir });
  digests = app.digests;
});
afterAll(async () => {
  await app.close();
});

/** The link an email to this member about `kind` carries: its token. */
async function linkFor(member: Member, kind: UnsubscribeKind): Promise<string> {
  const { headers, page } = await digests.unsubscribeHeaders(member.user.id, kind, 'en');
  const oneClick = /^<(.+)>$/.exec(headers['List-Unsubscribe'])![1]!;
  const token = /\/api\/v1\/unsubscribe\/([a-z2-7]{32})\?kind=/.exec(oneClick)![1]!;
  expect(page).toContain(`/unsubscribe/${token}?kind=${kind}`);
  return token;
}

function unsubscribe(token: string, kind: string) {
  return app.inject({ method: 'POST', url: `/api/v1/unsubscribe/${token}?kind=${kind}` });
}
function undo(token: string, kind: string) {
  return app.inject({ method: 'DELETE', url: `/api/v1/unsubscribe/${token}?kind=${kind}` });
}

async function prefs(member: Member): Promise<{ digest: string; channels: Record<string, string> }> {
  const res = await app.inject({ url: '/api/v1/me/notification-prefs', headers: { cookie: member.cookie } });
  const body = res.json<NotificationPrefs>();
  return { digest: body.digest, channels: Object.fromEntries(body.kinds.map((k) => [k.kind, k.channel])) };
}

async function setPrefs(member: Member, patch: Record<string, unknown>) {
  const res = await app.inject({
    method: 'PATCH',
    url: '/api/v1/me/notification-prefs',
    headers: { cookie: member.cookie },
    payload: patch,
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('the stored token', () => {
  it('is not the token in the link: only its SHA-256 is kept, nowhere the link itself', async () => {
    const member = await signUp(app);
    const token = await linkFor(member, 'digest');
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying')
    `.execute(app.database.kysely);
    const holding: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(
        column,
      )} = ${token}`.execute(app.database.kysely);
      if (rows[0]!.n > 0) holding.push(`${table}.${column}`);
    }
    expect(holding).toEqual([]);
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from unsubscribe_tokens where id = ${sessionIdOf(token)}`.execute(app.database.kysely);
    expect(rows[0]!.n).toBe(1);
    // And the link works.
    expect((await unsubscribe(token, 'digest')).statusCode).toBe(200);
  });
});

describe('what a link may change', () => {
  it('its undo never switches on a kind the link did not turn off', async () => {
    const member = await signUp(app);
    await setPrefs(member, {
      kinds: [
        { kind: 'reply', channel: 'email' },
        { kind: 'mention', channel: 'off' },
        { kind: 'new_post', channel: 'in_app' },
      ],
    });
    const before = await prefs(member);
    const token = await linkFor(member, 'reply');
    // The review's attack: the undo of a reply link, pointed at other kinds.
    for (const kind of ['mention', 'new_post', 'new_follower', 'all', 'digest']) {
      const res = await undo(token, kind);
      expect(res.statusCode, kind).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, kind).toBeLessThan(500);
    }
    // Its own kind, with nothing turned off yet: nothing to put back.
    expect((await undo(token, 'reply')).statusCode).toBe(409);
    expect(await prefs(member)).toEqual(before);
  });

  it('only turns email off: a kind in the app or off stays as it is, and its undo cannot switch email on', async () => {
    const member = await signUp(app);
    await setPrefs(member, {
      kinds: [
        { kind: 'reply', channel: 'in_app' },
        { kind: 'mention', channel: 'off' },
      ],
    });
    const before = await prefs(member);
    for (const kind of ['reply', 'mention'] as const) {
      const token = await linkFor(member, kind);
      expect((await unsubscribe(token, kind)).statusCode).toBe(200);
      expect((await prefs(member)).channels[kind], kind).toBe(before.channels[kind]);
      expect((await undo(token, kind)).statusCode).toBe(409);
      expect((await prefs(member)).channels[kind], kind).toBe(before.channels[kind]);
    }
  });

  it('the undo puts back exactly what the link turned off, once', async () => {
    const member = await signUp(app);
    await setPrefs(member, { digest: 'daily', kinds: [{ kind: 'reply', channel: 'email' }] });
    const before = await prefs(member);
    // event_reminder is "email" by default (no row stored).
    expect(before.channels.event_reminder).toBe('email');

    const digest = await linkFor(member, 'digest');
    expect((await unsubscribe(digest, 'digest')).json()).toEqual({ kind: 'digest', subscribed: false });
    expect((await prefs(member)).digest).toBe('off');
    const back = await undo(digest, 'digest');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toEqual({ kind: 'digest', subscribed: true });
    expect((await prefs(member)).digest).toBe('daily');
    expect((await undo(digest, 'digest')).statusCode).toBe(409);

    for (const kind of ['reply', 'event_reminder'] as const) {
      const token = await linkFor(member, kind);
      await unsubscribe(token, kind);
      expect((await prefs(member)).channels[kind], kind).toBe('in_app');
      expect((await undo(token, kind)).statusCode, kind).toBe(200);
      expect((await undo(token, kind)).statusCode, kind).toBe(409);
    }
    expect(await prefs(member)).toEqual(before);
    // The default stays a default: no row was left behind for event_reminder.
    const rows = await app.database.kysely
      .selectFrom('notification_prefs')
      .select('kind')
      .where('user_id', '=', member.user.id)
      .execute();
    expect(rows.map((r) => r.kind)).toEqual(['reply']);
  });

  it('a second one-click POST (mail clients retry) keeps the undo of the first', async () => {
    const member = await signUp(app);
    await setPrefs(member, { kinds: [{ kind: 'mention', channel: 'email' }] });
    const token = await linkFor(member, 'mention');
    await unsubscribe(token, 'mention');
    await unsubscribe(token, 'mention');
    expect((await undo(token, 'mention')).statusCode).toBe(200);
    expect((await prefs(member)).channels.mention).toBe('email');
  });

  it('the undo leaves alone what the member changed since', async () => {
    const member = await signUp(app);
    await setPrefs(member, { digest: 'weekly', kinds: [{ kind: 'reply', channel: 'email' }] });
    const token = await linkFor(member, 'reply');
    await unsubscribe(token, 'reply');
    await setPrefs(member, { kinds: [{ kind: 'reply', channel: 'off' }] });
    const res = await undo(token, 'reply');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'reply', subscribed: false });
    expect((await prefs(member)).channels.reply).toBe('off');
  });

  it('the undo expires after a day', async () => {
    const member = await signUp(app);
    await setPrefs(member, { kinds: [{ kind: 'new_follower', channel: 'email' }] });
    const token = await linkFor(member, 'new_follower');
    await unsubscribe(token, 'new_follower');
    await app.database.kysely
      .updateTable('unsubscribe_tokens')
      .set({ undo_until: new Date(Date.now() - 1000) })
      .where('id', '=', sessionIdOf(token))
      .execute();
    expect((await undo(token, 'new_follower')).statusCode).toBe(409);
    expect((await prefs(member)).channels.new_follower).toBe('in_app');
  });

  it('a link is for its own kind: another kind in the address is refused', async () => {
    const member = await signUp(app);
    await setPrefs(member, { digest: 'weekly', kinds: [{ kind: 'reply', channel: 'email' }] });
    const token = await linkFor(member, 'reply');
    expect((await unsubscribe(token, 'digest')).statusCode).toBe(404);
    expect((await unsubscribe(token, 'all')).statusCode).toBe(404);
    expect((await prefs(member)).digest).toBe('weekly');
    // Without ?kind= (a mail client that drops it), the link's own kind.
    const res = await app.inject({ method: 'POST', url: `/api/v1/unsubscribe/${token}` });
    expect(res.json()).toEqual({ kind: 'reply', subscribed: false });
  });
});

describe('which links work', () => {
  const emailsTo = (to: string) => outboxMails(dataDir, to);

  it('every link sent before an email change stops working (404)', async () => {
    const member = await signUp(app);
    const [digest, reply] = [await linkFor(member, 'digest'), await linkFor(member, 'reply')];
    const fresh = `${uniqueSlug('moved')}@example.org`;
    const asked = await app.inject({
      method: 'POST',
      url: '/api/v1/me/email',
      headers: { cookie: member.cookie },
      payload: { email: fresh, currentPassword: GOOD_PASSWORD },
      remoteAddress: nextAddress(),
    });
    expect(asked.statusCode).toBe(202);
    // Before the new address confirms, the old links still work.
    expect((await unsubscribe(reply, 'reply')).statusCode).toBe(200);
    const token = /\/confirm-email\/([a-z2-7]{32})/.exec(emailsTo(fresh).at(-1)!)![1]!;
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/email-confirm', payload: { token } })).statusCode,
    ).toBe(200);
    for (const [t, kind] of [
      [digest, 'digest'],
      [reply, 'reply'],
    ] as const) {
      expect((await unsubscribe(t, kind)).statusCode, kind).toBe(404);
      expect((await undo(t, kind)).statusCode, kind).toBe(404);
    }
    // New emails carry new links that work.
    expect((await unsubscribe(await linkFor(member, 'digest'), 'digest')).statusCode).toBe(200);
  });

  it('an expired link, and a made-up one, are 404', async () => {
    const member = await signUp(app);
    const token = await linkFor(member, 'digest');
    await app.database.kysely
      .updateTable('unsubscribe_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', sessionIdOf(token))
      .execute();
    expect((await unsubscribe(token, 'digest')).statusCode).toBe(404);
    expect((await unsubscribe('a'.repeat(32), 'digest')).statusCode).toBe(404);
    expect((await prefs(member)).digest).toBe('weekly');
  });

  it('a new link per email, and each works', async () => {
    const member = await signUp(app);
    const [first, second] = [await linkFor(member, 'digest'), await linkFor(member, 'digest')];
    expect(first).not.toBe(second);
    expect((await unsubscribe(first, 'digest')).statusCode).toBe(200);
    expect((await unsubscribe(second, 'digest')).statusCode).toBe(200);
  });
});

describe('on the app’s clock', () => {
  const clock = testClock();
  let timed: FastifyInstance;
  beforeAll(async () => {
    timed = await createTestApp({ DATA_DIR: dataDir }, { clock });
  });
  afterAll(async () => {
    await timed.close();
  });

  it('a link works for 60 days, and its undo for a day after each use', async () => {
    const [member, other] = [await signUp(timed), await signUp(timed)];
    const token = async (who: Member) =>
      /\/unsubscribe\/([a-z2-7]{32})\?/.exec(
        (await timed.digests.unsubscribeHeaders(who.user.id, 'digest', 'en')).page,
      )![1]!;
    const use = (link: string, method: 'POST' | 'DELETE') =>
      timed.inject({ method, url: `/api/v1/unsubscribe/${link}?kind=digest` });
    const [link, spare] = [await token(member), await token(other)];
    clock.advance(UNSUBSCRIBE_LINK_DAYS * DAY - MINUTE);
    expect((await use(link, 'POST')).statusCode).toBe(200);
    clock.advance(2 * MINUTE);
    // Past its 60 days: refused like an unknown link.
    expect((await use(spare, 'POST')).statusCode).toBe(404);

    const fresh = await token(other);
    expect((await use(fresh, 'POST')).statusCode).toBe(200);
    clock.advance(UNDO_HOURS * HOUR - MINUTE);
    expect((await use(fresh, 'DELETE')).statusCode).toBe(200);
    expect((await use(fresh, 'POST')).statusCode).toBe(200);
    clock.advance(UNDO_HOURS * HOUR + MINUTE);
    expect((await use(fresh, 'DELETE')).statusCode).toBe(409);
  });
});
