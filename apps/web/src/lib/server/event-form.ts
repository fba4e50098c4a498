/**
 * Server side of the event form: the problems `#lib/event-form.ts` finds, and the API's
 * refusals (400 and 422 `details[].field`, 409 for a taken address), as messages next to the
 * fields, in the UI language.
 */
import { apiFor, type ApiCaller } from '#lib/api/client.ts';
import type { ProblemCode } from '@opsi/contracts/common';
import { ApiError, type Problem } from '#lib/api/problem.ts';
import {
  EVENT_LIMITS,
  formFieldOf,
  type EventField,
  type EventProblem,
  type EventProblems,
  type MomentField,
  type MomentParts,
} from '#lib/event-form.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { zoneCity } from '#lib/event-time.ts';
import { m } from '#lib/paraglide/messages.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { Locale } from '#lib/i18n.ts';
import { formProblem } from '#lib/server/forms.ts';
import { referenceChoices } from '#lib/server/reference.ts';
import { timeZoneChoices } from '@opsi/common/zones';

export interface EventFormErrors {
  errors: FieldErrors;
  parts: MomentParts;
}

/** 20,000 in English, 20 000 in French. */
const number = (value: number) => value.toLocaleString(getLocale() === 'fr' ? 'fr-FR' : 'en-GB');

function momentMessage(field: MomentField, problem: EventProblem): string {
  switch (problem.code) {
    case 'date_missing':
      if (field === 'start') return m.eventform_start_date_missing();
      return field === 'end' ? m.eventform_end_date_missing() : m.eventform_deadline_date_missing();
    case 'time_missing':
      if (field === 'start') return m.eventform_start_time_missing();
      return field === 'end' ? m.eventform_end_time_missing() : m.eventform_deadline_time_missing();
    case 'date_invalid':
      return m.eventform_date_invalid();
    case 'time_invalid':
      return m.eventform_time_invalid();
    case 'time_skipped':
      return m.eventform_time_skipped({ time: problem.time, zone: zoneCity(problem.zone) });
    case 'end_before_start':
      return m.eventform_end_before_start();
    case 'deadline_after_end':
      return m.eventform_deadline_after_end();
    default:
      return m.form_field_invalid();
  }
}

/** One problem of one field, in words. */
export function problemMessage(field: EventField, problem: EventProblem): string {
  if (problem.code === 'too_long') return m.field_too_long({ max: number(problem.max) });
  switch (field) {
    case 'title':
      return m.eventform_title_missing();
    case 'slug':
      return problem.code === 'reserved' ? m.eventform_slug_reserved() : m.eventform_slug_invalid();
    case 'start':
    case 'end':
    case 'deadline':
      return momentMessage(field, problem);
    case 'timezone':
      return m.eventform_timezone_invalid();
    case 'mode':
      return m.eventform_mode_missing();
    case 'venue':
      return m.eventform_venue_missing();
    case 'onlineUrl':
      return m.field_link_invalid();
    case 'capacity':
      return m.eventform_capacity_invalid({ max: number(EVENT_LIMITS.capacity) });
    case 'countries':
      return problem.code === 'too_many'
        ? m.eventform_countries_too_many({ max: problem.max })
        : m.eventform_countries_invalid();
    case 'themes':
      return problem.code === 'too_many' ? m.field_themes_too_many({ max: problem.max }) : m.field_themes_invalid();
    case 'cases':
      if (problem.code === 'too_many') return m.eventform_cases_too_many({ max: problem.max });
      return m.eventform_cases_invalid({ list: problem.code === 'bad_entries' ? problem.entries.join(', ') : '' });
    case 'coOrganisers':
      if (problem.code === 'too_many') return m.eventform_coorganisers_too_many({ max: problem.max });
      return m.eventform_coorganisers_invalid({
        list: problem.code === 'bad_entries' ? problem.entries.join(', ') : '',
      });
    default:
      return m.form_field_invalid();
  }
}

export function eventFormErrors(problems: EventProblems): EventFormErrors {
  const errors: FieldErrors = {};
  const parts: MomentParts = {};
  for (const [field, problem] of Object.entries(problems) as [EventField, EventProblem][]) {
    errors[field] = problemMessage(field, problem);
    if ((field === 'start' || field === 'end' || field === 'deadline') && 'part' in problem)
      parts[field] = problem.part;
  }
  return { errors, parts };
}

