/**
 * Co-organisers by invitation: naming someone on an event invites them (a notification, and an
 * email when their preferences say so); they organise it only once they accept. Through the API,
 * with the notification emails sent by the job queue to an in-process SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDetail, OrganiserInvitationList } from '@opsi/contracts/events';
import type { NotificationList } from '@opsi/contracts/follows';
import { call, createTestApp, setRole, signUp, signUpAs, uniqueSlug } from '../../../testing.ts';
import { jobsDone } from '../../../testing-until.ts';
import { startMailCatcher } from '../../../testing-mail.ts';

type Member = Awaited<ReturnType<typeof signUp>>;

const DAY = 24 * 60 * 60 * 1000;
const ORIGIN = 'https://network.example';
let app: FastifyInstance;
let inbox: Awaited<ReturnType<typeof startMailCatcher>>;
let dir: string;
let organiser: Member;

beforeAll(async () => {
  inbox = await startMailCatcher();
  dir = mkdtempSync(join(tmpdir(), 'opsi-invitations-'));
  app = await createTestApp({
    JOBS: 'true',
    JOBS_KINDS: 'email.notification',
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    DATA_DIR: dir,
    PUBLIC_ORIGIN: ORIGIN,
  });
  organiser = await signUpAs(app, 'organiser');
});
afterAll(async () => {
  await app.close();
  await inbox.close();
  rmSync(dir, { recursive: true, force: true });
});

async function createEvent(who: Member, coOrganisers: string[]) {
  const starts = new Date(Date.now() + 20 * DAY);
  return call(app, who, {
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      title: `Service design sprint ${uniqueSlug('t')}`,
      slug: uniqueSlug('ev'),
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3 * 60 * 60 * 1000).toISOString(),
      timezone: 'Europe/Paris',
      mode: 'online',
      onlineUrl: 'https://meet.example.org/sprint-room',
      coOrganisers,
    },
  });
}

const view = async (who: Member | null, slug: string) =>
  (await call(app, who, { method: 'GET', url: `/api/v1/events/${slug}` })).json<EventDetail>();
const edit = (who: Member, slug: string, payload: object) =>
  call(app, who, { method: 'PATCH', url: `/api/v1/events/${slug}`, payload });
const answer = (who: Member | null, slug: string, verb: 'accept' | 'decline') =>
  call(app, who, { method: 'POST', url: `/api/v1/events/${slug}/organiser-invitations/${verb}` });
const invitations = async (who: Member) =>
  (await call(app, who, { method: 'GET', url: '/api/v1/me/organiser-invitations' })).json<OrganiserInvitationList>();
const handles = (people: { handle: string }[] | undefined) => (people ?? []).map((p) => p.handle).sort();

async function notified(who: Member, kind: string) {
  const list = await call(app, who, { method: 'GET', url: '/api/v1/me/notifications?limit=100' });
  return list.json<NotificationList>().items.filter((n) => n.kind === kind);
}

function fieldsOf(res: { json: <T>() => T }): string[] {
  return (res.json<{ error: { details?: { field: string }[] } }>().error.details ?? []).map((d) => d.field);
}

describe('co-organisers by invitation', () => {
  it('invites the people named; they organise only once they accept', async () => {
    const co = await signUpAs(app, 'organiser');
    const created = await createEvent(organiser, [co.handle]);
    expect(created.statusCode, created.body).toBe(201);
    const e = created.json<EventDetail>();
    // Named, not yet an organiser: the organisers see the invitation waiting.
    expect(handles(e.organisers)).toEqual([organiser.handle]);
    expect(handles(e.pendingOrganisers)).toEqual([co.handle]);

    // The invitee can do nothing yet, and sees the invitation on the event and in their list.
    const theirs = await view(co, e.slug);
    expect(theirs.canManage).toBe(false);
    expect(theirs.onlineUrl).toBeUndefined();
    expect(theirs.organiserInvitation).toMatchObject({ invitedBy: { handle: organiser.handle } });
    expect(theirs.pendingOrganisers).toBeUndefined();
    expect((await edit(co, e.slug, { title: 'Taken over' })).statusCode).toBe(403);
    expect((await call(app, co, { method: 'GET', url: `/api/v1/events/${e.slug}/attendees.csv` })).statusCode).toBe(
      403,
    );
    expect((await invitations(co)).items).toMatchObject([
      { event: { slug: e.slug, title: e.title }, invitedBy: { handle: organiser.handle } },
    ]);
    // Others see neither the invitation nor who is invited.
    const stranger = await signUp(app);
    const seen = await view(stranger, e.slug);
    expect(seen.pendingOrganisers).toBeUndefined();
    expect(seen.organiserInvitation).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain(co.handle);
    expect((await invitations(stranger)).items).toEqual([]);
    expect((await answer(stranger, e.slug, 'accept')).statusCode).toBe(404);
    expect((await answer(null, e.slug, 'accept')).statusCode).toBe(401);
    expect((await call(app, null, { method: 'GET', url: '/api/v1/me/organiser-invitations' })).statusCode).toBe(401);

    // Told in the app (in-app by default: no email).
    await jobsDone([app], ['email.notification']);
    const told = await notified(co, 'organiser_invitation');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: e.title, url: `/events/${e.slug}`, actors: [{ handle: organiser.handle }] });
    expect(inbox.received.filter((r) => r.to.includes(`${co.handle}@example.org`))).toEqual([]);

    // Accepted: an organiser now, with every power, and the invitation is gone.
    const accepted = await answer(co, e.slug, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<EventDetail>()).toMatchObject({
      canManage: true,
      onlineUrl: 'https://meet.example.org/sprint-room',
    });
    expect(handles(accepted.json<EventDetail>().organisers)).toEqual([organiser.handle, co.handle].sort());
    expect(accepted.json<EventDetail>().pendingOrganisers).toEqual([]);
    expect(accepted.json<EventDetail>().organiserInvitation).toBeUndefined();
    expect((await edit(co, e.slug, { title: 'Run together' })).statusCode).toBe(200);
    expect((await invitations(co)).items).toEqual([]);
    expect((await answer(co, e.slug, 'accept')).statusCode).toBe(404);
    // Saving the event with the same list keeps everyone where they are and invites no one again.
    const same = await edit(organiser, e.slug, { coOrganisers: [co.handle] });
    expect(handles(same.json<EventDetail>().organisers)).toEqual([organiser.handle, co.handle].sort());
    await jobsDone([app], ['email.notification']);
    expect(await notified(co, 'organiser_invitation')).toHaveLength(1);
  });

  it('lets an invitee decline for good; a withdrawn invitation cannot be accepted', async () => {
    const [first, second, third] = await Promise.all([
      signUpAs(app, 'organiser'),
      signUpAs(app, 'admin'),
      signUpAs(app, 'organiser'),
    ]);
    const e = (await createEvent(organiser, [])).json<EventDetail>();
    const invited = await edit(organiser, e.slug, { coOrganisers: [first.handle, second.handle] });
    expect(invited.statusCode, invited.body).toBe(200);
    expect(handles(invited.json<EventDetail>().pendingOrganisers)).toEqual([first.handle, second.handle].sort());

    // Declined: not an organiser, the invitation gone, and naming them again is refused.
    const declined = await answer(first, e.slug, 'decline');
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json<EventDetail>()).toMatchObject({ canManage: false });
    expect(declined.json<EventDetail>().organiserInvitation).toBeUndefined();
    expect((await answer(first, e.slug, 'accept')).statusCode).toBe(404);
    expect(handles((await view(organiser, e.slug)).pendingOrganisers)).toEqual([second.handle]);
    const again = await edit(organiser, e.slug, { coOrganisers: [first.handle, second.handle] });
    expect(again.statusCode).toBe(422);
    expect(fieldsOf(again)).toEqual(['coOrganisers']);

    // Left out of the list: the invitation is withdrawn (and a new name invited instead).
    const withdrawn = await edit(organiser, e.slug, { coOrganisers: [third.handle] });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(handles(withdrawn.json<EventDetail>().pendingOrganisers)).toEqual([third.handle]);
    expect((await answer(second, e.slug, 'accept')).statusCode).toBe(404);
    expect((await view(second, e.slug)).organiserInvitation).toBeUndefined();
    expect((await invitations(second)).items).toEqual([]);

    // Demoted before answering: the invitation cannot be accepted.
    await setRole(app.database.kysely, third.handle, 'member');
    const refused = await answer(third, e.slug, 'accept');
    expect(refused.statusCode).toBe(403);
    expect(handles((await view(organiser, e.slug)).organisers)).toEqual([organiser.handle]);
  });

  it('invites only people who may organise events, naming the field', async () => {
    const [member, moderator] = await Promise.all([signUp(app), signUpAs(app, 'moderator')]);
    for (const who of [member, moderator]) {
      const res = await createEvent(organiser, [who.handle]);
      expect(res.statusCode, res.body).toBe(422);
      expect(fieldsOf(res)).toEqual(['coOrganisers']);
      expect(res.json<{ error: { message: string } }>().error.message).toContain(who.handle);
    }
    const e = (await createEvent(organiser, [])).json<EventDetail>();
    const res = await edit(organiser, e.slug, { coOrganisers: [member.handle], title: 'Not saved' });
    expect(res.statusCode).toBe(422);
    expect(fieldsOf(res)).toEqual(['coOrganisers']);
    expect((await view(organiser, e.slug)).title).toBe(e.title);
    // Naming oneself is no invitation.
    const self = await edit(organiser, e.slug, { coOrganisers: [organiser.handle] });
    expect(self.statusCode, self.body).toBe(200);
    expect(self.json<EventDetail>().pendingOrganisers).toEqual([]);
  });

  it('emails the invitation to an invitee who asked for email, in their language', async () => {
    const [wantsMail, french] = await Promise.all([signUpAs(app, 'organiser'), signUpAs(app, 'organiser')]);
    await app.database.kysely.updateTable('users').set({ locale: 'fr' }).where('id', '=', french.user.id).execute();
    for (const who of [wantsMail, french]) {
      const prefs = await call(app, who, {
        method: 'PATCH',
        url: '/api/v1/me/notification-prefs',
        payload: { kinds: [{ kind: 'organiser_invitation', channel: 'email' }] },
      });
      expect(prefs.statusCode, prefs.body).toBe(200);
    }
    const e = (await createEvent(organiser, [wantsMail.handle, french.handle])).json<EventDetail>();
    await jobsDone([app], ['email.notification']);
    const mails = inbox.received.filter((r) => r.to.includes(`${wantsMail.handle}@example.org`));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Member ${organiser.handle} invited you to co-organise “${e.title}”`);
    expect(mails[0]!.text).toContain(`${ORIGIN}/events/${e.slug}`);
    expect(mails[0]!.headers.get('list-unsubscribe')).toMatch(/kind=organiser_invitation>$/);
    const [mail] = inbox.received.filter((r) => r.to.includes(`${french.handle}@example.org`));
    expect(mail?.subject).toBe(`Member ${organiser.handle} vous invite à co-organiser « ${e.title} »`);
  });
});
