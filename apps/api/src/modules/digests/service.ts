/**
 * Email digests of what is new in what members follow (daily or weekly, weekly by default), email
 * for notifications set to "email now", and the one-click unsubscribe (RFC 8058) every such email
 * carries. Digests run from the job queue: a schedule job per period enqueues one job per member,
 * keyed by period and member, so a digest is never sent twice.
 */
import { NotificationKinds } from '@opsi/contracts/follows';
import type { Database } from '@opsi/db/database';
import { AppError } from '../../plugins/errors.ts';
import { newSessionToken } from '../../plugins/session.ts';
import { enqueueJobs, type NewJob } from '../jobs/repository.ts';
import { findNotifications } from '../notifications/repository.ts';
import { toNotification } from '../notifications/service.ts';
import { createFollowsService } from '../follows/service.ts';
import type { Executor } from '../activities/repository.ts';
import * as repo from './repository.ts';

export type Frequency = 'daily' | 'weekly';
export const UNSUBSCRIBE_KINDS = ['digest', 'all', ...NotificationKinds] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

const SEND_HOUR_UTC = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The next digest time strictly after `now`: every day, or every Monday, at 07:00 UTC. */
export function nextDigestAt(frequency: Frequency, now: Date): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), SEND_HOUR_UTC));
  while (at.getTime() <= now.getTime() || (frequency === 'weekly' && at.getUTCDay() !== 1)) {
    at.setTime(at.getTime() + DAY_MS);
  }
  return at;
}

