/**
 * The activity verbs the discussions module writes (platform/outbox/catalogue.ts), all about a
 * post; every payload names the post and the slug of its case.
 */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

const Id = Type.String();
const OptionalId = Type.Union([Id, Type.Null()]);
const About = { caseSlug: Type.String(), postId: Id };

export const postActivities = defineActivities('post', {
  /** A new post or reply (the author of the post replied to, absent from demo posts). */
  created: Type.Object({
    ...About,
    parentId: OptionalId,
    parentAuthorId: Type.Optional(OptionalId),
    mentionIds: Type.Array(Id),
  }),
  updated: Type.Object({ ...About, parentId: OptionalId, mentionIds: Type.Array(Id) }),
  deleted: Type.Object({ ...About, parentId: OptionalId, byModerator: Type.Boolean() }),
  /** A reaction added or removed (the post's author, absent from demo reactions). */
  reacted: Type.Object({ ...About, kind: Type.String(), on: Type.Boolean(), authorId: Type.Optional(Id) }),
  /** A moderator blanked the text of an earlier version. */
  revision_redacted: Type.Object({ ...About, revisionId: Id, reason: Type.String() }),
  /** Moderators hid the post (others see a tombstone) or showed it again. */
  hidden: Type.Object({ ...About, parentId: OptionalId }),
  unhidden: Type.Object({ ...About, parentId: OptionalId }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    discussions: typeof postActivities;
  }
}
