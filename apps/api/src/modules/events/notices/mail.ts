/**
 * The words of the events module's emails (the day-before reminder, a seat from the waitlist, a new
 * time or place, a cancellation, an organiser's message), in English or French, written once as
 * paragraphs and rendered both as plain text and as HTML. Times are in the event's zone, named.
 */
import { renderLetter, say, type Block, type Letter, type Line } from '../../../platform/mail-template.ts';
import type { EventRow } from '../repository.ts';

export type Locale = 'en' | 'fr';
export type Change = 'time' | 'place';

export type { Letter };
type Paragraph = Block;

/** What the reader's email is built from. */
export interface Reader {
  displayName: string;
  locale: Locale;
  /** going: they get the online link and the ticket. */
  status: string | null;
  ticketCode: string | null;
  waitlistPosition: number | null;
}

const T = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    when: 'When: ',
    where: 'Where: ',
    online: 'Online',
    andOnline: ' (and online)',
    join: 'Join online: ',
    page: 'Event page: ',
    ticket: 'Your ticket: ',
    code: (code: string) => ` (code ${code})`,
    reminderSubject: (title: string) => `Reminder: “${title}”`,
    reminderIntro: (title: string) => `A reminder that you are going to “${title}”. See you there!`,
    confirmedSubject: (title: string) => `You are going to “${title}”`,
    confirmedIntro: (title: string) => `Your seat is confirmed: you are going to “${title}”.`,
    ticketCode: (code: string) => `Your ticket code: ${code} (show it at the door).`,
    attached: 'The event is attached as a calendar file (.ics): open it to add the event to your calendar.',
    waitlistSubject: (title: string, n: number | null) =>
      `You are on the waitlist for “${title}”${n ? ` (position ${n})` : ''}`,
    waitlistIntro: (title: string, n: number | null) =>
      `“${title}” is full: you are on the waitlist${n ? `, at position ${n}` : ''}. If a seat opens for you, you will get it and we will email you your ticket.`,
    promotedSubject: (title: string) => `A seat opened: you are going to “${title}”`,
    promotedIntro: (title: string) =>
      `A seat became free and you were next on the waitlist: you are now going to “${title}”.`,
    promotedOut:
      'If you can no longer come, please withdraw your answer on the event page, so that the next person gets the seat.',
    changedSubject: (title: string, c: Change[]) =>
      c.length > 1
        ? `New time and place for “${title}”`
        : c[0] === 'place'
          ? `New place for “${title}”`
          : `New time for “${title}”`,
    changedIntro: (title: string, c: Change[]) =>
      `The organisers changed the ${c.length > 1 ? 'time and place' : c[0] === 'place' ? 'place' : 'time'} of “${title}”. Here it is now:`,
    was: (what: string, from: string, to: string) => `${what}: ${from} → ${to}`,
    time: 'Time',
    place: 'Place',
    stillGoing: 'You are still going; your ticket stays valid.',
    waitlisted: (n: number | null) => `You are on the waitlist${n ? ` (position ${n})` : ''}.`,
    cancelledSubject: (title: string) => `“${title}” was cancelled`,
    cancelledIntro: (title: string) => `The organisers cancelled “${title}”. It was to take place:`,
    cancelledEnd: 'There is nothing you need to do.',
    messageSubject: (title: string, subject: string) => `“${title}”: ${subject}`,
    messageIntro: (who: string, title: string) => `A message from ${who}, organiser of “${title}”, to everyone going:`,
    open: 'Open the event page',
    noticeWhy: 'You get this email because you answered this event on the Public Sector Innovators Network.',
    stop: 'Stop these emails',
    messageFooter: (title: string): Line => [
      `You get this email because you are going to “${title}” on the Public Sector Innovators Network.`,
    ],
  },
  fr: {
    hello: (name: string) => `Bonjour ${name},`,
    when: 'Quand : ',
    where: 'Où : ',
    online: 'En ligne',
    andOnline: ' (et en ligne)',
    join: 'Rejoindre en ligne : ',
    page: 'Page de l’événement : ',
    ticket: 'Votre billet : ',
    code: (code: string) => ` (code ${code})`,
    reminderSubject: (title: string) => `Rappel : « ${title} »`,
    reminderIntro: (title: string) => `Un rappel : vous participez à « ${title} ». À bientôt !`,
    confirmedSubject: (title: string) => `Vous participez à « ${title} »`,
    confirmedIntro: (title: string) => `Votre place est confirmée : vous participez à « ${title} ».`,
    ticketCode: (code: string) => `Votre code de billet : ${code} (à présenter à l’entrée).`,
    attached: 'L’événement est joint en fichier de calendrier (.ics) : ouvrez-le pour l’ajouter à votre agenda.',
    waitlistSubject: (title: string, n: number | null) =>
      `Vous êtes sur la liste d’attente de « ${title} »${n ? ` (position ${n})` : ''}`,
    waitlistIntro: (title: string, n: number | null) =>
      `« ${title} » est complet : vous êtes sur la liste d’attente${n ? `, en position ${n}` : ''}. Si une place se libère pour vous, elle vous sera attribuée et nous vous enverrons votre billet par courriel.`,
    promotedSubject: (title: string) => `Une place s’est libérée : vous participez à « ${title} »`,
    promotedIntro: (title: string) =>
      `Une place s’est libérée et vous étiez en tête de la liste d’attente : vous participez désormais à « ${title} ».`,
    promotedOut:
      'Si vous ne pouvez plus venir, retirez votre réponse sur la page de l’événement, pour que la personne suivante ait la place.',
    changedSubject: (title: string, c: Change[]) =>
      c.length > 1
        ? `Nouvel horaire et nouveau lieu pour « ${title} »`
        : c[0] === 'place'
          ? `Nouveau lieu pour « ${title} »`
          : `Nouvel horaire pour « ${title} »`,
    changedIntro: (title: string, c: Change[]) =>
      `Les organisateurs ont modifié ${c.length > 1 ? 'l’horaire et le lieu' : c[0] === 'place' ? 'le lieu' : 'l’horaire'} de « ${title} ». Voici les informations à jour :`,
    was: (what: string, from: string, to: string) => `${what} : ${from} → ${to}`,
    time: 'Horaire',
    place: 'Lieu',
    stillGoing: 'Vous participez toujours ; votre billet reste valable.',
    waitlisted: (n: number | null) => `Vous êtes sur la liste d’attente${n ? ` (position ${n})` : ''}.`,
    cancelledSubject: (title: string) => `« ${title} » est annulé`,
    cancelledIntro: (title: string) => `Les organisateurs ont annulé « ${title} ». Il devait avoir lieu :`,
    cancelledEnd: 'Vous n’avez rien à faire.',
    messageSubject: (title: string, subject: string) => `« ${title} » : ${subject}`,
    messageIntro: (who: string, title: string) =>
      `Un message de ${who}, qui organise « ${title} », à toutes les personnes inscrites :`,
    open: 'Ouvrir la page de l’événement',
    noticeWhy:
      'Vous recevez ce courriel parce que vous avez répondu à cet événement sur le Réseau des innovateurs du secteur public.',
    stop: 'Ne plus recevoir ces courriels',
    messageFooter: (title: string): Line => [
      `Vous recevez ce courriel parce que vous participez à « ${title} » sur le Réseau des innovateurs du secteur public.`,
    ],
  },
};

