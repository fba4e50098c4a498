/**
 * The demo Q&A and poll (db/seed/live.ts), on the first start, after the demo events: written
 * through the live service as the organiser and the members would (their limits included).
 * Returns how many questions were added (0 when the event is missing or already has some).
 */
import type { Database } from '@opsi/db/database';
import { events as demoEvents } from '../../../../../../db/seed/events.ts';
import { live as demo } from '../../../../../../db/seed/live.ts';
import { usersByHandles } from '../repository.ts';
import type { LiveService } from './service.ts';

export async function seedDemoLive(database: Database, live: LiveService): Promise<number> {
  const organisers = demoEvents.filter((e) => e.slug === demo.event).map((e) => e.organiser);
  const handles = [
    organisers,
    demo.questions.flatMap((q) => [q.by, ...q.votes]),
    demo.poll.votes.map(([h]) => h),
  ].flat();
  const people = await usersByHandles(database.kysely, [...new Set(handles)]);
  const member = (handle: string) => {
    const person = people.find((p) => p.handle === handle);
    return person ? { id: person.id, role: 'member' as const } : null;
  };
  const event = await live.questions(null, demo.event, 'new').catch(() => null);
  if (!event || event.items.length > 0) return 0;
  const organiser = demoEvents.find((e) => e.slug === demo.event)?.organiser;
  const organiserId = organiser ? member(organiser)?.id : undefined;
  if (!organiserId) return 0;
  // As seedDemoEvents creates the event: on the demo organiser's behalf, whatever their role.
  const staff = { id: organiserId, role: 'admin' as const };
  await live.setQa(staff, demo.event, true);
  let added = 0;
  for (const q of demo.questions) {
    const asker = member(q.by);
    if (!asker) continue;
    const question = await live.ask(asker, demo.event, q.body);
    added += 1;
    for (const handle of q.votes) {
      const voter = member(handle);
      if (voter) await live.vote(voter, question.id, true);
    }
  }
  const poll = await live.createPoll(staff, demo.event, {
    question: demo.poll.question,
    options: demo.poll.options,
    multiple: demo.poll.multiple,
  });
  for (const [handle, options] of demo.poll.votes) {
    const voter = member(handle);
    if (voter) await live.votePoll(voter, poll.id, options);
  }
  return added;
}
