import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AdminPeoplePage, AdminPerson } from '@opsi/contracts/admin';
import type { ErrorBody } from '@opsi/contracts/common';
import type { LogPage } from '@opsi/contracts/moderation';
import type { Me } from '@opsi/contracts/profiles';
import { call, createTestApp, listen, signUp, signUpAs, type Member } from '../../../testing.ts';
import { closeSockets, connectSocket, once } from '../../../testing-sockets.ts';

let app: FastifyInstance;
let origin: string;
let admin: Member;
let matrix: Record<'member' | 'organiser' | 'moderator', Member>;

beforeAll(async () => {
  app = await createTestApp();
  origin = await listen(app);
  const [a, member, organiser, moderator] = await Promise.all([
    signUpAs(app, 'admin'),
    signUp(app),
    signUpAs(app, 'organiser'),
    signUpAs(app, 'moderator'),
  ]);
  admin = a;
  matrix = { member, organiser, moderator };
});
afterAll(async () => {
  closeSockets();
  await app.close();
});

function people(who: Member | null, query = '') {
  return call(app, who, { url: `/api/v1/admin/people${query}` });
}

function setRole(who: Member | null, handle: string, payload: unknown) {
  return call(app, who, { method: 'PUT', url: `/api/v1/admin/people/${handle}/role`, payload });
}

describe('admin routes', () => {
  it('are for admins only: 401 anonymous, 403 for members, organisers and moderators', async () => {
    const target = await signUp(app);
    expect((await people(null)).statusCode).toBe(401);
    expect((await setRole(null, target.handle, { role: 'organiser', reason: 'x' })).statusCode).toBe(401);
    for (const who of Object.values(matrix)) {
      expect((await people(who)).statusCode).toBe(403);
      expect((await setRole(who, target.handle, { role: 'organiser', reason: 'x' })).statusCode).toBe(403);
    }
    expect((await people(admin)).statusCode).toBe(200);
    expect((await setRole(admin, target.handle, { role: 'organiser', reason: 'Runs events' })).statusCode).toBe(200);
  });

  it('list members newest first, found by part of a handle or name, by role, or suspended; never their email', async () => {
    const [first, second] = [await signUp(app), await signUp(app)];
    const all = await people(admin, '?limit=100');
    const handles = all.json<AdminPeoplePage>().items.map((p) => p.handle);
    expect(handles.indexOf(second.handle)).toBeLessThan(handles.indexOf(first.handle));
    expect(all.headers['cache-control']).toMatch(/no-store/);
    expect(all.body).not.toContain('@example.org');

    const found = (await people(admin, `?q=${first.handle.slice(0, -1)}`)).json<AdminPeoplePage>().items;
    expect(found.map((p) => p.handle)).toContain(first.handle);
    expect(found[0]).toMatchObject({ role: 'member', suspension: null });
    expect(Date.parse(found[0]!.joinedAt)).not.toBeNaN();

    const moderators = (await people(admin, '?role=moderator&limit=100')).json<AdminPeoplePage>().items;
    expect(moderators.map((p) => p.handle)).toContain(matrix.moderator.handle);
    expect(moderators.every((p) => p.role === 'moderator')).toBe(true);

    await call(app, admin, {
      method: 'POST',
      url: `/api/v1/moderation/people/${first.handle}/suspension`,
      payload: { reason: 'Spam', days: 3 },
    });
    const suspended = (await people(admin, '?suspended=true&limit=100')).json<AdminPeoplePage>().items;
    expect(suspended.map((p) => p.handle)).toEqual([first.handle]);
    expect(suspended[0]?.suspension).toMatchObject({ handle: first.handle, reason: 'Spam' });

    // `%` and `_` are text, not wildcards.
    expect((await people(admin, '?q=%25')).json<AdminPeoplePage>().items).toEqual([]);
  });

  it('page with a cursor', async () => {
    await Promise.all([signUp(app), signUp(app), signUp(app)]);
    const first = (await people(admin, '?limit=2')).json<AdminPeoplePage>();
    expect(first.items).toHaveLength(2);
    const next = (await people(admin, `?limit=2&cursor=${first.nextCursor}`)).json<AdminPeoplePage>();
    expect(next.items[0]?.handle).not.toBe(first.items[1]?.handle);
    expect((await people(admin, '?cursor=nope')).statusCode).toBe(400);
    expect((await people(admin, '?role=king')).json<ErrorBody>().error.details?.[0]?.field).toBe('role');
  });

  it('change a role at once on the member’s open sessions and sockets, and log it with the reason', async () => {
    const member = await signUp(app);
    expect((await call(app, member, { url: '/api/v1/moderation/log' })).statusCode).toBe(403);
    const socket = await connectSocket(origin, { who: member });
    const reconnected = once(socket, 'disconnect');

    const res = await setRole(admin, member.handle, { role: 'moderator', reason: 'Helps with the queue' });
    expect(res.statusCode).toBe(200);
    expect(res.json<AdminPerson>()).toMatchObject({ handle: member.handle, role: 'moderator', suspension: null });

    // The same session, no new sign-in: the new role applies on its next request.
    expect((await call(app, member, { url: '/api/v1/me' })).json<Me>().user.role).toBe('moderator');
    expect((await call(app, member, { url: '/api/v1/moderation/log' })).statusCode).toBe(200);
    // Its socket was closed so that it reconnects as a moderator (the session itself stays).
    expect(await reconnected).toBe('io server disconnect');

    const log = await call(app, admin, { url: `/api/v1/moderation/log?targetType=person&target=${member.handle}` });
    expect(log.json<LogPage>().items[0]).toMatchObject({
      actor: admin.handle,
      action: 'set_role',
      target: member.handle,
      reason: 'Helps with the queue',
      details: { from: 'member', to: 'moderator' },
    });

    // Back to member: the moderator's pages close to the same session.
    await setRole(admin, member.handle, { role: 'member', reason: 'Stepped down' });
    expect((await call(app, member, { url: '/api/v1/moderation/log' })).statusCode).toBe(403);
  });

  it('refuses to take away the admin’s own role (422), an unknown member (404) and bad input (400 naming the field)', async () => {
    const self = await setRole(admin, admin.handle, { role: 'member', reason: 'Leaving' });
    expect(self.statusCode).toBe(422);
    expect(self.json<ErrorBody>().error.details?.[0]).toMatchObject({ field: 'role', code: 'cannot_moderate' });
    expect((await call(app, admin, { url: '/api/v1/me' })).json<Me>().user.role).toBe('admin');

    expect((await setRole(admin, 'no-such-member', { role: 'organiser', reason: 'x' })).statusCode).toBe(404);
    const bad = await setRole(admin, matrix.member.handle, { role: 'emperor', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.details?.map((d) => d.field)).toEqual(
      expect.arrayContaining(['role', 'reason']),
    );
  });
});
