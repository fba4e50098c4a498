/**
 * The account emails, in English and French, in the one email template (platform/mail-template.ts):
 * a reset link, an address to confirm (new account or change), and the notices to the old address.
 * None is a notification, so none has an unsubscribe link; each says why it was sent.
 */
import { languageOf, type Language } from '@opsi/contracts/notification-text';
import { renderLetter, say, type Letter } from '../../platform/mail-template.ts';

export type Lang = Language;
export type AccountMail = Letter;

export function langOf(locale: string | null | undefined): Lang {
  return languageOf(locale);
}

const T = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    accountWhy: 'You get this email because it is about your account on the Public Sector Innovators Network.',
    signupWhy:
      'You get this email because this address was used to create an account on the Public Sector Innovators Network.',
    newAddressWhy:
      'You get this email because this address was given as the new address of an account on the Public Sector Innovators Network.',
  },
  fr: {
    hello: (name: string) => `Bonjour ${name},`,
    accountWhy:
      'Vous recevez ce courriel parce qu’il concerne votre compte sur le Réseau des innovateurs du secteur public.',
    signupWhy:
      'Vous recevez ce courriel parce que cette adresse a servi à créer un compte sur le Réseau des innovateurs du secteur public.',
    newAddressWhy:
      'Vous recevez ce courriel parce que cette adresse a été donnée comme nouvelle adresse d’un compte sur le Réseau des innovateurs du secteur public.',
  },
};

export function resetEmail(lang: Lang, name: string, link: string): AccountMail {
  const t = T[lang];
  return lang === 'fr'
    ? renderLetter({
        language: lang,
        subject: 'Réinitialiser votre mot de passe',
        blocks: [
          say(t.hello(name)),
          say('Pour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure.'),
          say(
            'Le lien ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.',
          ),
        ],
        button: { label: 'Choisir un nouveau mot de passe', href: link },
        why: [t.accountWhy],
      })
    : renderLetter({
        language: lang,
        subject: 'Reset your password',
        blocks: [
          say(t.hello(name)),
          say('To choose a new password, open this link within the hour.'),
          say('The link works once. If you did not ask for this, ignore this message: your password stays the same.'),
        ],
        button: { label: 'Choose a new password', href: link },
        why: [t.accountWhy],
      });
}

/** To a new account's address: the link that confirms it. */
export function verifyAddressEmail(lang: Lang, name: string, link: string, hours: number): AccountMail {
  const t = T[lang];
  return lang === 'fr'
    ? renderLetter({
        language: lang,
        subject: 'Confirmez votre adresse électronique',
        blocks: [
          say(t.hello(name)),
          say(
            `Bienvenue sur le Réseau des innovateurs du secteur public. Pour confirmer que cette adresse est la vôtre, ouvrez ce lien dans les ${hours} heures.`,
          ),
          say(
            'Tant qu’elle n’est pas confirmée, nous ne vous envoyons ni notification ni résumé par courriel. Si vous n’avez pas créé de compte, ignorez ce message.',
          ),
        ],
        button: { label: 'Confirmer mon adresse', href: link },
        why: [t.signupWhy],
      })
    : renderLetter({
        language: lang,
        subject: 'Confirm your email address',
        blocks: [
          say(t.hello(name)),
          say(
            `Welcome to the Public Sector Innovators Network. To confirm this address is yours, open this link within ${hours} hours.`,
          ),
          say(
            'Until it is confirmed we send you no notification or digest by email. If you did not create an account, ignore this message.',
          ),
        ],
        button: { label: 'Confirm my address', href: link },
        why: [t.signupWhy],
      });
}

/** To the new address: the link that makes the change. */
export function confirmAddressEmail(lang: Lang, name: string, link: string, hours: number): AccountMail {
  const t = T[lang];
  return lang === 'fr'
    ? renderLetter({
        language: lang,
        subject: 'Confirmez votre nouvelle adresse électronique',
        blocks: [
          say(t.hello(name)),
          say(
            `Pour que cette adresse devienne celle de votre compte sur le Réseau des innovateurs du secteur public, ouvrez ce lien dans les ${hours} heures et confirmez.`,
          ),
          say(
            'Le lien ne sert qu’une fois. D’ici là, votre compte garde son adresse actuelle. Si vous n’avez rien demandé, ignorez ce message.',
          ),
        ],
        button: { label: 'Confirmer la nouvelle adresse', href: link },
        why: [t.newAddressWhy],
      })
    : renderLetter({
        language: lang,
        subject: 'Confirm your new email address',
        blocks: [
          say(t.hello(name)),
          say(
            `To make this address your account's address on the Public Sector Innovators Network, open this link within ${hours} hours and confirm.`,
          ),
          say(
            'The link works once. Until then your account keeps its current address. If you did not ask for this, ignore this message.',
          ),
        ],
        button: { label: 'Confirm the new address', href: link },
        why: [t.newAddressWhy],
      });
}

/** To the old address: a change was asked for (not made yet), with the new address. */
export function changeRequestedEmail(lang: Lang, name: string, newEmail: string, resetLink: string): AccountMail {
  const t = T[lang];
  return lang === 'fr'
    ? renderLetter({
        language: lang,
        subject: 'Demande de changement de votre adresse électronique',
        blocks: [
          say(t.hello(name)),
          say(
            `Quelqu’un connecté à votre compte a demandé que son adresse devienne ${newEmail}. Rien ne change tant que cette nouvelle adresse n’a pas été confirmée.`,
          ),
          say(
            'Si ce n’est pas vous, changez votre mot de passe dès maintenant (cela annule la demande et déconnecte tous vos appareils).',
          ),
        ],
        button: { label: 'Changer mon mot de passe', href: resetLink },
        why: [t.accountWhy],
      })
    : renderLetter({
        language: lang,
        subject: 'Your email address is being changed',
        blocks: [
          say(t.hello(name)),
          say(
            `Someone signed in to your account asked to change its address to ${newEmail}. Nothing changes until that new address is confirmed.`,
          ),
          say('If this was not you, change your password now (that cancels the request and signs every device out).'),
        ],
        button: { label: 'Change my password', href: resetLink },
        why: [t.accountWhy],
      });
}

/** To the old address: the change is made. */
export function changedEmail(lang: Lang, name: string, newEmail: string, siteLink: string): AccountMail {
  const t = T[lang];
  return lang === 'fr'
    ? renderLetter({
        language: lang,
        subject: 'Votre adresse électronique a changé',
        blocks: [
          say(t.hello(name)),
          say(
            `L’adresse de votre compte est désormais ${newEmail} : les courriels et la connexion passent par elle, et les liens de réinitialisation envoyés à l’ancienne adresse ne fonctionnent plus.`,
          ),
          say(
            'Si ce n’est pas vous, quelqu’un d’autre a peut-être la main sur votre compte : prévenez l’équipe du réseau sans attendre.',
          ),
        ],
        button: { label: 'Aller sur le réseau', href: siteLink },
        why: [t.accountWhy],
      })
    : renderLetter({
        language: lang,
        subject: 'Your email address has changed',
        blocks: [
          say(t.hello(name)),
          say(
            `Your account's address is now ${newEmail}: emails and sign-in go through it, and reset links sent to the old address no longer work.`,
          ),
          say("If this was not you, someone else may have your account: tell the network's team at once."),
        ],
        button: { label: 'Go to the network', href: siteLink },
        why: [t.accountWhy],
      });
}
