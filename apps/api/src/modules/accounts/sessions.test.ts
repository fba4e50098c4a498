/** Sessions: their tokens, lifetimes and renewal, signing out, listing and revoking them. */
import { describe, expect, it } from 'vitest';
import { appForFile, call, GOOD_PASSWORD, invalidationsHeard, sessionCookie, signIn, signUp } from '../../testing.ts';
import { sessionIdOf } from '../../plugins/session.ts';

const app = await appForFile();

const db = () => app.database.kysely;
/** The member's sessions: 200 while the cookie's session lives, 401 once it is gone. */
const me = (cookie: string) => call(app, { cookie }, { url: '/api/v1/me/sessions' });

describe('session lifecycle', () => {
  it('refuses the stored hash used as a token, and a token with one bit changed', async () => {
    const { cookie } = await signUp(app);
    const token = cookie.split('=')[1]!;
    expect((await me(`session=${sessionIdOf(token)}`)).statusCode).toBe(401);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const last = token.at(-1)!;
    const flipped = token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    const res = await me(`session=${flipped}`);
    expect(res.statusCode).toBe(401);
    expect(String(res.headers['set-cookie'])).toMatch(/session=;/);
  });

  it('expires after 30 idle days and after 90 days whatever the use', async () => {
    const idle = await signUp(app);
    const idleId = sessionIdOf(idle.cookie.split('=')[1]!);
    await db()
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', idleId)
      .execute();
    expect((await me(idle.cookie)).statusCode).toBe(401);
    expect(await db().selectFrom('sessions').select('id').where('id', '=', idleId).execute()).toHaveLength(0);

    const old = await signUp(app);
    const oldId = sessionIdOf(old.cookie.split('=')[1]!);
    await db()
      .updateTable('sessions')
      .set({ absolute_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', oldId)
      .execute();
    expect((await me(old.cookie)).statusCode).toBe(401);
  });

  it('renews the idle expiry when used, at most once an hour, never past the absolute lifetime', async () => {
    const { cookie } = await signUp(app);
    const id = sessionIdOf(cookie.split('=')[1]!);
    const read = () => db().selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const fresh = await read();
    await me(cookie);
    expect((await read()).expires_at.getTime()).toBe(fresh.expires_at.getTime()); // used within the hour: no write

    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const soon = new Date(Date.now() + 24 * 60 * 60 * 1000);
    await db()
      .updateTable('sessions')
      .set({ last_used_at: twoHoursAgo, expires_at: soon })
      .where('id', '=', id)
      .execute();
    await invalidationsHeard();
    const renewed = await me(cookie);
    expect(renewed.statusCode).toBe(200);
    expect(String(renewed.headers['set-cookie'])).toMatch(/session=/);
    const after = await read();
    expect(after.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
    expect(after.expires_at.getTime()).toBeLessThanOrEqual(after.absolute_expires_at.getTime());

    const absolute = new Date(Date.now() + 5 * 24 * 60 * 60 * 1000);
    await db()
      .updateTable('sessions')
      .set({ last_used_at: twoHoursAgo, absolute_expires_at: absolute })
      .where('id', '=', id)
      .execute();
    await invalidationsHeard();
    await me(cookie);
    expect((await read()).expires_at.getTime()).toBe(absolute.getTime());
  });

  it('answers each of many simultaneous requests with its own session (lookups batched, never mixed)', async () => {
    const members = await Promise.all(Array.from({ length: 6 }, () => signUp(app)));
    const [gone] = members.splice(5, 1);
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: gone!.cookie } });
    const asked = Array.from({ length: 60 }, (_, i) =>
      i % 6 === 5 ? { who: null, cookie: gone!.cookie } : { who: members[i % 6]!, cookie: members[i % 6]!.cookie },
    );
    const answers = await Promise.all(
      asked.map(({ cookie }) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })),
    );
    for (const [i, res] of answers.entries()) {
      const { who } = asked[i]!;
      if (!who) {
        expect(res.statusCode, `request ${i}`).toBe(401);
      } else {
        expect(res.statusCode, `request ${i}`).toBe(200);
        expect(res.json<{ user: { handle: string } }>().user.handle, `request ${i}`).toBe(who.handle);
      }
    }
  });

  it('signs out server-side: the old cookie no longer works', async () => {
    const { cookie } = await signUp(app);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('lists sessions with device and last use, and revokes any of them', async () => {
    const { handle, cookie: a } = await signUp(app);
    const b = sessionCookie(
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `${handle}@example.org`, password: GOOD_PASSWORD },
        headers: {
          'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36',
        },
        remoteAddress: '198.51.100.20',
      }),
    );
    const list = (await me(a)).json<{ items: { id: string; current: boolean; device: string }[] }>().items;
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current)!;
    expect(other.device).toBe('Chrome on Windows');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${other.id}`, headers: { cookie: a } });
    expect(del.statusCode).toBe(204);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
    // Another member cannot revoke it: it is not theirs.
    const stranger = await signUp(app);
    const mine = (await me(a)).json<{ items: { id: string }[] }>().items[0]!;
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/me/sessions/${mine.id}`,
          headers: { cookie: stranger.cookie },
        })
      ).statusCode,
    ).toBe(404);
    expect((await me(a)).statusCode).toBe(200);
  });

  it('revokes every other session when the password changes', async () => {
    const { handle, cookie: a } = await signUp(app);
    const b = sessionCookie(await signIn(app, `${handle}@example.org`, GOOD_PASSWORD, '198.51.100.21'));
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: a },
      payload: { currentPassword: 'not my password', newPassword: 'another long passphrase 77' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.details[0].field).toBe('currentPassword');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: a },
      payload: { currentPassword: GOOD_PASSWORD, newPassword: 'another long passphrase 77' },
    });
    expect(res.statusCode).toBe(204);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(401);
    expect((await signIn(app, `${handle}@example.org`, 'another long passphrase 77', '198.51.100.22')).statusCode).toBe(
      200,
    );
  });
});
