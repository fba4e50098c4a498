/**
 * The event form (/events/new and /events/[slug]/edit): its fields as typed, the checks made
 * before calling the API (the limits of NewEvent / EventPatch in @opsi/contracts/events and the
 * rules of the events service), and the request body. No UI text here: problems are codes that
 * `#lib/server/event-form.ts` puts into words, so this stays testable and shared with the browser.
 */
import { HANDLE_PATTERN } from '@opsi/contracts/accounts';
import { EVENT_DESCRIPTION_MAX, EventModes, type EventDetail, type EventMode } from '@opsi/contracts/events';
import { slugify } from '@opsi/common/slug';
import { utcToZoned, zonedToUtc } from '@opsi/common/zones';

export const EVENT_LIMITS = {
  title: 200,
  description: EVENT_DESCRIPTION_MAX,
  venue: 200,
  address: 500,
  onlineUrl: 500,
  capacity: 100_000,
  countries: 20,
  themes: 10,
  cases: 20,
  coOrganisers: 20,
} as const;

const SLUG = /^[a-z0-9-]{2,40}$/;
const HANDLE = new RegExp(HANDLE_PATTERN);
const COUNTRY = /^[A-Z]{2}$/;
/** Addresses the site's own pages use (/events/new is the form, not an event). */
const RESERVED = new Set(['new']);

/** Everything as typed, so a refused form comes back exactly as it was sent. */
export interface EventFormValues {
  title: string;
  slug: string;
  description: string;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  timezone: string;
  mode: string;
  venue: string;
  address: string;
  onlineUrl: string;
  capacity: string;
  deadlineDate: string;
  deadlineTime: string;
  countries: string[];
  themes: string[];
  /** Case addresses (slugs), separated by commas, spaces or lines. */
  cases: string;
  /** Handles, separated by commas, spaces or lines; "@" allowed. */
  coOrganisers: string;
}

/** The form's fields as problems name them (a date and its time are one field). */
export const EVENT_FIELDS = [
  'title',
  'slug',
  'description',
  'start',
  'end',
  'timezone',
  'mode',
  'venue',
  'address',
  'onlineUrl',
  'capacity',
  'deadline',
  'countries',
  'themes',
  'cases',
  'coOrganisers',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];
export type MomentField = 'start' | 'end' | 'deadline';

export type EventProblem =
  | { code: 'missing' }
  | { code: 'too_long'; max: number }
  | { code: 'invalid' }
  | { code: 'reserved' }
  | { code: 'too_many'; max: number }
  /** A date or a time of a moment: missing, unreadable, or skipped by the clocks of `zone`. */
  | { code: 'date_missing' | 'time_missing' | 'date_invalid' | 'time_invalid'; part: 'date' | 'time' }
  | { code: 'time_skipped'; part: 'time'; time: string; zone: string }
  | { code: 'end_before_start' }
  | { code: 'deadline_after_end' }
  /** Entries of a list that cannot be slugs or handles. */
  | { code: 'bad_entries'; entries: string[] };

export type EventProblems = Partial<Record<EventField, EventProblem>>;

/** Which input of a date-and-time pair is wrong (the summary links to it; both when absent). */
export type MomentParts = Partial<Record<MomentField, 'date' | 'time'>>;

/** The body for POST /api/v1/events (PATCH takes the same without `slug`). */
export interface EventBody {
  title: string;
  slug?: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  mode: EventMode;
  venue: string;
  address: string;
  onlineUrl: string | null;
  capacity: number | null;
  rsvpDeadline: string | null;
  countries: string[];
  themes: string[];
  caseSlugs: string[];
  coOrganisers: string[];
}

/** Characters as people count them (an emoji is one). */
function length(value: string): number {
  return [...value].length;
}

