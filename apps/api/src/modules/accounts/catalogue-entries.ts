/** The kinds of job the accounts module enqueues (platform/jobs/catalogue.ts). */
import { Type } from 'typebox';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

/** Mails a password reset link, if the address has an account (accounts/routes.ts). */
export const RESET_JOB = 'email.password_reset';

export const accountJobs = defineJobs({
  [RESET_JOB]: Type.Object({
    email: Type.String(),
    lang: Type.Union([Type.Literal('en'), Type.Literal('fr')]),
  }),
});

declare module '../../platform/jobs/catalogue.ts' {
  interface JobCatalogue {
    accounts: typeof accountJobs;
  }
}
