import { describe, expect, it } from 'vitest';
import {
  activeEventFilterCount,
  EVENT_PAGE_SIZE,
  eventFilterParams,
  eventListQuery,
  eventsPath,
  NO_EVENT_FILTERS,
  parseEventCursor,
  parseEventFilters,
} from './event-query.ts';

const parse = (search: string) => parseEventFilters(new URLSearchParams(search));

describe('parseEventFilters', () => {
  it('defaults to upcoming events with no filter', () => {
    expect(parse('')).toEqual(NO_EVENT_FILTERS);
  });

  it('reads past events, a country, a theme and a format', () => {
    expect(parse('when=past&country=fr&theme=Service-Design&mode=hybrid')).toEqual({
      when: 'past',
      country: 'FR',
      theme: 'service-design',
      mode: 'hybrid',
    });
  });

  it('drops what the API would reject instead of failing', () => {
    expect(parse('when=soon&country=FRA&theme=a&mode=virtual')).toEqual(NO_EVENT_FILTERS);
    expect(parse('country=&theme=&mode=')).toEqual(NO_EVENT_FILTERS);
  });
});

describe('eventFilterParams and eventsPath', () => {
  it('leaves out defaults and keeps a stable order', () => {
    expect(eventFilterParams(NO_EVENT_FILTERS).toString()).toBe('');
    expect(eventsPath()).toBe('/events');
    expect(eventsPath({ mode: 'online', country: 'BR', when: 'past' })).toBe(
      '/events?when=past&country=BR&mode=online',
    );
  });

  it('round-trips through the URL', () => {
    const filters = parse('mode=in_person&theme=digital-government&country=EE');
    expect(parse(eventFilterParams(filters).toString())).toEqual(filters);
  });

  it('adds the cursor for the next page, and the page size for the API', () => {
    expect(eventsPath({ country: 'FR' }, 'abc')).toBe('/events?country=FR&cursor=abc');
    expect(eventListQuery({ ...NO_EVENT_FILTERS, when: 'past' }, 'abc').toString()).toBe(
      `when=past&cursor=abc&limit=${EVENT_PAGE_SIZE}`,
    );
  });
});

describe('parseEventCursor', () => {
  it('accepts a plausible cursor only', () => {
    expect(parseEventCursor(new URLSearchParams('cursor=eyJ4IjoxfQ'))).toBe('eyJ4IjoxfQ');
    expect(parseEventCursor(new URLSearchParams(''))).toBeNull();
    expect(parseEventCursor(new URLSearchParams(`cursor=${'x'.repeat(201)}`))).toBeNull();
  });
});

describe('activeEventFilterCount', () => {
  it('counts country, theme and format, not upcoming or past', () => {
    expect(activeEventFilterCount(parse('when=past'))).toBe(0);
    expect(activeEventFilterCount(parse('country=FR&mode=online'))).toBe(2);
  });
});
