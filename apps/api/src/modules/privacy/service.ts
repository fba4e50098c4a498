/**
 * Privacy rights (API.md "Trust and safety"): a member downloads everything the platform holds
 * about them, and deletes their account. The deletion is one transaction: their RSVPs are declined
 * as DELETE …/rsvp declines them (seats go to the waitlist), their posts anonymised or deleted
 * (discussions/departure), then every other table that refers to them is emptied
 * (repository.ts: ERASURE_STEPS) and the account row is left naming no one.
 */
import type { Role } from '@opsi/contracts/accounts';
import type { DataExport, PostsChoice } from '@opsi/contracts/privacy';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import { writerTransaction } from '../../platform/outbox/repository.ts';
import { verifyPassword } from '../accounts/passwords.ts';
import type { AccountsService } from '../accounts/service.ts';
import { takePostsOf } from '../discussions/departure/service.ts';
import type { EventsService } from '../events/service.ts';
import * as exported from './export/repository.ts';
import * as repo from './repository.ts';

export interface PrivacyDeps {
  accounts: AccountsService;
  events: EventsService;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function createPrivacyService(database: Database, { accounts, events }: PrivacyDeps) {
  const db = database.kysely;

  return {
    /** Everything held about the member (`currentSession` marks the session asking). */
    async exportOf(userId: string, currentSession: string | null): Promise<DataExport> {
      const me = await exported.account(db, userId);
      if (!me) throw new AppError('unauthorized', 'Sign in again');
      const [settings, posts, reactions, rsvps, events_, follows, notifications, sessions, library, intros, live] =
        await Promise.all([
          exported.settings(db, userId),
          exported.posts(db, userId),
          exported.reactions(db, userId),
          exported.rsvps(db, userId),
          exported.events(db, userId),
          exported.follows(db, userId),
          exported.notifications(db, userId),
          accounts.sessions(userId, currentSession),
          exported.caseLibrary(db, userId),
          exported.introductions(db, userId),
          exported.live(db, userId),
        ]);
      return {
        exportedAt: new Date().toISOString(),
        account: {
          id: me.id,
          handle: me.handle,
          email: me.email,
          pendingEmail: me.pending_email,
          role: me.role as Role,
          language: me.locale,
          createdAt: me.created_at.toISOString(),
        },
        profile: {
          displayName: me.display_name,
          headline: me.headline,
          organisation: me.organisation,
          countryCode: me.country_code,
          bio: me.bio,
          themes: me.themes,
          links: me.links,
          followerCount: me.follower_count,
          openToIntroductions: me.open_to_introductions,
        },
        settings: {
          notifications: settings.prefs,
          digest: settings.digest
            ? { frequency: settings.digest.frequency, lastSentAt: iso(settings.digest.last_sent_at) }
            : null,
          calendarFeed: { active: Boolean(settings.calendar), createdAt: iso(settings.calendar?.created_at ?? null) },
        },
        sessions,
        posts: posts.rows.map((p) => ({
          id: p.id,
          caseSlug: p.slug,
          parentId: p.parent_id,
          body: p.body,
          createdAt: p.created_at.toISOString(),
          editedAt: iso(p.edited_at),
          deletedAt: iso(p.deleted_at),
          revisions: posts.revisions
            .filter((r) => r.post_id === p.id)
            .map((r) => ({
              body: r.body,
              writtenAt: r.written_at.toISOString(),
              replacedAt: r.replaced_at.toISOString(),
              redacted: r.redacted_at !== null,
            })),
        })),
        reactions: reactions.map((r) => ({ postId: r.post_id, kind: r.kind, createdAt: r.created_at.toISOString() })),
        rsvps: rsvps.map((r) => ({
          eventSlug: r.slug,
          eventTitle: r.title,
          status: r.status,
          listed: r.listed,
          ticketCode: r.ticket_code,
          checkedInAt: iso(r.checked_in_at),
          answeredAt: r.decided_at.toISOString(),
        })),
        organising: events_.organising.map((e) => ({ eventSlug: e.slug, eventTitle: e.title })),
        invitations: events_.invitations.map((e) => ({
          eventSlug: e.slug,
          eventTitle: e.title,
          createdAt: e.created_at.toISOString(),
        })),
        follows: follows.map((f) => ({
          type: f.target_type,
          key: f.target_key,
          createdAt: f.created_at.toISOString(),
        })),
        caseProposals: library.proposals.map((p) => ({
          slug: p.slug,
          status: p.status,
          fields: p.fields,
          reason: p.reason,
          caseSlug: p.case_slug,
          createdAt: p.created_at.toISOString(),
        })),
        caseEdits: library.edits.map((r) => ({
          caseSlug: r.slug,
          version: r.version,
          note: r.note,
          createdAt: r.created_at.toISOString(),
        })),
        introductions: intros.map((i) => ({
          direction: i.requester_id === userId ? ('sent' as const) : ('received' as const),
          otherHandle: i.handle,
          message: i.message,
          status: i.status,
          createdAt: i.created_at.toISOString(),
          decidedAt: iso(i.decided_at),
        })),
        questions: live.questions.map((q) => ({
          eventSlug: q.slug,
          body: q.body,
          votes: q.votes,
          createdAt: q.created_at.toISOString(),
        })),
        votes: {
          questions: live.questionVotes.map((v) => ({
            eventSlug: v.slug,
            questionId: v.question_id,
            createdAt: v.created_at.toISOString(),
          })),
          polls: live.pollVotes.map((v) => ({
            eventSlug: v.slug,
            question: v.question,
            option: v.options[v.option_index] ?? String(v.option_index),
          })),
        },
        notifications: notifications.map((n) => {
          const payload = n.payload as { title?: unknown; url?: unknown };
          return {
            id: n.id,
            kind: n.kind,
            count: n.count,
            title: typeof payload.title === 'string' ? payload.title : '',
            url: typeof payload.url === 'string' ? payload.url : '',
            createdAt: n.created_at.toISOString(),
            readAt: iso(n.read_at),
          };
        }),
      };
    },

    /**
     * Deletes the member's account, with the password, in one transaction; returns the sessions
     * it ended (the caller closes their sockets). Nothing changes on any refusal.
     */
    async deleteAccount(userId: string, password: string, posts: PostsChoice): Promise<{ revoked: string[] }> {
      const hash = await repo.passwordHashOf(db, userId);
      if (hash === undefined) throw new AppError('unauthorized', 'Sign in again');
      if (!hash || !(await verifyPassword(hash, password))) {
        const message = 'The password is incorrect.';
        throw new AppError('rule_violation', message, [problem('password', 'password_incorrect', message)]);
      }
      return writerTransaction(db, async (trx) => {
        const member = await repo.lockMember(trx, userId);
        if (!member) throw new AppError('unauthorized', 'Sign in again');
        if (member.role === 'admin' && member.otherAdmins === 0) {
          const message = 'You are the last administrator: make someone else an administrator first.';
          throw new AppError('rule_violation', message, [problem('account', 'last_admin', message)]);
        }
        await events.withdrawAll(trx, userId);
        await takePostsOf(trx, userId, posts);
        const erasure: repo.Erasure = { userId, handle: member.handle, email: member.email, posts, revoked: [] };
        for (const step of repo.ERASURE_STEPS) await step.run(trx, erasure);
        return { revoked: erasure.revoked };
      });
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
