/**
 * Retention: finished jobs, sent event emails of past events, old activities no cursor or
 * notification needs, expired sessions and expired unused setup links are deleted by a scheduled job (jobs.ts), in batches,
 * at most `maxBatches` per table and run (the next run goes on where this one stopped).
 */
import type { Database } from '@opsi/db/database';
import type { Retention } from '../../config.ts';
import type { NewJob } from '../../platform/jobs/catalogue.ts';
import * as repo from './repository.ts';

export interface Pruned {
  jobs: number;
  eventEmails: number;
  activities: number;
  sessions: number;
  setupLinks: number;
}

/** The sweep job due at the first whole interval after `now` (the same key on every node). */
export function sweepJob(now: Date, everyMinutes: number): NewJob {
  const every = everyMinutes * 60_000;
  const at = new Date((Math.floor(now.getTime() / every) + 1) * every);
  return { kind: 'retention.sweep', key: at.toISOString(), runAt: at, payload: { at: at.toISOString() } };
}

export function createRetentionService(database: Database, limits: Retention) {
  const db = database.kysely;

  async function batches(prune: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < limits.maxBatches; i += 1) {
      const n = await prune();
      total += n;
      if (n < limits.batch) break;
    }
    return total;
  }

  return {
    /** One sweep of every table; returns how many rows went from each. */
    async sweep(): Promise<Pruned> {
      return {
        jobs: await batches(() => repo.pruneJobs(db, limits.jobsDays, limits.batch)),
        eventEmails: await batches(() => repo.pruneEventEmails(db, limits.emailsDays, limits.batch)),
        activities: await batches(() => repo.pruneActivities(db, limits.activitiesDays, limits.batch)),
        sessions: await batches(() => repo.pruneSessions(db, limits.batch)),
        setupLinks: await batches(() => repo.pruneSetupLinks(db, limits.batch)),
      };
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
