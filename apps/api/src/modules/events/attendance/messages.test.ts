/** The messages organisers sent to those going: kept, and listed for the event's organisers only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentEventMessageList } from '@opsi/contracts/events';
import { call, signUp } from '../../../testing.ts';
import {
  admin,
  app,
  coOrganiser,
  createEvent,
  member,
  moderator,
  organiser,
  otherOrganiser,
  rsvp,
  startEventsApp,
  stopEventsApp,
} from '../testing.ts';

beforeAll(startEventsApp);
afterAll(stopEventsApp);

describe('sent messages', () => {
  it('lets the organisers and admins see them (401 signed out, 403 others, 404 no event)', async () => {
    const e = await createEvent();
    const url = `/api/v1/events/${e.slug}/messages`;
    expect((await call(app, null, { method: 'GET', url })).statusCode).toBe(401);
    for (const who of [member, moderator, otherOrganiser]) {
      expect((await call(app, who, { method: 'GET', url })).statusCode, who.handle).toBe(403);
    }
    for (const who of [organiser, coOrganiser, admin]) {
      const res = await call(app, who, { method: 'GET', url });
      expect(res.statusCode, who.handle).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.json<SentEventMessageList>()).toEqual({ items: [] });
    }
    expect(
      (await call(app, organiser, { method: 'GET', url: '/api/v1/events/no-such-event/messages' })).statusCode,
    ).toBe(404);
  });

  it('lists each message sent, newest first, with its sender and how many it went to', async () => {
    const e = await createEvent({ capacity: 1 });
    const [going, waiting] = await Promise.all([signUp(app), signUp(app)]);
    await rsvp(going, e.slug, 'going');
    await rsvp(waiting, e.slug, 'going');
    const send = (who: typeof organiser, subject: string, body: string) =>
      call(app, who, { method: 'POST', url: `/api/v1/events/${e.slug}/messages`, payload: { subject, body } });
    expect((await send(organiser, '  Doors at nine ', 'Bring **your badge**.')).json()).toEqual({ recipients: 1 });
    expect((await send(coOrganiser, 'Room change', 'We are in room B.')).statusCode).toBe(202);
    // A refused message is not kept.
    expect((await send(member, 'Spam', 'Nope')).statusCode).toBe(403);
    expect((await send(organiser, '', 'No subject')).statusCode).toBe(400);

    const list = (
      await call(app, coOrganiser, { method: 'GET', url: `/api/v1/events/${e.slug}/messages` })
    ).json<SentEventMessageList>();
    expect(list.items).toEqual([
      {
        id: expect.any(String),
        subject: 'Room change',
        body: 'We are in room B.',
        sender: { handle: coOrganiser.handle, displayName: expect.any(String) },
        recipients: 1,
        sentAt: expect.any(String),
      },
      {
        id: expect.any(String),
        subject: 'Doors at nine',
        body: 'Bring **your badge**.',
        sender: { handle: organiser.handle, displayName: expect.any(String) },
        recipients: 1,
        sentAt: expect.any(String),
      },
    ]);
    // Another event's messages are its own.
    const other = await createEvent();
    const empty = await call(app, organiser, { method: 'GET', url: `/api/v1/events/${other.slug}/messages` });
    expect(empty.json<SentEventMessageList>().items).toEqual([]);
  });
});