/** "Tuesday, 1 December 2026, 09:00–17:00 (Central European Standard Time, Europe/Paris)". */
export function eventWhen(e: Pick<EventRow, 'startsAt' | 'endsAt' | 'timezone'>, locale: Locale): string {
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const range = new Intl.DateTimeFormat(tag, { timeZone: e.timezone, dateStyle: 'full', timeStyle: 'short' })
    .formatRange(e.startsAt, e.endsAt)
    .replace(/[\u202f\u00a0]/g, ' ');
  const zone = new Intl.DateTimeFormat(tag, { timeZone: e.timezone, timeZoneName: 'long' })
    .formatToParts(e.startsAt)
    .find((p) => p.type === 'timeZoneName')?.value;
  return `${range} (${zone && zone !== e.timezone ? `${zone}, ` : ''}${e.timezone})`;
}

export function eventWhere(e: Pick<EventRow, 'mode' | 'venue' | 'address'>, locale: Locale): string {
  const t = T[locale];
  if (e.mode === 'online') return t.online;
  const place = [e.venue, e.address].filter((s) => s.trim()).join(', ');
  return `${place}${e.mode === 'hybrid' ? t.andOnline : ''}`;
}

export function eventPage(origin: string, slug: string, locale: Locale): string {
  return `${origin}${locale === 'fr' ? '/fr' : ''}/events/${slug}`;
}

/** When, where, and the links: the online link and the ticket only for someone going. */
function facts(e: EventRow, reader: Reader, origin: string, cancelled = false): Paragraph {
  const t = T[reader.locale];
  const page = eventPage(origin, e.slug, reader.locale);
  const going = !cancelled && e.status === 'published' && reader.status === 'going';
  const lines: Line[] = [
    [t.when, eventWhen(e, reader.locale)],
    [t.where, eventWhere(e, reader.locale)],
  ];
  if (going && e.onlineUrl && e.mode !== 'in_person') lines.push([t.join, { href: e.onlineUrl, label: e.onlineUrl }]);
  lines.push([t.page, { href: page, label: page }]);
  if (going) {
    const ticket = `${page}/ticket`;
    lines.push([t.ticket, { href: ticket, label: ticket }, reader.ticketCode ? t.code(reader.ticketCode) : '']);
  }
  return { lines };
}

