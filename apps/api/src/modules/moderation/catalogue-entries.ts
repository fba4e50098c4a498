/**
 * The activity verbs the moderation module writes (platform/outbox/catalogue.ts): the notices a
 * decision sends (to the member concerned, with the reason, and to every reporter, with the
 * outcome). Never public, and without an actor, so no one learns which moderator acted.
 */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const ModerationNoticeKinds = [
  'moderation_warning',
  'post_hidden',
  'post_deleted',
  'report_actioned',
  'report_dismissed',
] as const;

const Notice = Type.Object({
  userId: Type.String(),
  kind: Type.Enum(ModerationNoticeKinds),
  /** What it is about: the case of a post, a member's handle, an event or a case. */
  title: Type.String(),
  url: Type.String(),
  /** The reason, for the member concerned; empty for reporters. */
  excerpt: Type.String(),
});

export const moderationActivities = defineActivities('moderation', {
  /** A report resolved, a post hidden by hand, or reports that hid a post: who is told what. */
  notice: Type.Object({ notices: Type.Array(Notice) }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    moderation: typeof moderationActivities;
  }
}
