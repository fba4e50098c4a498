/** The activity verbs the cases module writes (platform/outbox/catalogue.ts). */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const caseActivities = defineActivities('case', {
  /** A new case (cases/service.ts, and the demo cases of @opsi/db's seed). */
  created: Type.Object({ title: Type.String() }),
  /**
   * An edit (cases/authoring/service.ts): the version it made, and the slug it had before when the
   * edit renamed it. Public, on the activity stream (and `case:saved` to the case's editors); like a
   * post's edit, it makes no feed item and no notification.
   */
  updated: Type.Object({
    title: Type.String(),
    version: Type.Integer(),
    previousSlug: Type.Optional(Type.String()),
    editor: Type.Object({ handle: Type.String(), displayName: Type.String() }),
  }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    cases: typeof caseActivities;
  }
}