export function reminderLetter(e: EventRow, reader: Reader, origin: string, unsubscribe: string): Letter {
  const t = T[reader.locale];
  return render(
    reader.locale,
    t.reminderSubject(e.title),
    [say(t.hello(reader.displayName)), say(t.reminderIntro(e.title)), facts(e, reader, origin)],
    notice(e, reader, origin, unsubscribe),
  );
}

export function promotedLetter(e: EventRow, reader: Reader, origin: string, unsubscribe: string): Letter {
  const t = T[reader.locale];
  return render(
    reader.locale,
    t.promotedSubject(e.title),
    [say(t.hello(reader.displayName)), say(t.promotedIntro(e.title)), facts(e, reader, origin), say(t.promotedOut)],
    notice(e, reader, origin, unsubscribe),
  );
}

/** The time and place of an event before an edit (the "new time or place" email says what changed from what). */
export type Before = Pick<EventRow, 'startsAt' | 'endsAt' | 'timezone' | 'mode' | 'venue' | 'address'>;

/** "Time: <before> → <now>" and "Place: <before> → <now>", for what changed. */
function changeLines(e: EventRow, before: Before, changes: Change[], locale: Locale): Paragraph {
  const t = T[locale];
  const lines: Line[] = [];
  if (changes.includes('time')) lines.push([t.was(t.time, eventWhen(before, locale), eventWhen(e, locale))]);
  if (changes.includes('place')) lines.push([t.was(t.place, eventWhere(before, locale), eventWhere(e, locale))]);
  return { lines };
}

export function confirmedLetter(e: EventRow, reader: Reader, origin: string, unsubscribe: string): Letter {
  const t = T[reader.locale];
  const going = reader.status === 'going';
  const n = reader.waitlistPosition;
  return render(
    reader.locale,
    going ? t.confirmedSubject(e.title) : t.waitlistSubject(e.title, n),
    [
      say(t.hello(reader.displayName)),
      say(going ? t.confirmedIntro(e.title) : t.waitlistIntro(e.title, n)),
      ...(going && reader.ticketCode ? [say(t.ticketCode(reader.ticketCode))] : []),
      facts(e, reader, origin),
      ...(going ? [say(t.attached)] : []),
    ],
    notice(e, reader, origin, unsubscribe),
  );
}

export function changedLetter(
  e: EventRow,
  reader: Reader,
  origin: string,
  changes: Change[],
  unsubscribe: string,
  before: Before | null = null,
): Letter {
  const t = T[reader.locale];
  const standing = reader.status === 'going' ? t.stillGoing : t.waitlisted(reader.waitlistPosition);
  return render(
    reader.locale,
    t.changedSubject(e.title, changes),
    [
      say(t.hello(reader.displayName)),
      say(t.changedIntro(e.title, changes)),
      ...(before ? [changeLines(e, before, changes, reader.locale)] : []),
      facts(e, reader, origin),
      say(standing),
    ],
    notice(e, reader, origin, unsubscribe),
  );
}

export function cancelledLetter(e: EventRow, reader: Reader, origin: string, unsubscribe: string): Letter {
  const t = T[reader.locale];
  return render(
    reader.locale,
    t.cancelledSubject(e.title),
    [
      say(t.hello(reader.displayName)),
      say(t.cancelledIntro(e.title)),
      facts(e, reader, origin, true),
      say(t.cancelledEnd),
    ],
    notice(e, reader, origin, unsubscribe),
  );
}

export function messageLetter(
  e: EventRow,
  reader: Reader,
  origin: string,
  message: { from: string; subject: string; body: string; bodyHtml: string },
): Letter {
  const t = T[reader.locale];
  return render(
    reader.locale,
    t.messageSubject(e.title, message.subject),
    [
      say(t.messageIntro(message.from, e.title)),
      { html: message.bodyHtml, text: message.body.trim() },
      facts(e, reader, origin),
    ],
    { why: t.messageFooter(e.title), button: open(e, reader, origin) },
  );
}

/** The event page as the email's button. */
function open(e: EventRow, reader: Reader, origin: string) {
  return { label: T[reader.locale].open, href: eventPage(origin, e.slug, reader.locale) };
}

/** A notice's footer (why, and the one-click stop of this kind) and its button. */
function notice(e: EventRow, reader: Reader, origin: string, unsubscribe: string): Ending {
  const t = T[reader.locale];
  return {
    why: [t.noticeWhy],
    unsubscribe: { label: t.stop, href: unsubscribe },
    button: open(e, reader, origin),
  };
}

type Ending = Pick<Parameters<typeof renderLetter>[0], 'why' | 'unsubscribe' | 'button'>;

function render(locale: Locale, subject: string, blocks: Paragraph[], ending: Ending): Letter {
  return renderLetter({ language: locale, subject, blocks, ...ending });
}
