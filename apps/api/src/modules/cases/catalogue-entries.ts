/** The activity verbs the cases module writes (platform/outbox/catalogue.ts). */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const caseActivities = defineActivities('case', {
  /** A new case (cases/service.ts, and the demo cases of @opsi/db's seed). */
  created: Type.Object({ title: Type.String() }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    cases: typeof caseActivities;
  }
}
