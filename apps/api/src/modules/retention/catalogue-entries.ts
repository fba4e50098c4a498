/** The kind of job the retention module enqueues (platform/jobs/catalogue.ts). */
import { Type } from 'typebox';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

export const retentionJobs = defineJobs({
  /** One run of the retention sweep, due at `at` (its key); each run schedules the next. */
  'retention.sweep': Type.Object({ at: Type.String() }),
});

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    retention: typeof retentionJobs;
  }
}
