/**
 * What the event page says after an organiser's change made elsewhere (created, saved,
 * cancelled): a short-lived cookie set by the form's action and read once by the next page of
 * that event (`routes/events/[slug]/+layout.server.ts`), with or without JavaScript.
 */
import type { Cookies } from '@sveltejs/kit';

export const EVENT_NOTICES = ['created', 'saved', 'cancelled'] as const;
export type EventNotice = (typeof EVENT_NOTICES)[number];

const COOKIE = 'event_notice';

export function setEventNotice(event: { cookies: Cookies; url: URL }, slug: string, notice: EventNotice): void {
  event.cookies.set(COOKIE, `${notice}:${slug}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Secure only where the site is served over HTTPS (the local and test servers are not).
    secure: event.url.protocol === 'https:',
    maxAge: 60,
  });
}

/** The notice for this event, if any, cleared as it is read. */
export function takeEventNotice(cookies: Cookies, slug: string): EventNotice | null {
  const value = cookies.get(COOKIE);
  if (!value) return null;
  cookies.delete(COOKIE, { path: '/' });
  const [notice, forSlug] = value.split(':');
  return forSlug === slug ? (EVENT_NOTICES.find((known) => known === notice) ?? null) : null;
}
