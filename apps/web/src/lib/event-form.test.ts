import { describe, expect, it } from 'vitest';
import type { EventDetail } from '@opsi/contracts/events';
import {
  changedOnly,
  checkEventForm,
  emptyEventForm,
  eventFormOf,
  formFieldOf,
  readEventForm,
  splitList,
  suggestSlug,
  type EventFormValues,
} from './event-form.ts';

function filled(overrides: Partial<EventFormValues> = {}): EventFormValues {
  return {
    ...emptyEventForm('Europe/Paris'),
    title: 'Service design clinic',
    startDate: '2027-01-12',
    startTime: '09:00',
    endDate: '2027-01-12',
    endTime: '17:00',
    mode: 'in_person',
    venue: 'Salle Marie Curie',
    ...overrides,
  };
}

const create = { create: true };

describe('readEventForm', () => {
  it('reads every field, trimmed, with lists and Windows line ends', () => {
    const data = new FormData();
    data.set('title', '  Clinic ');
    data.set('slug', 'My-Clinic');
    data.set('description', 'Line one\r\nLine two\r\n');
    data.set('startDate', '2027-01-12');
    data.append('countries', 'FR');
    data.append('countries', 'CA');
    data.append('themes', '');
    const values = readEventForm(data);
    expect(values.title).toBe('Clinic');
    expect(values.slug).toBe('my-clinic');
    expect(values.description).toBe('Line one\nLine two');
    expect(values.countries).toEqual(['FR', 'CA']);
    expect(values.themes).toEqual([]);
    expect(values.capacity).toBe('');
  });
});

