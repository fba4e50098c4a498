/**
 * The one source of every notification's sentence ("3 new replies to your post in …"), in English
 * and French: the web app's notifications and bell, the "email now" notification emails and the
 * digests all say it from here. A new notification kind adds its entry to SENTENCES (the type
 * asks for it: every kind in NotificationKinds, both languages); the settings page's label of a
 * kind stays with the web app's messages.
 */
import type { NotificationKind } from './follows.ts';

/** The languages a member can choose for their emails and notifications. */
export const Languages = ['en', 'fr'] as const;
export type Language = (typeof Languages)[number];

/** A stored locale (or anything) as a language: French when it says so, English otherwise. */
export function languageOf(locale: string | null | undefined): Language {
  return locale === 'fr' ? 'fr' : 'en';
}

/** What a sentence is made of. */
export interface Said {
  kind: NotificationKind;
  /** Grouped: how many (replies, followers, posts, cases). */
  count: number;
  /** The latest person involved; "Someone" when there is none. */
  who?: string | null;
  /** The case, event or hub concerned. */
  title: string;
  /** The moderators' reason for the kinds that say it (see EXCERPT_IN_SENTENCE). */
  excerpt?: string;
}

type Words = (s: Required<Said> & { who: string }) => string;

/** "Someone": who did it, when nobody is named. */
export const SOMEONE: Record<Language, string> = { en: 'Someone', fr: 'Quelqu’un' };

export const SENTENCES: Record<NotificationKind, Record<Language, Words>> = {
  reply: {
    en: ({ who, title, count }) =>
      count > 1 ? `${count} new replies to your post in “${title}”` : `${who} replied to your post in “${title}”`,
    fr: ({ who, title, count }) =>
      count > 1
        ? `${count} nouvelles réponses à votre message dans « ${title} »`
        : `${who} a répondu à votre message dans « ${title} »`,
  },
  mention: {
    en: ({ who, title }) => `${who} mentioned you in “${title}”`,
    fr: ({ who, title }) => `${who} vous a mentionné·e dans « ${title} »`,
  },
  waitlist_promoted: {
    en: ({ title }) => `A seat opened: you are going to “${title}”`,
    fr: ({ title }) => `Une place s’est libérée : vous participez à « ${title} »`,
  },
  event_changed: {
    en: ({ title }) => `“${title}” has changed`,
    fr: ({ title }) => `« ${title} » a changé`,
  },
  event_cancelled: {
    en: ({ title }) => `“${title}” was cancelled`,
    fr: ({ title }) => `« ${title} » est annulé`,
  },
  event_reminder: {
    en: ({ title }) => `Reminder: “${title}” is coming up`,
    fr: ({ title }) => `Rappel : « ${title} » approche`,
  },
  organiser_invitation: {
    en: ({ who, title }) => `${who} invited you to co-organise “${title}”`,
    fr: ({ who, title }) => `${who} vous invite à co-organiser « ${title} »`,
  },
  new_event: {
    en: ({ title }) => `New event in what you follow: “${title}”`,
    fr: ({ title }) => `Nouvel événement dans ce que vous suivez : « ${title} »`,
  },
  new_follower: {
    en: ({ who, count }) => (count > 1 ? `${count} new followers` : `${who} follows you`),
    fr: ({ who, count }) => (count > 1 ? `${count} nouvelles personnes vous suivent` : `${who} vous suit`),
  },
  new_post: {
    en: ({ who, title, count }) => (count > 1 ? `${count} new posts in “${title}”` : `${who} posted in “${title}”`),
    fr: ({ who, title, count }) =>
      count > 1 ? `${count} nouveaux messages dans « ${title} »` : `${who} a publié dans « ${title} »`,
  },
  watched_post: {
    en: ({ who, title, count }) =>
      count > 1
        ? `${count} new posts in “${title}”, a thread you watch`
        : `${who} posted in “${title}”, a thread you watch`,
    fr: ({ who, title, count }) =>
      count > 1
        ? `${count} nouveaux messages dans « ${title} », une discussion que vous surveillez`
        : `${who} a publié dans « ${title} », une discussion que vous surveillez`,
  },
  new_cases: {
    en: ({ title, count }) => `${count} new case${count > 1 ? 's' : ''} in ${title}`,
    fr: ({ title, count }) => `${count} nouveau${count > 1 ? 'x' : ''} cas dans « ${title} »`,
  },
  moderation_warning: {
    en: ({ excerpt }) => `A warning from the moderators: ${excerpt}`,
    fr: ({ excerpt }) => `Un avertissement de la modération : ${excerpt}`,
  },
  post_hidden: {
    en: ({ title, excerpt }) => `The moderators hid your post in “${title}”: ${excerpt}`,
    fr: ({ title, excerpt }) => `La modération a masqué votre message dans « ${title} » : ${excerpt}`,
  },
  post_deleted: {
    en: ({ title, excerpt }) => `The moderators deleted your post in “${title}”: ${excerpt}`,
    fr: ({ title, excerpt }) => `La modération a supprimé votre message dans « ${title} » : ${excerpt}`,
  },
  report_actioned: {
    en: ({ title }) => `Your report about “${title}”: action taken`,
    fr: ({ title }) => `Votre signalement sur « ${title} » : mesure prise`,
  },
  report_dismissed: {
    en: ({ title }) => `Your report about “${title}”: no action`,
    fr: ({ title }) => `Votre signalement sur « ${title} » : aucune mesure`,
  },
  proposal_approved: {
    en: ({ title }) => `Your proposed case “${title}” is published`,
    fr: ({ title }) => `Votre cas proposé « ${title} » est publié`,
  },
  proposal_returned: {
    en: ({ title, excerpt }) => `Your proposed case “${title}” was returned to you: ${excerpt}`,
    fr: ({ title, excerpt }) => `Votre cas proposé « ${title} » vous a été renvoyé : ${excerpt}`,
  },
  introduction_requested: {
    en: ({ who }) => `${who} asks to be introduced to you`,
    fr: ({ who }) => `${who} demande à vous être présenté·e`,
  },
  introduction_accepted: {
    en: ({ who }) => `${who} accepted your introduction: look for the email introducing you`,
    fr: ({ who }) => `${who} a accepté votre demande : un courriel vous présente l’un à l’autre`,
  },
};

/** The kinds whose sentence says the excerpt (the moderators' reason): an email need not repeat it. */
export const EXCERPT_IN_SENTENCE: ReadonlySet<NotificationKind> = new Set([
  'moderation_warning',
  'post_hidden',
  'post_deleted',
  'proposal_returned',
]);

/** The sentence of a notification in a language (an unknown kind says its title). */
export function notificationSentence(language: Language, said: Said): string {
  const words = (SENTENCES as Partial<Record<string, Record<Language, Words>>>)[said.kind];
  if (!words) return said.title;
  return words[language]({
    kind: said.kind,
    count: said.count,
    who: said.who || SOMEONE[language],
    title: said.title,
    excerpt: said.excerpt ?? '',
  });
}
