/**
 * Email verification: a new account's address is confirmed by a single-use link (mailed at
 * sign-up, again on request); until then no notification email and no digest is mailed to it
 * (digests/repository.ts, events/notices/repository.ts). Password resets still go. An address
 * taken through an email change is confirmed by that change's link.
 */
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../../platform/errors.ts';
import { systemClock, type Clock } from '../../../platform/clock.ts';
import { newSessionToken, sessionIdOf } from '../../../plugins/session.ts';
import { enqueueJobs } from '../../../platform/jobs/repository.ts';
import { VERIFY_JOB } from '../catalogue-entries.ts';
import { langOf, type Lang } from '../mail.ts';
import * as repo from './repository.ts';

/** How long a verification link works. */
export const VERIFY_HOURS = 72;

export interface VerificationLink {
  token: string;
  email: string;
  displayName: string;
  lang: Lang;
}

export function createVerificationService(database: Database, now: Clock = systemClock) {
  const db = database.kysely;

  return {
    async verified(userId: string): Promise<boolean> {
      return (await repo.mailboxOf(db, userId))?.verifiedAt != null;
    },

    /** Queues the sign-up's verification email (the job sends it unless the address is confirmed by then). */
    async queueLink(userId: string, lang: Lang): Promise<void> {
      await enqueueJobs(db, [
        { kind: VERIFY_JOB, key: `signup:${userId}`, runAt: new Date(), payload: { userId, lang } },
      ]);
    },

    /**
     * A new link for the member's address (older links die), with what the email needs (in the
     * member's language, set at sign-up from its page's); null when the address is verified already.
     */
    async newLink(userId: string): Promise<VerificationLink | null> {
      const who = await repo.mailboxOf(db, userId);
      if (!who || who.verifiedAt) return null;
      const token = newSessionToken();
      await repo.replaceVerification(db, {
        id: sessionIdOf(token),
        userId,
        email: who.email,
        expiresAt: new Date(now().getTime() + VERIFY_HOURS * 60 * 60 * 1000),
      });
      return { token, email: who.email, displayName: who.displayName, lang: langOf(who.locale) };
    },

    /** Uses a link (no session needed: the token is the capability), once. */
    async verify(token: string): Promise<{ email: string }> {
      const invalid = () =>
        new AppError('rule_violation', 'This verification link is invalid, used or expired: ask for a new one.', [
          problem('token', 'link_invalid', 'invalid, used or expired'),
        ]);
      if (!/^[a-z2-7]{32}$/.test(token)) throw invalid();
      const email = await repo.consumeVerification(db, sessionIdOf(token), now());
      if (!email) throw invalid();
      return { email };
    },

    sweep: () => repo.deleteExpiredVerifications(db, now()),
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
