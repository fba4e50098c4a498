/**
 * The email of an accepted introduction, in English and French in the one template
 * (platform/mail-template.ts): to each of the two members, the other's name, work and address,
 * what they have in common, and the message that asked. Not a notification: no unsubscribe link;
 * it says why it was sent.
 */
import { renderLetter, say, type Letter, type MailLanguage } from '../../platform/mail-template.ts';

export interface Introduced {
  displayName: string;
  email: string;
  headline: string;
  organisation: string;
  country: string;
  profile: string;
}

export interface IntroductionLetter {
  language: MailLanguage;
  readerName: string;
  other: Introduced;
  /** What they have in common, as sentences in the reader's language. */
  common: string[];
  /** The request's message, and whether the reader wrote it. */
  message: string;
  readerAsked: boolean;
}

const WORDS = {
  en: {
    subject: (name: string) => `Introducing ${name}`,
    hello: (name: string) => `Hello ${name},`,
    accepted: (name: string, readerAsked: boolean) =>
      readerAsked
        ? `${name} accepted your request to be introduced. You can now write to each other.`
        : `You accepted ${name}’s request to be introduced. You can now write to each other.`,
    who: 'Who they are',
    address: 'Their address',
    common: 'What you have in common',
    message: (readerAsked: boolean) => (readerAsked ? 'What you wrote' : 'What they wrote'),
    button: 'See their profile',
    why: 'You get this email because you and this member agreed to be introduced on the Public Sector Innovators Network; both of you received one.',
  },
  fr: {
    subject: (name: string) => `Faites connaissance avec ${name}`,
    hello: (name: string) => `Bonjour ${name},`,
    accepted: (name: string, readerAsked: boolean) =>
      readerAsked
        ? `${name} a accepté votre demande de mise en relation. Vous pouvez maintenant vous écrire.`
        : `Vous avez accepté la demande de mise en relation de ${name}. Vous pouvez maintenant vous écrire.`,
    who: 'Qui est-ce',
    address: 'Son adresse',
    common: 'Ce que vous avez en commun',
    message: (readerAsked: boolean) => (readerAsked ? 'Ce que vous avez écrit' : 'Ce qu’il ou elle a écrit'),
    button: 'Voir son profil',
    why: 'Vous recevez ce courriel parce que ce membre et vous avez accepté d’être mis en relation sur le Réseau des innovateurs du secteur public ; vous l’avez reçu tous les deux.',
  },
} as const;

export function introductionLetter(l: IntroductionLetter): Letter {
  const t = WORDS[l.language];
  const o = l.other;
  const work = [o.headline, o.organisation, o.country].filter(Boolean).join(' · ');
  return renderLetter({
    language: l.language,
    subject: t.subject(o.displayName),
    blocks: [
      say(t.hello(l.readerName)),
      say(t.accepted(o.displayName, l.readerAsked)),
      {
        lines: [
          [`${t.who}: `, `${o.displayName}${work ? ` — ${work}` : ''}`],
          [`${t.address}: `, { href: `mailto:${o.email}`, label: o.email }],
        ],
      },
      ...(l.common.length ? [say(`${t.common}:`, ...l.common.map((c) => `• ${c}`))] : []),
      say(`${t.message(l.readerAsked)}:`, l.message),
    ],
    button: { label: t.button, href: o.profile },
    why: [t.why],
  });
}
