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

/**
 * An import's new cases, told once per hub (cases/import/service.ts): one activity per country and
 * per theme of the cases it added, instead of one per case, so a follower of France hears
 * "12 new cases in France" once (feed, notification, digest).
 */
export const caseImportActivities = defineActivities(['country', 'theme'], {
  imported: Type.Object({
    /** How many new cases the import added in this hub. */
    count: Type.Integer({ minimum: 1 }),
    /** The hub's name (English), for readers that have no other. */
    label: Type.String(),
    /** The first few new cases' titles, in the file's order. */
    titles: Type.Array(Type.String(), { maxItems: 3 }),
  }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    cases: typeof caseActivities;
    caseImports: typeof caseImportActivities;
  }
}
