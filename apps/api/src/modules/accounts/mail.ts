/** The account emails, in English and French: a reset link, an address to confirm (new account or change), and the notice to the old address. */
export type Lang = 'en' | 'fr';

export interface AccountMail {
  subject: string;
  text: string;
}

export function langOf(locale: string | null | undefined): Lang {
  return locale === 'fr' ? 'fr' : 'en';
}

/** Where a page is for a language: /reset/… or /fr/reset/…. */
export function pageLink(origin: string, lang: Lang, path: string): string {
  return `${origin}${lang === 'fr' ? '/fr' : ''}${path}`;
}

export function resetEmail(lang: Lang, name: string, link: string): AccountMail {
  return lang === 'fr'
    ? {
        subject: 'Réinitialiser votre mot de passe',
        text: `Bonjour ${name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure :\n${link}\n\nLe lien ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n`,
      }
    : {
        subject: 'Reset your password',
        text: `Hello ${name},\n\nTo choose a new password, open this link within the hour:\n${link}\n\nThe link works once. If you did not ask for this, ignore this message: your password stays the same.\n`,
      };
}

/** To a new account's address: the link that confirms it. */
export function verifyAddressEmail(lang: Lang, name: string, link: string, hours: number): AccountMail {
  return lang === 'fr'
    ? {
        subject: 'Confirmez votre adresse électronique',
        text: `Bonjour ${name},\n\nBienvenue sur le Réseau des innovateurs du secteur public. Pour confirmer que cette adresse est la vôtre, ouvrez ce lien dans les ${hours} heures :\n${link}\n\nTant qu’elle n’est pas confirmée, nous ne vous envoyons ni notification ni résumé par courriel. Si vous n’avez pas créé de compte, ignorez ce message.\n`,
      }
    : {
        subject: 'Confirm your email address',
        text: `Hello ${name},\n\nWelcome to the Public Sector Innovators Network. To confirm this address is yours, open this link within ${hours} hours:\n${link}\n\nUntil it is confirmed we send you no notification or digest by email. If you did not create an account, ignore this message.\n`,
      };
}

/** To the new address: the link that makes the change. */
export function confirmAddressEmail(lang: Lang, name: string, link: string, hours: number): AccountMail {
  return lang === 'fr'
    ? {
        subject: 'Confirmez votre nouvelle adresse électronique',
        text: `Bonjour ${name},\n\nPour que cette adresse devienne celle de votre compte sur le Réseau des innovateurs du secteur public, ouvrez ce lien dans les ${hours} heures et confirmez :\n${link}\n\nLe lien ne sert qu’une fois. D’ici là, votre compte garde son adresse actuelle. Si vous n’avez rien demandé, ignorez ce message.\n`,
      }
    : {
        subject: 'Confirm your new email address',
        text: `Hello ${name},\n\nTo make this address your account's address on the Public Sector Innovators Network, open this link within ${hours} hours and confirm:\n${link}\n\nThe link works once. Until then your account keeps its current address. If you did not ask for this, ignore this message.\n`,
      };
}

/** To the old address: a change was asked for (not made yet), with the new address. */
export function changeRequestedEmail(lang: Lang, name: string, newEmail: string, resetLink: string): AccountMail {
  return lang === 'fr'
    ? {
        subject: 'Demande de changement de votre adresse électronique',
        text: `Bonjour ${name},\n\nQuelqu’un connecté à votre compte a demandé que son adresse devienne ${newEmail}. Rien ne change tant que cette nouvelle adresse n’a pas été confirmée.\n\nSi ce n’est pas vous, changez votre mot de passe dès maintenant (cela annule la demande et déconnecte tous vos appareils) :\n${resetLink}\n`,
      }
    : {
        subject: 'Your email address is being changed',
        text: `Hello ${name},\n\nSomeone signed in to your account asked to change its address to ${newEmail}. Nothing changes until that new address is confirmed.\n\nIf this was not you, change your password now (that cancels the request and signs every device out):\n${resetLink}\n`,
      };
}

/** To the old address: the change is made. */
export function changedEmail(lang: Lang, name: string, newEmail: string): AccountMail {
  return lang === 'fr'
    ? {
        subject: 'Votre adresse électronique a changé',
        text: `Bonjour ${name},\n\nL’adresse de votre compte est désormais ${newEmail} : les courriels et la connexion passent par elle, et les liens de réinitialisation envoyés à l’ancienne adresse ne fonctionnent plus.\n\nSi ce n’est pas vous, quelqu’un d’autre a peut-être la main sur votre compte : prévenez l’équipe du réseau sans attendre.\n`,
      }
    : {
        subject: 'Your email address has changed',
        text: `Hello ${name},\n\nYour account's address is now ${newEmail}: emails and sign-in go through it, and reset links sent to the old address no longer work.\n\nIf this was not you, someone else may have your account: tell the network's team at once.\n`,
      };
}
