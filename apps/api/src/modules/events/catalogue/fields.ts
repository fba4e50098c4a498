/** The checks on an event's fields that the schema cannot make. */
import type { Role } from '@opsi/contracts/accounts';
import type { FieldProblem } from '@opsi/contracts/common';
import type { NewEvent } from '@opsi/contracts/events';
import type { Database } from '@opsi/db/database';
import { isTimeZone } from '@opsi/common/zones';
import { AppError, problem } from '../../../platform/errors.ts';
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
    problems.push(
      problem('timezone', 'unknown_time_zone', `timezone: "${input.timezone}" is not an IANA time zone`, {
        value: input.timezone,
      }),
    );
  if (merged.endsAt.getTime() <= merged.startsAt.getTime())
    problems.push(problem('endsAt', 'ends_before_start', 'endsAt must be after startsAt'));
  if (merged.rsvpDeadline && merged.rsvpDeadline.getTime() > merged.endsAt.getTime())
    problems.push(problem('rsvpDeadline', 'deadline_after_end', 'rsvpDeadline must be before the end of the event'));
  if (merged.mode !== 'online' && !merged.venue.trim())
    problems.push(problem('venue', 'venue_required', 'venue is required for an event in person or hybrid'));
  const [badCountries, badThemes, cases, people] = await Promise.all([
    unknownCountries(db, input.countries ?? []),
    unknownThemes(db, input.themes ?? []),
    caseIdsForSlugs(db, input.caseSlugs ?? []),
    organiserCandidates(db, standing.eventId, input.coOrganisers ?? []),
  ]);
  for (const c of badCountries)
    problems.push(problem('countries', 'unknown_country', `countries: "${c}" is not a country`, { value: c }));
  for (const t of badThemes)
    problems.push(problem('themes', 'unknown_theme', `themes: "${t}" is not a theme`, { value: t }));
  for (const s of input.caseSlugs ?? [])
    if (!cases.has(s)) problems.push(problem('caseSlugs', 'unknown_case', `caseSlugs: no case "${s}"`, { value: s }));
  const byHandle = new Map(people.map((p) => [p.handle, p]));
  // The code and `params.value` let a client say which names were refused and why, in its own
  // words; `reason` and `value` stay beside them for clients written before codes.
  const REASONS = { unknown_member: 'unknown', invitation_declined: 'declined', cannot_organise: 'cannot_organise' };
  const refuse = (value: string, code: keyof typeof REASONS, message: string) =>
    problems.push({
      ...problem('coOrganisers', code, `coOrganisers: ${message}`, { value }),
      reason: REASONS[code],
      value,
    } as FieldProblem);
  for (const h of input.coOrganisers ?? []) {
    const person = byHandle.get(h);
    if (!person) refuse(h, 'unknown_member', `no member "${h}"`);
    else if (person.organiser || person.invitation === 'pending') continue;
    else if (person.id === standing.creatorId || person.id === standing.actorId) continue;
    else if (person.invitation === 'declined')
      refuse(h, 'invitation_declined', `"${h}" declined the invitation to co-organise this event`);
    else if (!CREATORS.includes(person.role as Role))
      refuse(h, 'cannot_organise', `"${h}" cannot organise events (only organisers and admins can)`);
  }
  if (problems.length) throw new AppError('rule_violation', problems.map((p) => p.message).join('; '), problems);
  return { caseIds: [...cases.values()], organiserIds: people.map((p) => p.id) };
}
