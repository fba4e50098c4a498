/**
 * The signed-in viewer's answers to events, by event slug, so every event card (the events list,
 * the home page, the country and theme hubs) can say "You’re going" or the waitlist position. The
 * public lists stay the same for everyone; this is read beside them, and never breaks the page.
 */
import type { MyRsvp } from '@opsi/contracts/events';
import { must, type Api } from '#lib/api/client.ts';

export type MyAnswers = Record<string, Pick<MyRsvp, 'status' | 'waitlistPosition'>>;

export async function myAnswers(
  api: Api,
  signedIn: boolean,
  when: 'upcoming' | 'past' = 'upcoming',
): Promise<MyAnswers> {
  if (!signedIn) return {};
  const answered = await must(api.GET('/api/v1/me/events', { params: { query: { when, limit: 100 } } })).catch(
    () => null,
  );
  return Object.fromEntries(
    (answered?.items ?? []).map((item) => [
      item.event.slug,
      { status: item.rsvp.status, waitlistPosition: item.rsvp.waitlistPosition },
    ]),
  );
}
