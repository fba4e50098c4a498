/**
 * The one catalogue of activity verbs and kinds of job: every module's declarations (each in its
 * catalogue-entries.ts), gathered so the outbox and the job runner know them all before anything is
 * written or read (app.ts imports this). The compiler checks that none is missing: each key of
 * ActivityCatalogue and JobCatalogue, the interfaces the modules add their declarations to, must be
 * here.
 */
import type { ActivityCatalogue } from './platform/outbox/catalogue.ts';
import type { JobCatalogue } from './platform/jobs/catalogue.ts';
import { accountJobs } from './modules/accounts/catalogue-entries.ts';
import { caseActivities, caseImportActivities } from './modules/cases/catalogue-entries.ts';
import { digestJobs } from './modules/digests/catalogue-entries.ts';
import { postActivities } from './modules/discussions/catalogue-entries.ts';
import { eventActivities, eventJobs } from './modules/events/catalogue-entries.ts';
import { followActivities } from './modules/follows/catalogue-entries.ts';
import { introductionActivities, introductionJobs } from './modules/introductions/catalogue-entries.ts';
import { moderationActivities } from './modules/moderation/catalogue-entries.ts';
import { notificationJobs } from './modules/notifications/catalogue-entries.ts';
import { proposalActivities } from './modules/proposals/catalogue-entries.ts';
import { accountActivities } from './modules/privacy/catalogue-entries.ts';
import { retentionJobs } from './modules/retention/catalogue-entries.ts';

export const activityCatalogue = {
  cases: caseActivities,
  caseImports: caseImportActivities,
  discussions: postActivities,
  events: eventActivities,
  follows: followActivities,
  introductions: introductionActivities,
  moderation: moderationActivities,
  privacy: accountActivities,
  proposals: proposalActivities,
} satisfies ActivityCatalogue;

export const jobCatalogue = {
  accounts: accountJobs,
  digests: digestJobs,
  events: eventJobs,
  introductions: introductionJobs,
  notifications: notificationJobs,
  retention: retentionJobs,
} satisfies JobCatalogue;
