/** The kinds of job the accounts module enqueues (platform/jobs/catalogue.ts). */
import { Type } from 'typebox';
import { defineJobs } from '../../platform/jobs/catalogue.ts';

/** Mails a password reset link, if the address has an account (accounts/routes.ts). */
export const RESET_JOB = 'email.password_reset';

/**
 * Mails a link that confirms a new account's address, unless it is confirmed by then
 * (accounts/routes.ts, at sign-up); `lang` becomes the member's language.
 */
export const VERIFY_JOB = 'email.verification';

export const accountJobs = defineJobs({
  [VERIFY_JOB]: Type.Object({
    userId: Type.String(),
    lang: Type.Union([Type.Literal('en'), Type.Literal('fr')]),
  }),
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
