/**
 * The sentence a notification shows ("3 new replies to your post in …"), in the page's language:
 * the words are those of the emails and digests (`@opsi/contracts/notification-text`).
 */
import type { Notification } from '@opsi/contracts/follows';
import { languageOf, notificationSentence } from '@opsi/contracts/notification-text';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';

type Said = Pick<Notification, 'kind' | 'count' | 'actors' | 'title'> & { excerpt?: string };

export function notificationText(n: Said): string {
  return notificationSentence(languageOf(getLocale()), {
    kind: n.kind,
    count: n.count,
    who: n.actors[0]?.displayName,
    title: n.title,
    excerpt: n.excerpt ?? '',
  });
}

/** The label of each kind on the settings page. */
export function notificationKindLabel(kind: Notification['kind']): string {
  const labels: Record<Notification['kind'], () => string> = {
    reply: m.notif_kind_reply,
    mention: m.notif_kind_mention,
    watched_post: m.notif_kind_watched_post,
    waitlist_promoted: m.notif_kind_waitlist_promoted,
    event_changed: m.notif_kind_event_changed,
    event_cancelled: m.notif_kind_event_cancelled,
    event_reminder: m.notif_kind_event_reminder,
    organiser_invitation: m.notif_kind_organiser_invitation,
    new_event: m.notif_kind_new_event,
    new_follower: m.notif_kind_new_follower,
    new_post: m.notif_kind_new_post,
    new_cases: m.notif_kind_new_cases,
    moderation_warning: m.notif_kind_moderation,
    post_hidden: m.notif_kind_moderation,
    post_deleted: m.notif_kind_moderation,
    report_actioned: m.notif_kind_report_outcome,
    report_dismissed: m.notif_kind_report_outcome,
    proposal_approved: m.notif_kind_proposal,
    proposal_returned: m.notif_kind_proposal,
    introduction_requested: m.notif_kind_introduction,
    introduction_accepted: m.notif_kind_introduction,
  };
  return labels[kind]();
}
