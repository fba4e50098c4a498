import { Type, type Static } from 'typebox';
import { Cursor, Timestamp } from './common.ts';
import { Handle } from './accounts.ts';

export const FollowTypes = ['country', 'theme', 'case', 'event', 'person'] as const;
export type FollowType = (typeof FollowTypes)[number];

const Person = Type.Object({ handle: Handle, displayName: Type.String() });
const Count = Type.Integer({ minimum: 0 });

export const FollowParams = Type.Object({
  type: Type.Enum(FollowTypes),
  key: Type.String({
    pattern: '^[A-Za-z0-9-]{2,40}$',
    description: 'country code, theme or case or event slug, or handle',
  }),
});
export type FollowParams = Static<typeof FollowParams>;

export const FollowState = Type.Object({
  type: Type.Enum(FollowTypes),
  key: Type.String(),
  following: Type.Boolean(),
  followerCount: Count,
});
export type FollowState = Static<typeof FollowState>;

export const FollowItem = Type.Object({
  type: Type.Enum(FollowTypes),
  key: Type.String(),
  label: Type.String({ description: 'the country, theme, case or event name, or the person' }),
  followedAt: Timestamp,
});
export const FollowList = Type.Object({ items: Type.Array(FollowItem) });
export type FollowList = Static<typeof FollowList>;

export const Reason = Type.Object({ type: Type.Enum(FollowTypes), key: Type.String(), label: Type.String() });
export type Reason = Static<typeof Reason>;

export const FeedItem = Type.Object({
  id: Type.String({ description: 'the activity id' }),
  verb: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  createdAt: Timestamp,
  actor: Type.Union([Person, Type.Null()]),
  reasons: Type.Array(Reason, { description: 'why this is in your feed' }),
  title: Type.String({ description: 'the case or event title' }),
  url: Type.String({ description: 'path of the page to open' }),
  excerpt: Type.String({ description: 'plain text, for posts; for an import, the first new cases’ titles' }),
  count: Type.Optional(
    Type.Integer({ minimum: 1, description: 'verb "imported": how many new cases the import added in this hub' }),
  ),
  countries: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
});
export type FeedItem = Static<typeof FeedItem>;

export const FeedQuery = Type.Object({
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const Feed = Type.Object({
  items: Type.Array(FeedItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type Feed = Static<typeof Feed>;

export const NotificationKinds = [
  'reply',
  'mention',
  // A new post in a case thread the member watches (posted or was mentioned in it, or chose to).
  'watched_post',
  'waitlist_promoted',
  'event_changed',
  'event_cancelled',
  'event_reminder',
  'organiser_invitation',
  'new_event',
  'new_follower',
  'new_post',
  // An import's new cases in a followed country or theme: one per hub, counting the cases.
  'new_cases',
  // Trust and safety: to a member about their post or themselves, and to reporters about the outcome.
  'moderation_warning',
  'post_hidden',
  'post_deleted',
  'report_actioned',
  'report_dismissed',
  // A member's proposed case: approved (published), or returned with the reason.
  'proposal_approved',
  'proposal_returned',
  // Introductions: someone asks to be introduced to the member; the member they asked accepted.
  'introduction_requested',
  'introduction_accepted',
] as const;
export type NotificationKind = (typeof NotificationKinds)[number];
export const NotificationChannels = ['in_app', 'email', 'digest', 'off'] as const;
export type NotificationChannel = (typeof NotificationChannels)[number];

/**
 * What happens to an event a member answered: a seat freed for them, a new time or place, a
 * cancellation, the day-before reminder. These are told at once, in the app and by email (the
 * events module's own email, with the time, place and ticket), so they default to "email"; a
 * member who picks "in_app" (what an email's unsubscribe link does), "digest" or "off" gets no
 * such email. Every other kind defaults to "in_app".
 */
export const EventNoticeKinds = [
  'waitlist_promoted',
  'event_changed',
  'event_cancelled',
  'event_reminder',
] as const satisfies readonly NotificationKind[];

/** The channel of a kind for a member who never chose one. */
export function defaultChannel(kind: string): NotificationChannel {
  return (EventNoticeKinds as readonly string[]).includes(kind) ? 'email' : 'in_app';
}

export const Notification = Type.Object({
  id: Type.String(),
  kind: Type.Enum(NotificationKinds),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  readAt: Type.Union([Timestamp, Type.Null()]),
  count: Type.Integer({ minimum: 1, description: 'grouped: how many (e.g. 3 new replies in …)' }),
  actors: Type.Array(Person, { description: 'the latest people involved, newest first (at most 3)' }),
  title: Type.String({ description: 'the case or event concerned' }),
  url: Type.String({ description: 'path of the page to open' }),
  excerpt: Type.String(),
});
export type Notification = Static<typeof Notification>;

export const NotificationQuery = Type.Object({
  unread: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(Cursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export const NotificationList = Type.Object({
  items: Type.Array(Notification),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  unreadCount: Count,
});
export type NotificationList = Static<typeof NotificationList>;

export const MarkRead = Type.Union([
  Type.Object(
    { ids: Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,18}$' }), { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);
export type MarkRead = Static<typeof MarkRead>;

export const NotificationPrefs = Type.Object({
  kinds: Type.Array(Type.Object({ kind: Type.Enum(NotificationKinds), channel: Type.Enum(NotificationChannels) })),
  digest: Type.Enum(['daily', 'weekly', 'off'] as const),
});
export type NotificationPrefs = Static<typeof NotificationPrefs>;
export const NotificationPrefsPatch = Type.Object(
  {
    kinds: Type.Optional(
      Type.Array(
        Type.Object(
          { kind: Type.Enum(NotificationKinds), channel: Type.Enum(NotificationChannels) },
          { additionalProperties: false },
        ),
        {
          maxItems: 40,
        },
      ),
    ),
    digest: Type.Optional(Type.Enum(['daily', 'weekly', 'off'] as const)),
  },
  { additionalProperties: false },
);
export type NotificationPrefsPatch = Static<typeof NotificationPrefsPatch>;
