/** Accounts: sign-up, sign-in with attempt limits, password changes and resets, sessions. */
import type { Role, SessionInfo, SignupBody, User } from '@opsi/contracts/accounts';
import type { ProblemCode, ProblemParams } from '@opsi/contracts/common';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { cleanDisplayName } from '../profiles/service.ts';
import { newSessionToken, sessionIdOf } from '../../plugins/session.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { createSignInLimits } from './attempts.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword, type PasswordProblem } from './passwords.ts';
import { forgetUnsubscribeLinks } from '../digests/service.ts';
import { enqueueJobs } from '../../platform/jobs/repository.ts';
import { RESET_JOB } from './catalogue-entries.ts';
import type { Lang } from './mail.ts';
import { languageOf } from '@opsi/contracts/notification-text';
import * as repo from './repository.ts';
import { clearEndedSuspension, suspensionOf } from './standing/repository.ts';
import { suspendedError } from './standing/service.ts';

const RESET_TTL_MS = 60 * 60 * 1000;
const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
const RESERVED_HANDLES = new Set([
  'admin',
  'api',
  'me',
  'new',
  'edit',
  'settings',
  'signup',
  'login',
  'logout',
  'fr',
  'en',
  // Pages under /people/ (introductions).
  'matches',
  'introductions',
]);

/** How long an email-change link works. */
export const EMAIL_CHANGE_HOURS = 24;

/** An email change: the token of its link (to the new address) and who to tell. */
export interface EmailChangeRequest {
  token: string;
  newEmail: string;
  oldEmail: string;
  displayName: string;
  locale: string;
}

export const LOGIN_FAILED = 'The email or password is incorrect.';

export function toUser(row: repo.UserRow): User {
  return { id: row.id, handle: row.handle, displayName: row.displayName, role: row.role as Role };
}

function emailTaken(): AppError {
  const message = 'An account already uses this email.';
  return new AppError('conflict', message, [problem('email', 'taken', message)]);
}

function weak(
  field: string,
  refusal: PasswordProblem | { code: ProblemCode; message: string; params?: ProblemParams },
): AppError {
  return new AppError('rule_violation', refusal.message, [
    problem(field, refusal.code, refusal.message, refusal.params),
  ]);
}

