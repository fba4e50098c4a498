/** The activity verb the privacy module writes (platform/outbox/catalogue.ts). */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const accountActivities = defineActivities('account', {
  /**
   * A member deleted their account (private; it names no one: no actor, object id `0`). Every
   * node empties its public cache on it, which may have held their name.
   */
  deleted: Type.Object({}),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    privacy: typeof accountActivities;
  }
}
