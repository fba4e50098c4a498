/**
 * The activity verbs and kinds of job of introductions (platform/outbox/catalogue.ts and
 * platform/jobs/catalogue.ts): a request tells its recipient, an acceptance tells the requester
 * (both notifications: notifications/service.ts), and an acceptance emails each of the two the
 * other's address and what they share. Never public.
 */
import { Type } from 'typebox';
import { defineActivities } from '../../platform/outbox/catalogue.ts';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

export const introductionActivities = defineActivities('introduction', {
  requested: Type.Object({ recipientId: Type.String(), excerpt: Type.String() }),
  accepted: Type.Object({ requesterId: Type.String() }),
});

export const introductionJobs = defineJobs({
  /** The email introducing the two members to `userId` (one of them). */
  'email.introduction': Type.Object({ introductionId: Type.String(), userId: Type.String() }),
});

declare module '../../platform/outbox/catalogue.ts' {
  interface ActivityCatalogue {
    introductions: typeof introductionActivities;
  }
}

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    introductions: typeof introductionJobs;
  }
}
