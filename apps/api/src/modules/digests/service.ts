/**
 * Email digests of what is new in what members follow (daily or weekly, weekly by default), email
 * for notifications set to "email now", and the one-click unsubscribe (RFC 8058) every such email
 * carries. Digests run from the job queue: a schedule job per period enqueues one job per member,
 * keyed by period and member, so a digest is never sent twice.
 */
import { defaultChannel, NotificationKinds } from '@opsi/contracts/follows';
import type { Database } from '@opsi/db/database';
import { AppError, problem } from '../../platform/errors.ts';
import type { UnsubscribeUndo } from '@opsi/db/schema';
import { newSessionToken, sessionIdOf } from '../../plugins/session.ts';
import type { NewJob } from '../../platform/jobs/catalogue.ts';
import { enqueueJobs } from '../../platform/jobs/repository.ts';
import type { NotificationsService } from '../notifications/service.ts';
import type { FollowsService } from '../follows/service.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import type { Executor } from '@opsi/db/executor';
import * as repo from './repository.ts';

export type Frequency = 'daily' | 'weekly';
export const UNSUBSCRIBE_KINDS = ['digest', 'all', ...NotificationKinds] as const;
export type UnsubscribeKind = (typeof UNSUBSCRIBE_KINDS)[number];

const SEND_HOUR_UTC = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an email's unsubscribe link works (expired tokens are swept). */
export const UNSUBSCRIBE_LINK_DAYS = 60;
/** How long the unsubscribe page's undo works. */
export const UNDO_HOURS = 24;
/** The channels that send email: by itself ("email now") or in the digest. */
const BY_EMAIL = new Set(['email', 'digest']);

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
      watched_post: (who: string, title: string, n: number) =>
        n > 1 ? `${n} new posts in “${title}”, a thread you watch` : `${who} posted in “${title}”, a thread you watch`,
      waitlist_promoted: (_: string, title: string) => `A seat opened: you are going to “${title}”`,
      event_changed: (_: string, title: string) => `“${title}” has changed`,
      event_cancelled: (_: string, title: string) => `“${title}” was cancelled`,
      event_reminder: (_: string, title: string) => `Reminder: “${title}”`,
      organiser_invitation: (who: string, title: string) =>
        who ? `${who} invited you to co-organise “${title}”` : `An invitation to co-organise “${title}”`,
      new_event: (_: string, title: string) => `New event in what you follow: “${title}”`,
      new_follower: (who: string, _title: string, n: number) => (n > 1 ? `${n} new followers` : `${who} follows you`),
      new_post: (who: string, title: string, n: number) =>
        n > 1 ? `${n} new posts in “${title}”` : `${who} posted in “${title}”`,
      new_cases: (_: string, title: string, n: number) => `${n} new case${n > 1 ? 's' : ''} in ${title}`,
      moderation_warning: () => 'A warning from the moderators',
      post_hidden: (_: string, title: string) => `The moderators hid your post in “${title}”`,
      post_deleted: (_: string, title: string) => `The moderators deleted your post in “${title}”`,
      report_actioned: (_: string, title: string) => `Your report about “${title}”: action taken`,
      report_dismissed: (_: string, title: string) => `Your report about “${title}”: no action`,
      proposal_approved: (_: string, title: string) => `Your proposed case “${title}” is published`,
      proposal_returned: (_: string, title: string) => `Your proposed case “${title}” was returned to you`,
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
      watched_post: (who: string, title: string, n: number) =>
        n > 1
          ? `${n} nouveaux messages dans « ${title} », une discussion que vous surveillez`
          : `${who} a publié dans « ${title} », une discussion que vous surveillez`,
      waitlist_promoted: (_: string, title: string) => `Une place s’est libérée : vous participez à « ${title} »`,
      event_changed: (_: string, title: string) => `« ${title} » a changé`,
      event_cancelled: (_: string, title: string) => `« ${title} » est annulé`,
      event_reminder: (_: string, title: string) => `Rappel : « ${title} »`,
      organiser_invitation: (who: string, title: string) =>
        who ? `${who} vous invite à co-organiser « ${title} »` : `Invitation à co-organiser « ${title} »`,
      new_event: (_: string, title: string) => `Nouvel événement dans ce que vous suivez : « ${title} »`,
      new_follower: (who: string, _title: string, n: number) =>
        n > 1 ? `${n} nouvelles personnes vous suivent` : `${who} vous suit`,
      new_post: (who: string, title: string, n: number) =>
        n > 1 ? `${n} nouveaux messages dans « ${title} »` : `${who} a publié dans « ${title} »`,
      new_cases: (_: string, title: string, n: number) =>
        n > 1 ? `${n} nouveaux cas dans « ${title} »` : `Un nouveau cas dans « ${title} »`,
      moderation_warning: () => 'Un avertissement de la modération',
      post_hidden: (_: string, title: string) => `La modération a masqué votre message dans « ${title} »`,
      post_deleted: (_: string, title: string) => `La modération a supprimé votre message dans « ${title} »`,
      report_actioned: (_: string, title: string) => `Votre signalement sur « ${title} » : mesure prise`,
      report_dismissed: (_: string, title: string) => `Votre signalement sur « ${title} » : aucune mesure`,
      proposal_approved: (_: string, title: string) => `Votre cas proposé « ${title} » est publié`,
      proposal_returned: (_: string, title: string) => `Votre cas proposé « ${title} » vous a été renvoyé`,
    },
  },
};