export function scheduleJob(frequency: Frequency, at: Date): NewJob {
  const period = `${frequency}:${at.toISOString().slice(0, 10)}`;
  return { kind: 'digest.schedule', key: period, runAt: at, payload: { frequency, period } };
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

const T = {
  en: {
    digestSubject: (n: number, f: Frequency) => `Your ${f} digest: ${n} new in what you follow`,
    digestIntro: (name: string, f: Frequency) =>
      `Hello ${name},\n\nWhat is new this ${f === 'daily' ? 'day' : 'week'} in what you follow:`,
    because: 'because you follow',
    waiting: 'Waiting for you:',
    footer: (url: string, f: Frequency) =>
      `You get this ${f} digest because you follow countries, themes, cases, events or people on the Public Sector Innovators Network.\nChange how often, or stop it: ${url}`,
    notificationFooter: (url: string) =>
      `You get this email because you asked to be told by email about this kind of notification.\nStop these emails: ${url}`,
    kinds: {
      reply: (who: string, title: string, n: number) =>
        n > 1 ? `${n} new replies to your post in “${title}”` : `${who} replied to your post in “${title}”`,
      mention: (who: string, title: string) => `${who} mentioned you in “${title}”`,
      waitlist_promoted: (_: string, title: string) => `A seat opened: you are going to “${title}”`,
      event_changed: (_: string, title: string) => `“${title}” has changed`,
      event_cancelled: (_: string, title: string) => `“${title}” was cancelled`,
      event_reminder: (_: string, title: string) => `Reminder: “${title}”`,
      new_event: (_: string, title: string) => `New event in what you follow: “${title}”`,
      new_follower: (who: string, _title: string, n: number) => (n > 1 ? `${n} new followers` : `${who} follows you`),
      new_post: (who: string, title: string, n: number) =>
        n > 1 ? `${n} new posts in “${title}”` : `${who} posted in “${title}”`,
    },
  },
  fr: {
    digestSubject: (n: number, f: Frequency) =>
      `Votre résumé ${f === 'daily' ? 'du jour' : 'de la semaine'} : ${n} nouveauté${n > 1 ? 's' : ''} dans ce que vous suivez`,
    digestIntro: (name: string, f: Frequency) =>
      `Bonjour ${name},\n\nDu nouveau ${f === 'daily' ? 'aujourd’hui' : 'cette semaine'} dans ce que vous suivez :`,
    because: 'parce que vous suivez',
    waiting: 'En attente :',
    footer: (url: string, f: Frequency) =>
      `Vous recevez ce résumé ${f === 'daily' ? 'quotidien' : 'hebdomadaire'} parce que vous suivez des pays, thèmes, cas, événements ou personnes sur le Réseau des innovateurs du secteur public.\nChanger la fréquence ou l’arrêter : ${url}`,
    notificationFooter: (url: string) =>
      `Vous recevez ce courriel parce que vous avez demandé à être prévenu·e par courriel de ce type de notification.\nNe plus recevoir ces courriels : ${url}`,
    kinds: {
      reply: (who: string, title: string, n: number) =>
        n > 1
          ? `${n} nouvelles réponses à votre message dans « ${title} »`
          : `${who} a répondu à votre message dans « ${title} »`,
      mention: (who: string, title: string) => `${who} vous a mentionné·e dans « ${title} »`,
      waitlist_promoted: (_: string, title: string) => `Une place s’est libérée : vous participez à « ${title} »`,
      event_changed: (_: string, title: string) => `« ${title} » a changé`,
      event_cancelled: (_: string, title: string) => `« ${title} » est annulé`,
      event_reminder: (_: string, title: string) => `Rappel : « ${title} »`,
      new_event: (_: string, title: string) => `Nouvel événement dans ce que vous suivez : « ${title} »`,
      new_follower: (who: string, _title: string, n: number) =>
        n > 1 ? `${n} nouvelles personnes vous suivent` : `${who} vous suit`,
      new_post: (who: string, title: string, n: number) =>
        n > 1 ? `${n} nouveaux messages dans « ${title} »` : `${who} a publié dans « ${title} »`,
    },
  },
};

/**
 * Kills every unsubscribe link a member's emails carry (their address changed: links sent to the
 * old one must stop working). Runs in the caller's transaction.
 */
export async function forgetUnsubscribeLinks(db: Executor, userId: string): Promise<void> {
  await repo.deleteEmailTokens(db, userId);
}

export function createDigestsService(database: Database, publicOrigin: string) {
  const db = database.kysely;
  const follows = createFollowsService(database);

  /** The unsubscribe link and headers (RFC 2369 + RFC 8058 one-click) for one member and kind. */
  async function unsubscribe(userId: string, kind: UnsubscribeKind, locale: string) {
    const token = await repo.emailToken(db, userId, newSessionToken());
    const oneClick = `${publicOrigin}/api/v1/unsubscribe/${token}?kind=${kind}`;
    const page = `${publicOrigin}${locale === 'fr' ? '/fr' : ''}/unsubscribe/${token}?kind=${kind}`;
    return {
      page,
      headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  return {
    unsubscribeHeaders: unsubscribe,

    /** Applies an unsubscribe link: no sign-in, the token is the capability. */
    async unsubscribe(token: string, kind: UnsubscribeKind): Promise<{ kind: UnsubscribeKind }> {
      const userId = /^[a-z2-7]{32}$/.test(token) ? await repo.userForEmailToken(db, token) : undefined;
      if (!userId) throw new AppError('not_found', 'This unsubscribe link is not valid');
      if (kind === 'digest' || kind === 'all') await repo.setDigest(db, userId, 'off');
      if (kind === 'all') for (const k of NotificationKinds) await repo.setChannel(db, userId, k, 'in_app');
      else if (kind !== 'digest') await repo.setChannel(db, userId, kind, 'in_app');
      return { kind };
    },

    /** Undo from the unsubscribe page: the digest back to weekly, or email back on for a kind. */
    async resubscribe(token: string, kind: UnsubscribeKind): Promise<{ kind: UnsubscribeKind }> {
      const userId = /^[a-z2-7]{32}$/.test(token) ? await repo.userForEmailToken(db, token) : undefined;
      if (!userId) throw new AppError('not_found', 'This unsubscribe link is not valid');
      if (kind === 'digest' || kind === 'all') await repo.setDigest(db, userId, 'weekly');
      if (kind !== 'digest' && kind !== 'all') await repo.setChannel(db, userId, kind, 'email');
      return { kind };
    },

    /** A schedule job: one digest job per member for the period, and the next period's schedule. */
    async schedule(frequency: Frequency, period: string, now: Date): Promise<number> {
      const members = await repo.digestRecipients(db, frequency);
      await enqueueJobs(
        db,
        members.map((userId) => ({
          kind: 'email.digest',
          key: `${period}:${userId}`,
          runAt: now,
          payload: { userId, frequency, period },
        })),
      );
      await enqueueJobs(db, [scheduleJob(frequency, nextDigestAt(frequency, now))]);
      return members.length;
    },

    /** The digest email for one member, or null when there is nothing new (nothing is sent). */
    async digestFor(userId: string, frequency: Frequency): Promise<{ mail: Mail; lastActivityId: string } | null> {
      const who = await repo.mailbox(db, userId);
      const state = await repo.digestState(db, userId);
      if (!who || state.frequency !== frequency) return null;
      const feed = await follows.feed({ id: userId, handle: '' }, { limit: 30 });
      const fresh = feed.items.filter((i) => BigInt(i.id) > BigInt(state.lastActivityId));
      const waiting = await repo.digestNotifications(db, userId, state.lastSentAt);
      if (!fresh.length && !waiting.length) return null;
      const t = who.locale === 'fr' ? T.fr : T.en;
      const lines = fresh.map((i) => {
        const because = i.reasons.length ? ` (${t.because} ${i.reasons.map((r) => r.label).join(', ')})` : '';
        const what = i.excerpt ? `${i.actor?.displayName ?? ''}: ${i.excerpt}` : i.title;
        return `• ${i.title}${because}\n  ${what}\n  ${publicOrigin}${i.url}`;
      });
      const pending = waiting.map((n) => {
        const p = n.payload as { title?: string; url?: string };
        const say = t.kinds[n.kind as keyof typeof t.kinds];
        return `• ${say ? say('', p.title ?? '', n.count) : (p.title ?? '')}\n  ${publicOrigin}${p.url ?? '/notifications'}`;
      });
      const { page, headers } = await unsubscribe(userId, 'digest', who.locale);
      const text = [
        t.digestIntro(who.displayName, frequency),
        '',
        ...lines,
        ...(pending.length ? ['', t.waiting, ...pending] : []),
        '',
        '—',
        t.footer(page, frequency),
        '',
      ].join('\n');
      return {
        mail: { to: who.email, subject: t.digestSubject(fresh.length + pending.length, frequency), text, headers },
        lastActivityId: fresh[0]?.id ?? state.lastActivityId,
      };
    },

    markSent: (userId: string, lastActivityId: string) => repo.markDigestSent(db, userId, lastActivityId),

    /** The email for a notification set to "email now", or null when it is moot (read, gone, off). */
    async notificationMail(notificationId: string): Promise<Mail | null> {
      const [row] = await findNotifications(db, [notificationId]);
      if (!row || row.readAt) return null;
      const channels = await repo.channelsOf(db, row.userId);
      if (channels.get(row.kind) !== 'email') return null;
      const who = await repo.mailbox(db, row.userId);
      if (!who) return null;
      const n = toNotification(row);
      const t = who.locale === 'fr' ? T.fr : T.en;
      const say = t.kinds[n.kind];
      const subject = say(n.actors[0]?.displayName ?? '', n.title, n.count);
      const { page, headers } = await unsubscribe(row.userId, n.kind, who.locale);
      const text = [
        subject,
        '',
        ...(n.excerpt ? [n.excerpt, ''] : []),
        `${publicOrigin}${n.url}`,
        '',
        '—',
        t.notificationFooter(page),
        '',
      ].join('\n');
      return { to: who.email, subject, text, headers };
    },
  };
}

export type DigestsService = ReturnType<typeof createDigestsService>;
