/** The checks on an event's fields that the schema cannot make. */
import type { Role } from '@opsi/contracts/accounts';
import type { FieldProblem } from '@opsi/contracts/common';
import type { NewEvent } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import { isTimeZone } from '@opsi/common/zones';
import { AppError } from '../../../platform/errors.ts';
import { unknownCountries, unknownThemes } from '../../reference/service.ts';
import { CREATORS } from '../access.ts';
import { organiserCandidates } from '../invitations/repository.ts';
import { caseIdsForSlugs } from './repository.ts';

/**
 * Checks what the schema cannot: time zone, order of times, venue, references, and who may be
 * named co-organiser: a member with the role to organise (organiser or admin) who has not
 * declined this event's invitation. Those already organisers or invited, the creator and the
 * caller are not checked again (a demoted organiser still listed does not block the save; they
 * have no powers: canManage). Throws a 422 naming every field refused.
 */
export async function checkFields(
  db: Database['kysely'],
  input: Partial<NewEvent>,
  merged: { startsAt: Date; endsAt: Date; mode: string; venue: string; rsvpDeadline: Date | null },
  standing: { eventId: string | null; creatorId: string; actorId: string },
): Promise<{ caseIds: string[]; organiserIds: string[] }> {
  const problems: FieldProblem[] = [];
  if (input.timezone !== undefined && !isTimeZone(input.timezone))
    problems.push({ field: 'timezone', message: `timezone: "${input.timezone}" is not an IANA time zone` });
  if (merged.endsAt.getTime() <= merged.startsAt.getTime())
    problems.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
  if (merged.rsvpDeadline && merged.rsvpDeadline.getTime() > merged.endsAt.getTime())
    problems.push({ field: 'rsvpDeadline', message: 'rsvpDeadline must be before the end of the event' });
  if (merged.mode !== 'online' && !merged.venue.trim())
    problems.push({ field: 'venue', message: 'venue is required for an event in person or hybrid' });
  const [badCountries, badThemes, cases, people] = await Promise.all([
    unknownCountries(db, input.countries ?? []),
    unknownThemes(db, input.themes ?? []),
    caseIdsForSlugs(db, input.caseSlugs ?? []),
    organiserCandidates(db, standing.eventId, input.coOrganisers ?? []),
  ]);
  for (const c of badCountries) problems.push({ field: 'countries', message: `countries: "${c}" is not a country` });
  for (const t of badThemes) problems.push({ field: 'themes', message: `themes: "${t}" is not a theme` });
  for (const s of input.caseSlugs ?? [])
    if (!cases.has(s)) problems.push({ field: 'caseSlugs', message: `caseSlugs: no case "${s}"` });
  const byHandle = new Map(people.map((p) => [p.handle, p]));
  // `reason` and `value` let a client say which names were refused and why, in its own words.
  const refuse = (value: string, reason: string, message: string) =>
    problems.push({ field: 'coOrganisers', message: `coOrganisers: ${message}`, reason, value } as FieldProblem);
  for (const h of input.coOrganisers ?? []) {
    const person = byHandle.get(h);
    if (!person) refuse(h, 'unknown', `no member "${h}"`);
    else if (person.organiser || person.invitation === 'pending') continue;
    else if (person.id === standing.creatorId || person.id === standing.actorId) continue;
    else if (person.invitation === 'declined')
      refuse(h, 'declined', `"${h}" declined the invitation to co-organise this event`);
    else if (!CREATORS.includes(person.role as Role))
      refuse(h, 'cannot_organise', `"${h}" cannot organise events (only organisers and admins can)`);
  }
  if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
  return { caseIds: [...cases.values()], organiserIds: people.map((p) => p.id) };
}