describe('checkEventForm', () => {
  it('turns a complete form into the API body, times in UTC', () => {
    const { problems, body } = checkEventForm(
      filled({
        capacity: '2',
        countries: ['FR', 'FR'],
        cases: 'my-france-2022, /cases/other-case',
        coOrganisers: '@Ana-1 ben-2',
      }),
      create,
    );
    expect(problems).toEqual({});
    expect(body).toEqual({
      title: 'Service design clinic',
      description: '',
      startsAt: '2027-01-12T08:00:00.000Z',
      endsAt: '2027-01-12T16:00:00.000Z',
      timezone: 'Europe/Paris',
      mode: 'in_person',
      venue: 'Salle Marie Curie',
      address: '',
      onlineUrl: null,
      capacity: 2,
      rsvpDeadline: null,
      countries: ['FR'],
      themes: [],
      caseSlugs: ['my-france-2022', 'other-case'],
      coOrganisers: ['ana-1', 'ben-2'],
    });
  });

  it('reports every missing field of an empty form at once', () => {
    const { problems, body } = checkEventForm(emptyEventForm('Europe/Paris'), create);
    expect(body).toBeNull();
    expect(problems).toEqual({
      title: { code: 'missing' },
      start: { code: 'date_missing', part: 'date' },
      end: { code: 'date_missing', part: 'date' },
      mode: { code: 'missing' },
    });
  });

  it('refuses an end before (or at) the start', () => {
    const { problems } = checkEventForm(filled({ endTime: '08:00' }), create);
    expect(problems).toEqual({ end: { code: 'end_before_start' } });
    expect(checkEventForm(filled({ endTime: '09:00' }), create).problems.end).toEqual({ code: 'end_before_start' });
  });

  it('takes a missing end date as the start date', () => {
    const values = filled({ endDate: '' });
    const { body } = checkEventForm(values, create);
    expect(body?.endsAt).toBe('2027-01-12T16:00:00.000Z');
    expect(values.endDate).toBe('2027-01-12');
  });

  it('names the part of a moment that is wrong', () => {
    expect(checkEventForm(filled({ startTime: '' }), create).problems.start).toEqual({
      code: 'time_missing',
      part: 'time',
    });
    expect(checkEventForm(filled({ startDate: '2027-02-30' }), create).problems.start).toEqual({
      code: 'date_invalid',
      part: 'date',
    });
    expect(
      checkEventForm(filled({ startDate: '2027-03-28', endDate: '2027-03-28', startTime: '02:30' }), create).problems
        .start,
    ).toEqual({ code: 'time_skipped', part: 'time', time: '02:30', zone: 'Europe/Paris' });
  });

  it('needs a venue in person and in hybrid, not online, and sends only what the format uses', () => {
    expect(checkEventForm(filled({ venue: '' }), create).problems.venue).toEqual({ code: 'missing' });
    expect(checkEventForm(filled({ mode: 'hybrid', venue: '' }), create).problems.venue).toEqual({ code: 'missing' });
    const online = checkEventForm(
      filled({ mode: 'online', venue: 'Left over', address: 'Left over', onlineUrl: 'meet.example.org/room' }),
      create,
    );
    expect(online.problems).toEqual({});
    expect(online.body).toMatchObject({ venue: '', address: '', onlineUrl: 'https://meet.example.org/room' });
    const inPerson = checkEventForm(filled({ onlineUrl: 'https://meet.example.org/room' }), create);
    expect(inPerson.body?.onlineUrl).toBeNull();
  });

  it('checks the online link, the seats and the deadline', () => {
    expect(checkEventForm(filled({ mode: 'online', onlineUrl: 'not a link' }), create).problems.onlineUrl).toEqual({
      code: 'invalid',
    });
    for (const capacity of ['0', '-3', '1.5', 'ten', '100001'])
      expect(checkEventForm(filled({ capacity }), create).problems.capacity, capacity).toEqual({ code: 'invalid' });
    expect(checkEventForm(filled({ capacity: '1 000' }), create).body?.capacity).toBe(1000);
    expect(checkEventForm(filled({ capacity: '1,000' }), create).body?.capacity).toBe(1000);
    expect(checkEventForm(filled({ deadlineDate: '2027-01-12' }), create).problems.deadline).toEqual({
      code: 'time_missing',
      part: 'time',
    });
    expect(
      checkEventForm(filled({ deadlineDate: '2027-01-13', deadlineTime: '09:00' }), create).problems.deadline,
    ).toEqual({ code: 'deadline_after_end' });
    expect(
      checkEventForm(filled({ deadlineDate: '2027-01-10', deadlineTime: '18:00' }), create).body?.rsvpDeadline,
    ).toBe('2027-01-10T17:00:00.000Z');
  });

  it('checks the address only on the create form, and lists against the known choices', () => {
    expect(checkEventForm(filled({ slug: 'No spaces!' }), create).problems.slug).toEqual({ code: 'invalid' });
    expect(checkEventForm(filled({ slug: 'no spaces!' }), { create: false }).problems.slug).toBeUndefined();
    expect(checkEventForm(filled({ slug: 'my-clinic' }), create).body?.slug).toBe('my-clinic');
    // /events/new is the form itself.
    expect(checkEventForm(filled({ slug: 'new' }), create).problems.slug).toEqual({ code: 'reserved' });
    expect(checkEventForm(filled({ title: 'New!' }), create).problems.slug).toEqual({ code: 'reserved' });
    expect(checkEventForm(filled({ slug: 'my-clinic' }), { create: false }).body).not.toHaveProperty('slug');
    const known = { create: true, countries: new Set(['FR']), themes: new Set(['open-government']) };
    expect(checkEventForm(filled({ countries: ['XX'] }), known).problems.countries).toEqual({ code: 'invalid' });
    expect(checkEventForm(filled({ themes: ['nope'] }), known).problems.themes).toEqual({ code: 'invalid' });
    expect(
      checkEventForm(filled({ timezone: 'Mars/Base' }), { create: true, zones: new Set(['UTC']) }).problems,
    ).toMatchObject({ timezone: { code: 'invalid' } });
    expect(checkEventForm(filled({ cases: 'ok-case, Not A Slug!' }), create).problems.cases).toEqual({
      code: 'bad_entries',
      entries: ['A', 'Slug!'],
    });
    expect(checkEventForm(filled({ coOrganisers: 'ana, x' }), create).problems.coOrganisers).toEqual({
      code: 'bad_entries',
      entries: ['x'],
    });
  });
});

