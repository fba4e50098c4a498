/** The kinds of job the notifications module enqueues (platform/jobs/catalogue.ts). */
import { Type } from 'typebox';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

export const notificationJobs = defineJobs({
  /** The email of one notification set to "email now" (sent by the digests module's jobs). */
  'email.notification': Type.Object({ notificationId: Type.String() }),
});

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    notifications: typeof notificationJobs;
  }
}
