/**
 * The activity verbs the proposals module writes (platform/outbox/catalogue.ts): the notice a
 * review sends its proposer (approved, or returned with the reason). Never public, and without an
 * actor, as the moderation notices: no one learns which moderator reviewed. An approved proposal's
 * case is announced by the cases module's own `created`, as any new case.
 */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';

export const proposalActivities = defineActivities('proposal', {
  reviewed: Type.Object({
    proposerId: Type.String(),
    outcome: Type.Union([Type.Literal('approved'), Type.Literal('returned')]),
    title: Type.String(),
    /** The case once approved; the proposer's list of proposals when returned. */
    url: Type.String(),
    /** Why it was returned (empty when approved). */
    reason: Type.String(),
  }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    proposals: typeof proposalActivities;
  }
}
