/** A member's private calendar feed: a secret, revocable URL for calendar apps to subscribe to. */
import type { Database } from '@opsi/db/database';
import type { Clock } from '../../../platform/clock.ts';
import { AppError } from '../../../platform/errors.ts';
import { newSessionToken, sessionIdOf } from '../../../plugins/session.ts';
import type { EventActor } from '../access.ts';
import {
  deleteCalendarToken,
  eventsOf,
  hasCalendarToken,
  setCalendarToken,
  userForCalendarToken,
} from './repository.ts';

export function createCalendarService(db: Database['kysely'], publicOrigin: string, clock: Clock) {
  return {
    /** A new private calendar feed URL (the previous one stops working). */
    async newCalendarToken(actor: EventActor | null): Promise<{ url: string }> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to get your calendar feed');
      const token = newSessionToken();
      await setCalendarToken(db, actor.id, sessionIdOf(token));
      return { url: `${publicOrigin}/api/v1/calendar/${token}.ics` };
    },

    async revokeCalendarToken(actor: EventActor | null): Promise<void> {
      if (!actor) throw new AppError('unauthorized', 'Sign in to manage your calendar feed');
      await deleteCalendarToken(db, actor.id);
    },

    async calendarOwner(token: string): Promise<string> {
      const userId = /^[a-z2-7]{32}$/.test(token) ? await userForCalendarToken(db, sessionIdOf(token)) : undefined;
      if (!userId) throw new AppError('not_found', 'No calendar feed here (the link may have been replaced)');
      return userId;
    },

    eventsOf: (userId: string) => eventsOf(db, userId, ['going'], clock()),

    /** Whether the member has a feed URL. */
    hasCalendarToken: (userId: string) => hasCalendarToken(db, userId),
  };
}
