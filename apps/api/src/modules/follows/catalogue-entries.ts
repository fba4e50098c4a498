/** The activity verbs the follows module writes (platform/outbox/catalogue.ts). */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const followActivities = defineActivities(['country', 'theme', 'case', 'event', 'person'], {
  /** A member followed something (private); for a person, the member followed is named. */
  followed: Type.Object({ targetUserId: Type.Union([Type.String(), Type.Null()]), label: Type.String() }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    follows: typeof followActivities;
  }
}
