/** Socket.IO event maps shared by the server and every client (API.md "Realtime"). */
import type { ErrorCode } from './common.ts';
import type { Post, PostCreated, ReactionChanged, TypingPayload } from './discussions.ts';
import type { CheckinChanged, RsvpChanged } from './events.ts';
import type { Notification } from './follows.ts';
import type { LivePoll, LiveQuestion, QaChanged } from './live.ts';
import type { ReportCreatedEvent } from './moderation.ts';
import type { CaseProposedEvent } from './proposals.ts';

export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T = unknown> = (response: Ack<T>) => void;

export interface PresencePayload {
  room: string;
  watching: number;
}

/** Who has a case's edit page open (organisers, moderators, admins), for the others there. */
export interface CaseEditors {
  slug: string;
  editors: { handle: string; displayName: string }[];
}

/** Someone saved a case: an editor whose page is older is told before they submit. */
export interface CaseSaved {
  /** The slug the edit page was opened with (the case's slug before a rename). */
  slug: string;
  /** The case's slug after the save. */
  currentSlug: string;
  version: number;
  editor: { handle: string; displayName: string };
}

export interface ClientEvents {
  'case:watch': (payload: { slug: string }, ack: AckFn<PresencePayload>) => void;
  'case:unwatch': (payload: { slug: string }, ack: AckFn<null>) => void;
  'case:typing': (payload: { slug: string }, ack: AckFn<null>) => void;
  /** Organisers, moderators and admins on a case's edit page: join its editors (ack: who is editing). */
  'case:edit': (payload: { slug: string }, ack: AckFn<CaseEditors>) => void;
  'case:unedit': (payload: { slug: string }, ack: AckFn<null>) => void;
  'event:watch': (payload: { slug: string }, ack: AckFn<PresencePayload>) => void;
  'event:unwatch': (payload: { slug: string }, ack: AckFn<null>) => void;
  /** The event's organisers (and admins) only (401/403 otherwise): its door, live check-ins. */
  'checkin:watch': (payload: { slug: string }, ack: AckFn<PresencePayload>) => void;
  'checkin:unwatch': (payload: { slug: string }, ack: AckFn<null>) => void;
  /**
   * Moderators and admins only (403 `forbidden` for others): the queue of reports, slug `reports`;
   * the proposed cases, slug `cases`.
   */
  'moderation:watch': (payload: { slug: 'reports' | 'cases' }, ack: AckFn<PresencePayload>) => void;
  'moderation:unwatch': (payload: { slug: 'reports' | 'cases' }, ack: AckFn<null>) => void;
}

export interface ServerEvents {
  'presence:changed': (payload: PresencePayload) => void;
  'activity:created': (payload: StreamActivity) => void;
  'post:created': (payload: PostCreated) => void;
  'post:updated': (payload: Post) => void;
  'post:deleted': (payload: Post) => void;
  'reaction:changed': (payload: ReactionChanged) => void;
  'case:typing': (payload: TypingPayload) => void;
  /** To a case's edit room `case-edit:<slug>`: its editors changed. */
  'case:editors': (payload: CaseEditors) => void;
  /** To a case's edit room: a new version was saved. */
  'case:saved': (payload: CaseSaved) => void;
  'rsvp:changed': (payload: RsvpChanged) => void;
  /** An organiser changed or cancelled the event: reload it. */
  'event:updated': (payload: { eventSlug: string; status: 'published' | 'cancelled' }) => void;
  /** To the room `checkin:<slug>` (the event's organisers): someone was checked in, on any device. */
  'checkin:changed': (payload: CheckinChanged) => void;
  /** To an event's room (the live layer: Q&A and polls; keep the highest `version` of each item). */
  'question:created': (payload: LiveQuestion) => void;
  'question:updated': (payload: LiveQuestion) => void;
  'qa:changed': (payload: QaChanged) => void;
  'poll:created': (payload: LivePoll) => void;
  'poll:updated': (payload: LivePoll) => void;
  'poll:closed': (payload: LivePoll) => void;
  /** To one member: their RSVP changed without them (promoted from the waitlist). */
  'rsvp:updated': (payload: { eventSlug: string; status: 'going' }) => void;
  /** To one member's sockets only. */
  'notification:created': (payload: Notification) => void;
  'notifications:unread': (payload: { count: number }) => void;
  /** To the moderators' room `moderation:reports`: a new report (the queue fetches its group). */
  'report:created': (payload: ReportCreatedEvent) => void;
  /** To the moderators' room `moderation:cases`: a member proposed a case (the queue reads again). */
  'case:proposed': (payload: CaseProposedEvent) => void;
}

/** One public activity, as sent on the plain WebSocket stream and to case rooms. */
export interface StreamActivity {
  id: string;
  verb: string;
  objectType: string;
  objectId: string;
  countries: string[];
  themes: string[];
  createdAt: string;
}
