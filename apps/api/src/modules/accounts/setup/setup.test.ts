/**
 * The first admin's setup link: offered while the site has no admin (and at each start then), used
 * once by a signed-in member who becomes admin; refused a second time, after its expiry, and once
 * the site has an admin; stored hashed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appForFile, call, listen, setRole, signUp, testClock } from '../../../testing.ts';
import { until } from '../../../testing-until.ts';

const clock = testClock();
const app = await appForFile({ SETUP_LINK_HOURS: '2' }, { clock });
const db = app.database.kysely;

const claim = (who: { cookie: string } | null, token: string) =>
  call(app, who, { method: 'POST', url: '/api/v1/setup/claim', payload: { token } });

async function links(): Promise<number> {
  const row = await db
    .selectFrom('setup_links')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the first admin’s setup link', () => {
  it('is offered at start while there is no admin, stored hashed, and makes a signed-in member admin once', async () => {
    expect(await db.selectFrom('users').select('id').where('role', '=', 'admin').execute()).toEqual([]);
    const before = await links();
    await listen(app);
    await until(async () => (await links()) === before + 1, 'the link offered at start');

    const offer = (await app.setup.offer())!;
    const stored = await db.selectFrom('setup_links').selectAll().orderBy('created_at', 'desc').execute();
    expect(stored.map((l) => l.id)).toContain(createHash('sha256').update(offer.token).digest('hex'));
    expect(stored.map((l) => l.id)).not.toContain(offer.token);

    expect((await claim(null, offer.token)).statusCode).toBe(401);
    const first = await signUp(app);
    const claimed = await claim(first, offer.token);
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toEqual({ handle: first.handle, role: 'admin' });
    const me = await call(app, first, { method: 'GET', url: '/api/v1/me' });
    expect(me.json<{ user: { role: string } }>().user.role).toBe('admin');
    const logged = await db
      .selectFrom('moderation_log')
      .select(['action', 'reason'])
      .where('target', '=', first.handle)
      .execute();
    expect(logged).toEqual([{ action: 'set_role', reason: 'setup link' }]);

    // Used once: even with no admin any more, the same link does not work again.
    await setRole(db, first.handle, 'member');
    const second = await signUp(app);
    const again = await claim(second, offer.token);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ error: { details: [{ field: 'token', code: 'link_invalid' }] } });
  });

  it('is refused after its expiry, and once the site has an admin', async () => {
    const member = await signUp(app);
    const late = (await app.setup.offer())!;
    clock.advance(2 * 60 * 60 * 1000 + 1000);
    const expired = await claim(member, late.token);
    expect(expired.statusCode).toBe(422);
    expect(expired.json()).toMatchObject({ error: { details: [{ field: 'token', code: 'link_invalid' }] } });

    const fresh = (await app.setup.offer())!;
    const admin = await signUp(app);
    await setRole(db, admin.handle, 'admin');
    const refused = await claim(member, fresh.token);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(await app.setup.offer()).toBeNull();
    expect(
      (await call(app, member, { method: 'GET', url: '/api/v1/me' })).json<{ user: { role: string } }>().user.role,
    ).toBe('member');
  });
});