function field(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function all(data: FormData, name: string): string[] {
  return data.getAll(name).filter((value): value is string => typeof value === 'string' && value !== '');
}

export function readEventForm(data: FormData): EventFormValues {
  const description = data.get('description');
  return {
    title: field(data, 'title'),
    slug: field(data, 'slug').toLowerCase(),
    description: typeof description === 'string' ? description.replace(/\r\n?/g, '\n').trim() : '',
    startDate: field(data, 'startDate'),
    startTime: field(data, 'startTime'),
    endDate: field(data, 'endDate'),
    endTime: field(data, 'endTime'),
    timezone: field(data, 'timezone'),
    mode: field(data, 'mode'),
    venue: field(data, 'venue'),
    address: field(data, 'address'),
    onlineUrl: field(data, 'onlineUrl'),
    capacity: field(data, 'capacity'),
    deadlineDate: field(data, 'deadlineDate'),
    deadlineTime: field(data, 'deadlineTime'),
    countries: all(data, 'countries'),
    themes: all(data, 'themes'),
    cases: field(data, 'cases'),
    coOrganisers: field(data, 'coOrganisers'),
  };
}

/** A new event's form: nothing typed yet, in the viewer's zone. */
export function emptyEventForm(zone: string): EventFormValues {
  return {
    title: '',
    slug: '',
    description: '',
    startDate: '',
    startTime: '',
    endDate: '',
    endTime: '',
    timezone: zone,
    mode: '',
    venue: '',
    address: '',
    onlineUrl: '',
    capacity: '',
    deadlineDate: '',
    deadlineTime: '',
    countries: [],
    themes: [],
    cases: '',
    coOrganisers: '',
  };
}

/** The edit form of an event, times on the clocks of its zone. */
export function eventFormOf(event: EventDetail): EventFormValues {
  const start = utcToZoned(event.startsAt, event.timezone);
  const end = utcToZoned(event.endsAt, event.timezone);
  const deadline = event.rsvpDeadline ? utcToZoned(event.rsvpDeadline, event.timezone) : null;
  return {
    title: event.title,
    slug: event.slug,
    description: event.description,
    startDate: start?.date ?? '',
    startTime: start?.time ?? '',
    endDate: end?.date ?? '',
    endTime: end?.time ?? '',
    timezone: event.timezone,
    mode: event.mode,
    venue: event.venue,
    address: event.address,
    onlineUrl: event.onlineUrl ?? '',
    capacity: event.capacity === null ? '' : String(event.capacity),
    deadlineDate: deadline?.date ?? '',
    deadlineTime: deadline?.time ?? '',
    countries: event.countries,
    themes: event.themes,
    cases: event.cases.map((item) => item.slug).join(', '),
    // The creator always stays an organiser: the others are the co-organisers, and those invited
    // who have not answered yet (left out, their invitation would be withdrawn).
    coOrganisers: [...event.organisers, ...(event.pendingOrganisers ?? [])]
      .filter((person) => person.handle !== event.organiser.handle)
      .map((person) => person.handle)
      .join(', '),
  };
}

/** A suggested address for a title: "Atelier d’été 2027" → "atelier-d-ete-2027" ('' when too short). */
export function suggestSlug(title: string): string {
  const slug = slugify(title);
  return slug.length >= 2 ? slug : '';
}

/** A list as people type it: commas, spaces or lines between entries, each one once. */
export function splitList(value: string): string[] {
  return [...new Set(value.split(/[\s,;]+/).filter(Boolean))];
}

/** A case's address from its slug, its path or its whole URL (/cases/my-case → my-case). */
function caseSlugOf(entry: string): string {
  const path = entry.replace(/[?#].*/s, '').replace(/(?<!\/)\/+$/, '');
  return (path.split('/').pop() ?? path).toLowerCase();
}

/** A web address as people type it: "meet.example.org/x" means https://meet.example.org/x. */
export function normaliseLink(value: string): string {
  if (!value || /^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  return `https://${value.replace(/^\/+/, '')}`;
}

function isWebLink(value: string): boolean {
  if (length(value) > EVENT_LIMITS.onlineUrl || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** A date and a time on the zone's clocks as an instant, or the problem with them. */
function moment(
  date: string,
  time: string,
  zone: string | null,
  optional: boolean,
): { iso: string | null; problem?: EventProblem } {
  if (!date && !time) return optional ? { iso: null } : { iso: null, problem: { code: 'date_missing', part: 'date' } };
  if (!date) return { iso: null, problem: { code: 'date_missing', part: 'date' } };
  if (!time) return { iso: null, problem: { code: 'time_missing', part: 'time' } };
  if (!zone) return { iso: null };
  const result = zonedToUtc(date, time, zone);
  if (result.ok) return { iso: result.iso };
  if (result.reason === 'date') return { iso: null, problem: { code: 'date_invalid', part: 'date' } };
  if (result.reason === 'time') return { iso: null, problem: { code: 'time_invalid', part: 'time' } };
  if (result.reason === 'skipped') return { iso: null, problem: { code: 'time_skipped', part: 'time', time, zone } };
  return { iso: null };
}

export interface CheckOptions {
  /** The create form has an address (slug) field; the edit form does not. */
  create: boolean;
  /** Valid choices, when known (the reference data): anything else is refused. */
  zones?: ReadonlySet<string>;
  countries?: ReadonlySet<string>;
  themes?: ReadonlySet<string>;
}

/**
 * Every problem of the form at once, and the API body when there is none. A missing end date
 * is the start's (an event on one day; it is filled in `values` too, so the form shows it); fields of another format are not sent (an online event
 * has no venue, an event in person no online link).
 */
export function checkEventForm(
  values: EventFormValues,
  options: CheckOptions,
): { problems: EventProblems; body: EventBody | null } {
  const problems: EventProblems = {};
  if (!values.title) problems.title = { code: 'missing' };
  else if (length(values.title) > EVENT_LIMITS.title) problems.title = { code: 'too_long', max: EVENT_LIMITS.title };
  if (options.create && values.slug && !SLUG.test(values.slug)) problems.slug = { code: 'invalid' };
  else if (options.create && RESERVED.has(values.slug || suggestSlug(values.title)))
    problems.slug = { code: 'reserved' };
  if (length(values.description) > EVENT_LIMITS.description)
    problems.description = { code: 'too_long', max: EVENT_LIMITS.description };

  const zoneOk = values.timezone !== '' && (options.zones ? options.zones.has(values.timezone) : true);
  if (!zoneOk) problems.timezone = values.timezone ? { code: 'invalid' } : { code: 'missing' };
  const zone = zoneOk ? values.timezone : null;
  if (!values.endDate && values.endTime && values.startDate) values.endDate = values.startDate;
  const start = moment(values.startDate, values.startTime, zone, false);
  const end = moment(values.endDate, values.endTime, zone, false);
  const deadline = moment(values.deadlineDate, values.deadlineTime, zone, true);
  if (start.problem) problems.start = start.problem;
  if (end.problem) problems.end = end.problem;
  else if (start.iso && end.iso && Date.parse(end.iso) <= Date.parse(start.iso))
    problems.end = { code: 'end_before_start' };
  if (deadline.problem) problems.deadline = deadline.problem;
  else if (deadline.iso && end.iso && Date.parse(deadline.iso) > Date.parse(end.iso))
    problems.deadline = { code: 'deadline_after_end' };

  const mode = EventModes.find((value) => value === values.mode);
  if (!mode) problems.mode = values.mode ? { code: 'invalid' } : { code: 'missing' };
  const inPerson = mode !== 'online';
  const online = mode !== 'in_person';
  if (inPerson && mode && !values.venue) problems.venue = { code: 'missing' };
  else if (inPerson && length(values.venue) > EVENT_LIMITS.venue)
    problems.venue = { code: 'too_long', max: EVENT_LIMITS.venue };
  if (inPerson && length(values.address) > EVENT_LIMITS.address)
    problems.address = { code: 'too_long', max: EVENT_LIMITS.address };
  const onlineUrl = online ? normaliseLink(values.onlineUrl) : '';
  if (onlineUrl && !isWebLink(onlineUrl)) problems.onlineUrl = { code: 'invalid' };

  let capacity: number | null = null;
  if (values.capacity) {
    // "1 000" and "1,000" as people write thousands; never "1.5".
    const plain = values.capacity.replace(/\s/g, '');
    const digits = /^\d{1,3}(?:,\d{3})+$/.test(plain) ? plain.replaceAll(',', '') : plain;
    capacity = /^\d{1,6}$/.test(digits) ? Number(digits) : NaN;
    if (!(capacity >= 1 && capacity <= EVENT_LIMITS.capacity)) problems.capacity = { code: 'invalid' };
  }

  const countries = [...new Set(values.countries)];
  if (countries.some((code) => !COUNTRY.test(code) || (options.countries && !options.countries.has(code))))
    problems.countries = { code: 'invalid' };
  else if (countries.length > EVENT_LIMITS.countries)
    problems.countries = { code: 'too_many', max: EVENT_LIMITS.countries };
  const themes = [...new Set(values.themes)];
  if (themes.some((slug) => !SLUG.test(slug) || (options.themes && !options.themes.has(slug))))
    problems.themes = { code: 'invalid' };
  else if (themes.length > EVENT_LIMITS.themes) problems.themes = { code: 'too_many', max: EVENT_LIMITS.themes };

  const entries = splitList(values.cases);
  const caseSlugs = [...new Set(entries.map(caseSlugOf))];
  const badCases = entries.filter((entry) => !SLUG.test(caseSlugOf(entry)));
  if (badCases.length) problems.cases = { code: 'bad_entries', entries: badCases };
  else if (caseSlugs.length > EVENT_LIMITS.cases) problems.cases = { code: 'too_many', max: EVENT_LIMITS.cases };
  const handles = splitList(values.coOrganisers.toLowerCase()).map((entry) => entry.replace(/^@/, ''));
  const coOrganisers = [...new Set(handles)];
  const badHandles = coOrganisers.filter((handle) => !HANDLE.test(handle));
  if (badHandles.length) problems.coOrganisers = { code: 'bad_entries', entries: badHandles };
  else if (coOrganisers.length > EVENT_LIMITS.coOrganisers)
    problems.coOrganisers = { code: 'too_many', max: EVENT_LIMITS.coOrganisers };

  if (Object.keys(problems).length > 0 || !mode || !zone || !start.iso || !end.iso) return { problems, body: null };
  return {
    problems,
    body: {
      title: values.title,
      ...(options.create && values.slug ? { slug: values.slug } : {}),
      description: values.description,
      startsAt: start.iso,
      endsAt: end.iso,
      timezone: zone,
      mode,
      venue: inPerson ? values.venue : '',
      address: inPerson ? values.address : '',
      onlineUrl: onlineUrl || null,
      capacity,
      rsvpDeadline: deadline.iso,
      countries,
      themes,
      caseSlugs,
      coOrganisers,
    },
  };
}

/**
 * The edit to send: the body without the moments whose date, time and zone are as they were.
 * The form shows minutes, so sending them back could move an event by its seconds, and tell
 * everyone it moved.
 */
export function changedOnly(body: EventBody, values: EventFormValues, before: EventFormValues): Partial<EventBody> {
  const { slug: _slug, ...patch }: Partial<EventBody> = { ...body };
  const same = (date: 'startDate' | 'endDate' | 'deadlineDate', time: 'startTime' | 'endTime' | 'deadlineTime') =>
    values[date] === before[date] && values[time] === before[time] && values.timezone === before.timezone;
  if (same('startDate', 'startTime')) delete patch.startsAt;
  if (same('endDate', 'endTime')) delete patch.endsAt;
  if (same('deadlineDate', 'deadlineTime')) delete patch.rsvpDeadline;
  return patch;
}

/** The form field an API problem is about (`details[].field` of a 400 or 422). */
export function formFieldOf(apiField: string): EventField | null {
  const name = apiField.split('.')[0] ?? apiField;
  const byApi: Record<string, EventField> = {
    startsAt: 'start',
    endsAt: 'end',
    rsvpDeadline: 'deadline',
    caseSlugs: 'cases',
  };
  const known = byApi[name] ?? name;
  return (EVENT_FIELDS as readonly string[]).includes(known) ? (known as EventField) : null;
}
