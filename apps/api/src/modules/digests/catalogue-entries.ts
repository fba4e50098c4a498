/** The kinds of job the digests module enqueues (platform/jobs/catalogue.ts). */
import { Type } from 'typebox';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

const Frequency = Type.Union([Type.Literal('daily'), Type.Literal('weekly')]);

export const digestJobs = defineJobs({
  /** A digest period comes due: one `email.digest` job per member, and the next period's schedule. */
  'digest.schedule': Type.Object({ frequency: Frequency, period: Type.String() }),
  /** One member's digest for a period. */
  'email.digest': Type.Object({ userId: Type.String(), frequency: Frequency, period: Type.String() }),
});

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    digests: typeof digestJobs;
  }
}