/** "Mozilla/5.0 (X11; Linux x86_64) ... Chrome/156.0 ..." → Chrome and Linux, "Chrome on Linux". */
export function describeDevice(userAgent: string): { label: string; browser: string | null; system: string | null } {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(?:e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  const label =
    browser && system
      ? `${browser} on ${system}`
      : (browser ?? system ?? (userAgent ? userAgent.slice(0, 60) : 'Unknown device'));
  return { label, browser, system };
}

export interface AccountsOptions {
  /** Failed sign-ins allowed per address, and per account from one address, per 15 minutes. */
  signIn?: { perAddress: number; perAccount: number };
  /** The time that sign-in windows and link lifetimes run on; the real time by default. */
  now?: Clock;
}

export function createAccountsService(database: Database, options: AccountsOptions = {}) {
  const db = database.kysely;
  const now = options.now ?? systemClock;
  const signInLimits = createSignInLimits(
    db,
    {
      perAddress: options.signIn?.perAddress ?? 30,
      perAccount: options.signIn?.perAccount ?? 5,
      windowMs: ATTEMPT_WINDOW_MS,
    },
    now,
  );

  function limited(seconds: number): AppError {
    return new AppError(
      'rate_limited',
      `Too many sign-in attempts: try again in ${Math.ceil(seconds / 60)} min.`,
      undefined,
      {
        'retry-after': String(seconds),
      },
    );
  }

  return {
    /** A new account; `language` (the sign-up page's) becomes the member's language. */
    async signup(input: SignupBody, language: Lang = 'en'): Promise<User> {
      const email = input.email.trim();
      const displayName = cleanDisplayName(input.displayName);
      if (displayName === null) throw weak('displayName', { code: 'blank', message: 'displayName must not be blank' });
      // `former-…` is what deleted accounts become (privacy/service.ts) and how their posts are signed.
      if (RESERVED_HANDLES.has(input.handle) || input.handle.startsWith('former-'))
        throw weak('handle', {
          code: 'reserved',
          message: `The handle "${input.handle}" is reserved: choose another.`,
        });
      const refusal = passwordProblem(input.password, [email, email.split('@')[0] ?? '', input.handle, displayName]);
      if (refusal) throw weak('password', refusal);
      const passwordHash = await hashPassword(input.password);
      const result = await repo.insertUser(db, {
        email,
        passwordHash,
        handle: input.handle,
        displayName,
        locale: language,
      });
      if ('taken' in result) {
        const message = result.taken === 'email' ? 'An account already uses this email.' : 'This handle is taken.';
        throw new AppError('conflict', message, [problem(result.taken, 'taken', message)]);
      }
      return toUser(result.user);
    },

    /** Checks credentials under the attempt limits; the same error for any mismatch. */
    async login(email: string, password: string, ip: string): Promise<User> {
      const attempt = await signInLimits.attempt(email, ip);
      if (attempt.wait > 0) throw limited(attempt.wait);
      const user = await repo.findUserByEmail(db, email.trim());
      // Unknown email or no password: verify against a dummy hash so both take as long.
      const ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
      // A failure keeps the attempt it took from both budgets; a success gives it back.
      if (!user || !user.passwordHash || !ok) throw new AppError('unauthorized', LOGIN_FAILED);
      await attempt.succeeded();
      // Only someone who knows the password learns that the account is suspended, and until when.
      const suspension = await suspensionOf(db, user.id, now());
      if (suspension) throw suspendedError(suspension);
      await clearEndedSuspension(db, user.id, now());
      return toUser(user);
    },

    /** Forgets what is over: expired sign-in counters, reset links and email changes. */
    async sweep(): Promise<void> {
      await signInLimits.sweep();
      await repo.deleteExpiredResets(db, now());
      await repo.deleteExpiredEmailChanges(db, now());
    },

    async sessions(userId: string, currentId: string | null): Promise<SessionInfo[]> {
      const rows = await repo.listSessions(db, userId, now());
      return rows.map((s) => {
        const { label, browser, system } = describeDevice(s.userAgent);
        return {
          id: s.id.slice(0, 16),
          current: s.id === currentId,
          createdAt: s.createdAt.toISOString(),
          lastUsedAt: s.lastUsedAt.toISOString(),
          expiresAt: new Date(Math.min(s.expiresAt.getTime(), s.absoluteExpiresAt.getTime())).toISOString(),
          device: label,
          browser,
          system,
          ip: s.ip,
        };
      });
    },

    /** Revokes one of the user's sessions by its public id (a prefix of the stored id); returns the full id. */
    async revokeSession(userId: string, publicId: string): Promise<string> {
      const rows = await repo.listSessions(db, userId, new Date(0));
      const match = rows.find((s) => s.id.slice(0, 16) === publicId);
      if (!match || !(await repo.deleteUserSession(db, userId, match.id))) {
        throw new AppError('not_found', 'No such session');
      }
      return match.id;
    },

    /** Changes the password and revokes every other session; returns the revoked ids. */
    async changePassword(userId: string, currentId: string | null, currentPassword: string, newPassword: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new AppError('unauthorized', 'Sign in again');
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
        throw weak('currentPassword', { code: 'password_incorrect', message: 'The current password is incorrect.' });
      }
      const refusal = passwordProblem(newPassword, [user.email, user.handle, user.displayName]);
      if (refusal) throw weak('newPassword', refusal);
      const passwordHash = await hashPassword(newPassword);
      return db.transaction().execute(async (trx) => {
        await repo.setPasswordHash(trx, userId, passwordHash);
        // Reset links sent before the change die with the old password, and so does a pending
        // email change (if someone else asked for it, changing the password is the way to stop it).
        await repo.deletePasswordResets(trx, userId);
        await repo.deleteEmailChanges(trx, userId);
        return repo.deleteOtherSessions(trx, userId, currentId);
      });
    },

    /**
     * Asks to move the account to another address (needs the password). Nothing changes yet: the
     * new address must confirm a single-use link (EMAIL_CHANGE_HOURS); a newer request replaces
     * an older one. Returns the token for that link and who to tell.
     */
    async requestEmailChange(userId: string, email: string, currentPassword: string): Promise<EmailChangeRequest> {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new AppError('unauthorized', 'Sign in again');
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
        throw weak('currentPassword', { code: 'password_incorrect', message: 'The current password is incorrect.' });
      }
      const newEmail = email.trim();
      if (newEmail.toLowerCase() === user.email.toLowerCase())
        throw weak('email', { code: 'unchanged', message: 'This is already your address.' });
      if (await repo.findUserByEmail(db, newEmail)) throw emailTaken();
      const token = newSessionToken();
      await db.transaction().execute(async (trx) => {
        await repo.deleteEmailChanges(trx, userId);
        await repo.insertEmailChange(trx, {
          id: sessionIdOf(token),
          userId,
          newEmail,
          expiresAt: new Date(now().getTime() + EMAIL_CHANGE_HOURS * 60 * 60 * 1000),
        });
      });
      return {
        token,
        newEmail,
        oldEmail: user.email,
        displayName: user.displayName,
        locale: await repo.localeOf(db, userId),
      };
    },

    async emailOf(userId: string): Promise<{ email: string; pendingEmail: string | null }> {
      const user = await repo.findUserById(db, userId);
      if (!user) throw new AppError('unauthorized', 'Sign in again');
      return { email: user.email, pendingEmail: await repo.pendingEmailChange(db, userId, now()) };
    },

    /**
     * Uses an email-change link (no session needed: the token is the capability), once. The
     * address changes; every reset link, pending change and unsubscribe link of the member dies.
     * 409 when another account took the address meanwhile (the link then stays usable).
     */
    async confirmEmailChange(token: string): Promise<Omit<EmailChangeRequest, 'token'> & { userId: string }> {
      const invalid = () =>
        new AppError('rule_violation', 'This confirmation link is invalid, used or expired.', [
          problem('token', 'link_invalid', 'invalid, used or expired'),
        ]);
      if (!/^[a-z2-7]{32}$/.test(token)) throw invalid();
      const done = await db.transaction().execute(async (trx) => {
        const change = await repo.consumeEmailChange(trx, sessionIdOf(token), now());
        if (!change) return undefined;
        const user = await repo.findUserById(trx, change.userId);
        if (!user) return undefined;
        if ((await repo.setEmail(trx, user.id, change.newEmail)) === 'taken') throw emailTaken();
        await repo.deletePasswordResets(trx, user.id);
        await repo.deleteEmailChanges(trx, user.id);
        await forgetUnsubscribeLinks(trx, user.id);
        return { user, newEmail: change.newEmail };
      });
      if (!done) throw invalid();
      return {
        userId: done.user.id,
        newEmail: done.newEmail,
        oldEmail: done.user.email,
        displayName: done.user.displayName,
        locale: await repo.localeOf(db, done.user.id),
      };
    },

    /**
     * POST /auth/password-reset: queues the email, whatever the address. The request does the same
     * work (one insert) for a known and an unknown address, so neither its answer nor its time
     * says which it was; the job (sendReset) looks the address up and mails the link.
     */
    /** The member's language: their emails and notifications are in it. */
    async language(userId: string): Promise<Lang> {
      return languageOf(await repo.localeOf(db, userId));
    },

    async setLanguage(userId: string, language: Lang): Promise<Lang> {
      await repo.setLocale(db, userId, language);
      return language;
    },

    async queueReset(email: string, lang: Lang): Promise<void> {
      await enqueueJobs(db, [
        { kind: RESET_JOB, key: crypto.randomUUID(), runAt: new Date(), payload: { email, lang } },
      ]);
    },

    /** Creates a single-use reset token (1 hour) when the email has an account; returns it, or null. */
    /** A reset link for the account, with the member's language (the email is in it). */
    async requestReset(
      email: string,
    ): Promise<{ token: string; email: string; displayName: string; locale: string } | null> {
      const user = await repo.findUserByEmail(db, email.trim());
      if (!user) return null;
      const token = newSessionToken();
      await repo.insertPasswordReset(db, sessionIdOf(token), user.id, new Date(now().getTime() + RESET_TTL_MS));
      return { token, email: user.email, displayName: user.displayName, locale: await repo.localeOf(db, user.id) };
    },

    async resetIsUsable(token: string): Promise<boolean> {
      return /^[a-z2-7]{32}$/.test(token) && repo.resetIsUsable(db, sessionIdOf(token), now());
    },

    /** Sets a new password with a reset token, once; every session of the account is revoked. */
    async confirmReset(token: string, newPassword: string): Promise<{ userId: string; revoked: string[] }> {
      const invalid = () =>
        new AppError('rule_violation', 'This reset link is invalid, used or expired: ask for a new one.', [
          problem('token', 'link_invalid', 'invalid, used or expired'),
        ]);
      if (!/^[a-z2-7]{32}$/.test(token)) throw invalid();
      const id = sessionIdOf(token);
      if (!(await repo.resetIsUsable(db, id, now()))) throw invalid();
      const owner = await db.transaction().execute(async (trx) => {
        const userId = await repo.consumePasswordReset(trx, id, now());
        if (!userId) return undefined;
        const user = await repo.findUserById(trx, userId);
        if (!user) return undefined;
        const refusal = passwordProblem(newPassword, [user.email, user.handle, user.displayName]);
        if (refusal) throw weak('newPassword', refusal);
        await repo.setPasswordHash(trx, userId, await hashPassword(newPassword));
        // The link used, and every sibling link sent before it, die; so does a pending email change.
        await repo.deletePasswordResets(trx, userId);
        await repo.deleteEmailChanges(trx, userId);
        return userId;
      });
      if (!owner) throw invalid();
      return { userId: owner, revoked: await repo.deleteOtherSessions(db, owner, null) };
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
