/**
 * The sentence a notification shows ("3 new replies to your post in …"), from its kind, how many
 * it groups, the latest person involved and the title of what it is about.
 */
import type { Notification } from '@opsi/contracts/follows';
import { m } from '#lib/paraglide/messages.js';

type Said = Pick<Notification, 'kind' | 'count' | 'actors' | 'title'> & { excerpt?: string };

export function notificationText(n: Said): string {
  const who = n.actors[0]?.displayName ?? m.notif_someone();
  const title = n.title;
  const count = n.count;
  switch (n.kind) {
    case 'reply':
      return count > 1 ? m.notif_reply_many({ count, title }) : m.notif_reply_one({ who, title });
    case 'mention':
      return m.notif_mention({ who, title });
    case 'watched_post':
      return count > 1 ? m.notif_watched_post_many({ count, title }) : m.notif_watched_post_one({ who, title });
    case 'waitlist_promoted':
      return m.notif_waitlist_promoted({ title });
    case 'event_changed':
      return m.notif_event_changed({ title });
    case 'event_cancelled':
      return m.notif_event_cancelled({ title });
    case 'event_reminder':
      return m.notif_event_reminder({ title });
    case 'organiser_invitation':
      return m.notif_organiser_invitation({ who, title });
    case 'new_event':
      return m.notif_new_event({ title });
    case 'new_follower':
      return count > 1 ? m.notif_new_follower_many({ count }) : m.notif_new_follower_one({ who });
    case 'new_post':
      return count > 1 ? m.notif_new_post_many({ count, title }) : m.notif_new_post_one({ who, title });
    case 'new_cases':
      return m.notif_new_cases({ count, title });
    case 'moderation_warning':
      return m.notif_moderation_warning({ excerpt: n.excerpt ?? '' });
    case 'post_hidden':
      return m.notif_post_hidden({ title, excerpt: n.excerpt ?? '' });
    case 'post_deleted':
      return m.notif_post_deleted({ title, excerpt: n.excerpt ?? '' });
    case 'report_actioned':
      return m.notif_report_actioned({ title });
    case 'report_dismissed':
      return m.notif_report_dismissed({ title });
    case 'proposal_approved':
      return m.notif_proposal_approved({ title });
    case 'proposal_returned':
      return m.notif_proposal_returned({ title, excerpt: n.excerpt ?? '' });
    default:
      return title;
  }
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
  };
  return labels[kind]();
}