/** The values the API refused (each problem's `params.value`), as a list: `x, y`. */
function valuesOf(problems: Problem[]): string {
  return problems
    .map((problem) => problem.params?.value)
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .join(', ');
}

/**
 * The co-organisers the API refused, by the problem's code (the handle in `params.value`): no
 * such member, a member who cannot organise events, one who declined this event's invitation.
 */
function coOrganisersMessage(problems: Problem[]): string | undefined {
  const byCode = (code: ProblemCode) => valuesOf(problems.filter((problem) => problem.code === code));
  const unknown = byCode('unknown_member');
  const cannot = byCode('cannot_organise');
  const declined = byCode('invitation_declined');
  const said = [
    unknown ? m.eventform_coorganisers_unknown({ list: unknown }) : '',
    cannot ? m.eventform_coorganisers_cannot({ list: cannot }) : '',
    declined ? m.eventform_coorganisers_declined({ list: declined }) : '',
  ].filter(Boolean);
  return said.length ? said.join('. ') : undefined;
}

/** An API refusal as messages next to the fields, or one message for the whole form. */
export function eventApiProblem(error: unknown): { status: number; alert: string | null } & EventFormErrors {
  const details = error instanceof ApiError ? error.problems : [];
  const about = (name: string) => details.filter((problem) => problem.field.split('.')[0] === name);
  const problem = formProblem(error, ({ field, code, params }) => {
    const name = field.split('.')[0];
    if (name === 'slug') return code === 'taken' ? m.eventform_slug_taken() : m.eventform_slug_invalid();
    if (name === 'endsAt') return m.eventform_end_before_start();
    if (name === 'rsvpDeadline') return m.eventform_deadline_after_end();
    if (name === 'venue') return m.eventform_venue_missing();
    if (name === 'timezone') return m.eventform_timezone_invalid();
    if (name === 'onlineUrl') return m.field_link_invalid();
    if (name === 'countries') return m.eventform_countries_invalid();
    if (name === 'themes') return m.field_themes_invalid();
    if (name === 'caseSlugs') {
      const unknown = valuesOf(about('caseSlugs').filter((said) => said.code === 'unknown_case'));
      return unknown ? m.eventform_cases_unknown({ list: unknown }) : undefined;
    }
    if (name === 'coOrganisers') return coOrganisersMessage(about('coOrganisers'));
    if (name === 'capacity' && code === 'capacity_below_going' && typeof params?.going === 'number')
      return m.eventform_capacity_below({ count: params.going });
    return undefined;
  });
  // The event was cancelled meanwhile (409, the status named): it can no longer be edited.
  if (about('status').some((said) => said.code === 'event_cancelled')) {
    return { status: 409, errors: {}, parts: {}, alert: m.eventform_edit_cancelled() };
  }
  const errors: FieldErrors = {};
  let alert = problem.alert;
  for (const [name, message] of Object.entries(problem.errors)) {
    const field = formFieldOf(name);
    if (field) errors[field] ??= message;
    else alert ??= m.form_failed();
  }
  // A taken address that the API made from the title (no slug given): there is a field for it.
  if (error instanceof ApiError && error.code === 'conflict' && !errors.slug) {
    errors.slug = m.eventform_slug_taken();
    alert = null;
  }
  return { status: problem.status, errors, parts: {}, alert };
}

export interface Option {
  value: string;
  label: string;
}

/** What the form offers: countries and themes by name in the UI language, and the time zones. */
export async function eventFormChoices(caller: ApiCaller, locale: Locale, ...zones: string[]) {
  const { countries, themes } = await referenceChoices(apiFor(caller), locale);
  return { countries, themes, zones: timeZoneChoices(...zones) };
}

/** The choices the form's checks accept (a refused form gets the same lists back). */
export function knownChoices(choices: Awaited<ReturnType<typeof eventFormChoices>>) {
  return {
    zones: new Set(choices.zones),
    countries: new Set(choices.countries.map((country) => country.value)),
    themes: new Set(choices.themes.map((theme) => theme.value)),
  };
}