/**
 * Kills every unsubscribe link a member's emails carry (their address changed: links sent to the
 * old one must stop working). Runs in the caller's transaction.
 */
export async function forgetUnsubscribeLinks(db: Executor, userId: string): Promise<void> {
  await repo.deleteUnsubscribeTokens(db, userId);
}

export interface DigestsDeps {
  /** The feed a digest lists. */
  follows: FollowsService;
  /** The notifications a digest or an "email now" mail tells of. */
  notifications: NotificationsService;
  /** The time that link lifetimes and undo windows run on; the real time by default. */
  now?: Clock;
}

export function createDigestsService(
  database: Database,
  publicOrigin: string,
  { follows, notifications, now = systemClock }: DigestsDeps,
) {
  const db = database.kysely;

  /**
   * The unsubscribe link and headers (RFC 2369 + RFC 8058 one-click) for one email to a member
   * about one kind: a new token each time (only its SHA-256 is stored), valid UNSUBSCRIBE_LINK_DAYS.
   */
  async function unsubscribe(userId: string, kind: UnsubscribeKind, locale: string) {
    const token = newSessionToken();
    await repo.insertUnsubscribeToken(db, {
      id: sessionIdOf(token),
      userId,
      kind,
      expiresAt: new Date(now().getTime() + UNSUBSCRIBE_LINK_DAYS * DAY_MS),
    });
    const oneClick = `${publicOrigin}/api/v1/unsubscribe/${token}?kind=${kind}`;
    const page = `${publicOrigin}${locale === 'fr' ? '/fr' : ''}/unsubscribe/${token}?kind=${kind}`;
    return {
      page,
      headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  /**
   * Runs `work` on a live token, locked in a transaction. A link is for its own kind: another
   * `kind` in the address (a tampered link) is refused like an unknown token; none means its own.
   */
  async function withToken<T>(
    token: string,
    kind: UnsubscribeKind | undefined,
    work: (trx: Executor, row: repo.UnsubscribeToken, id: string) => Promise<T>,
  ): Promise<T> {
    const notValid = () => new AppError('not_found', 'This unsubscribe link is not valid');
    if (!/^[a-z2-7]{32}$/.test(token)) throw notValid();
    const id = sessionIdOf(token);
    return db.transaction().execute(async (trx) => {
      const row = await repo.lockUnsubscribeToken(trx, id, now());
      if (!row || (kind !== undefined && kind !== row.kind)) throw notValid();
      return work(trx, row, id);
    });
  }

  return {
    unsubscribeHeaders: unsubscribe,

    /**
     * Applies an unsubscribe link (no sign-in: the token is the capability). It only turns email
     * off: the digest to "off", and a kind sent by email (now or in the digest) to "in_app"; what
     * is already in the app or off stays. What it turned off is remembered for the undo.
     */
    async unsubscribe(token: string, kind?: UnsubscribeKind): Promise<{ kind: UnsubscribeKind }> {
      return withToken(token, kind, async (trx, row, id) => {
        const own = row.kind as UnsubscribeKind;
        const undo: UnsubscribeUndo = {};
        if (own === 'digest' || own === 'all') {
          const frequency = await repo.digestFrequency(trx, row.userId);
          if (frequency !== 'off') {
            await repo.setDigest(trx, row.userId, 'off');
            undo.digest = frequency;
          }
        }
        const kinds: readonly string[] = own === 'all' ? NotificationKinds : own === 'digest' ? [] : [own];
        const stored = kinds.length ? await repo.channelsOf(trx, row.userId) : new Map<string, string>();
        for (const k of kinds) {
          if (!BY_EMAIL.has(stored.get(k) ?? defaultChannel(k))) continue;
          await repo.setChannel(trx, row.userId, k, 'in_app');
          (undo.channels ??= {})[k] = stored.get(k) ?? null;
        }
        // A use that changed nothing (a mail client posting twice) keeps the undo of the first.
        if (undo.digest !== undefined || undo.channels) {
          await repo.setUnsubscribeUndo(trx, id, undo, new Date(now().getTime() + UNDO_HOURS * 60 * 60 * 1000));
        }
        return { kind: own };
      });
    },

    /**
     * The undo from the unsubscribe page: puts back exactly what the link's last use turned off,
     * within UNDO_HOURS, once, and only where the member has not changed it since. 409 when there
     * is nothing to undo. `subscribed` says whether anything was put back.
     */
    async resubscribe(token: string, kind?: UnsubscribeKind): Promise<{ kind: UnsubscribeKind; subscribed: boolean }> {
      return withToken(token, kind, async (trx, row, id) => {
        if (!row.undo || !row.undoUntil || row.undoUntil.getTime() <= now().getTime()) {
          const message = 'There is nothing to undo: it was undone already, or more than a day ago.';
          throw new AppError('conflict', message, [problem('token', 'nothing_to_undo', message)]);
        }
        await repo.setUnsubscribeUndo(trx, id, null, null);
        let restored = false;
        if (row.undo.digest !== undefined) {
          restored = (await repo.restoreDigest(trx, row.userId, 'off', row.undo.digest)) || restored;
        }
        for (const [k, previous] of Object.entries(row.undo.channels ?? {})) {
          restored = (await repo.restoreChannel(trx, row.userId, k, 'in_app', previous)) || restored;
        }
        return { kind: row.kind as UnsubscribeKind, subscribed: restored };
      });
    },

    /** Forgets expired unsubscribe links. */
    sweep: () => repo.deleteExpiredUnsubscribeTokens(db, now()),

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
        // An import's new cases in a hub: one line, "12 new cases in France", and the first titles.
        if (i.count)
          return `• ${t.kinds.new_cases('', i.title, i.count)}${because}\n  ${i.excerpt}\n  ${publicOrigin}${i.url}`;
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
      const found = await notifications.unread(notificationId);
      if (!found) return null;
      const { userId, notification: n } = found;
      const channels = await repo.channelsOf(db, userId);
      if (channels.get(n.kind) !== 'email') return null;
      const who = await repo.mailbox(db, userId);
      if (!who) return null;
      const t = who.locale === 'fr' ? T.fr : T.en;
      const say = t.kinds[n.kind];
      const subject = say(n.actors[0]?.displayName ?? '', n.title, n.count);
      const { page, headers } = await unsubscribe(userId, n.kind, who.locale);
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