describe('changedOnly', () => {
  it('leaves out the moments as they were, so an event is not moved by its seconds', () => {
    const before = filled({ deadlineDate: '2027-01-10', deadlineTime: '18:00' });
    const after = { ...before, title: 'New title', endTime: '18:00' };
    const { body } = checkEventForm(after, { create: false });
    const patch = changedOnly(body!, after, before);
    expect(patch).not.toHaveProperty('startsAt');
    expect(patch).not.toHaveProperty('rsvpDeadline');
    expect(patch).not.toHaveProperty('slug');
    expect(patch).toMatchObject({ title: 'New title', endsAt: '2027-01-12T17:00:00.000Z' });
    // Another zone moves every moment, even at the same clock times.
    const moved = { ...before, timezone: 'Europe/London' };
    const all = changedOnly(checkEventForm(moved, { create: false }).body!, moved, before);
    expect(all).toMatchObject({
      startsAt: '2027-01-12T09:00:00.000Z',
      endsAt: '2027-01-12T17:00:00.000Z',
      rsvpDeadline: '2027-01-10T18:00:00.000Z',
      timezone: 'Europe/London',
    });
  });
});

describe('helpers', () => {
  it('suggests an address from a title', () => {
    expect(suggestSlug('Atelier d’été : 2027!')).toBe('atelier-d-ete-2027');
    expect(suggestSlug('A')).toBe('');
    expect(suggestSlug('x'.repeat(60)).length).toBe(40);
  });

  it('splits lists typed in any way', () => {
    expect(splitList('a, b;c\nd  a')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('maps the API’s field names to the form’s', () => {
    expect(formFieldOf('endsAt')).toBe('end');
    expect(formFieldOf('caseSlugs')).toBe('cases');
    expect(formFieldOf('countries.0')).toBe('countries');
    expect(formFieldOf('body')).toBeNull();
  });

  it('fills the edit form from an event, on its own clocks', () => {
    const values = eventFormOf({
      slug: 'clinic',
      title: 'Clinic',
      description: 'About',
      startsAt: '2027-07-01T07:00:00.000Z',
      endsAt: '2027-07-01T15:30:00.000Z',
      timezone: 'Europe/Paris',
      mode: 'hybrid',
      venue: 'Salle 1',
      address: '2 rue André Pascal',
      onlineUrl: 'https://meet.example.org/x',
      capacity: null,
      rsvpDeadline: '2027-06-30T20:00:00.000Z',
      countries: ['FR'],
      themes: ['open-government'],
      cases: [{ slug: 'a-case', title: 'A case' }],
      organiser: { handle: 'olga', displayName: 'Olga' },
      organisers: [
        { handle: 'olga', displayName: 'Olga' },
        { handle: 'ana', displayName: 'Ana' },
      ],
    } as EventDetail);
    expect(values).toMatchObject({
      startDate: '2027-07-01',
      startTime: '09:00',
      endTime: '17:30',
      deadlineDate: '2027-06-30',
      deadlineTime: '22:00',
      capacity: '',
      cases: 'a-case',
      coOrganisers: 'ana',
    });
  });

  it('keeps those invited to co-organise in the edit form (left out, their invitation would go)', () => {
    const values = eventFormOf({
      slug: 'clinic',
      title: 'Clinic',
      startsAt: '2027-07-01T07:00:00.000Z',
      endsAt: '2027-07-01T15:30:00.000Z',
      timezone: 'Europe/Paris',
      mode: 'online',
      venue: '',
      address: '',
      capacity: null,
      rsvpDeadline: null,
      countries: [],
      themes: [],
      cases: [],
      organiser: { handle: 'olga', displayName: 'Olga' },
      organisers: [
        { handle: 'olga', displayName: 'Olga' },
        { handle: 'ana', displayName: 'Ana' },
      ],
      pendingOrganisers: [{ handle: 'ben', displayName: 'Ben' }],
    } as unknown as EventDetail);
    expect(values.coOrganisers).toBe('ana, ben');
  });
});
