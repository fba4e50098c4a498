/**
 * The zone worker formats a page's event times in the viewer's zone (zoneTexts); the page then
 * shows them by looking them up. These tests hold that what the worker makes is everything the
 * cards and the event page need: with its texts kept, they come out the same with no date
 * formatter made at all.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventTimes, ZoneQuestion } from './event-time.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

const paris: EventTimes = {
  startsAt: '2027-01-12T08:00:00.000Z',
  endsAt: '2027-01-12T16:00:00.000Z',
  timezone: 'Europe/Paris',
};
const brussels: EventTimes = { ...paris, timezone: 'Europe/Brussels' };
const lateLondon: EventTimes = {
  startsAt: '2027-01-28T23:45:00.000Z',
  endsAt: '2027-01-29T01:00:00.000Z',
  timezone: 'Europe/London',
};
const twoDays: EventTimes = {
  startsAt: '2027-03-01T14:00:00.000Z',
  endsAt: '2027-03-02T22:00:00.000Z',
  timezone: 'America/Toronto',
};
const events = [paris, brussels, lateLondon, twoDays];

/** What the cards and the page show, formatted as usual (a fresh module: nothing kept). */
async function shown(zone: string, formatLocale: string) {
  const { cardTime, viewerTime } = await import('./event-time.ts');
  return events.map((event) => ({
    card: cardTime(event, zone, formatLocale),
    page: viewerTime(event, zone, formatLocale),
  }));
}

describe('zoneTexts', () => {
  for (const [zone, formatLocale] of [
    ['Asia/Tokyo', 'en-GB'],
    ['Europe/Paris', 'fr-FR'],
    ['UTC', 'en-US'],
  ] as const) {
    it(`makes every text the cards and the event page show in ${zone} (${formatLocale})`, async () => {
      const expected = await shown(zone, formatLocale);
      vi.resetModules();

      const worker = await import('./event-time.ts');
      const question: ZoneQuestion = { formatLocale, cards: events, pages: events };
      const formats = worker.zoneTexts(question, zone);
      expect(formats.length).toBeGreaterThan(0);
      vi.resetModules();

      // The page: nothing left by the server, the worker's texts kept, and no formatter may be made.
      vi.stubGlobal('document', { getElementById: () => null });
      const { keepFormats } = await import('./intl.ts');
      const page = await import('./event-time.ts');
      keepFormats(formats);
      const made = vi.fn();
      vi.stubGlobal('Intl', {
        ...Intl,
        DateTimeFormat: new Proxy(Intl.DateTimeFormat, {
          construct(target, args) {
            made(args);
            return Reflect.construct(target, args) as object;
          },
        }),
      });
      const got = events.map((event) => ({
        card: page.cardTime(event, zone, formatLocale),
        page: page.viewerTime(event, zone, formatLocale),
      }));
      expect(got).toEqual(expected);
      expect(made).not.toHaveBeenCalled();
    });
  }

  it('says when the viewer’s clocks agree with the venue’s, and names the viewer’s zone when not', async () => {
    const { cardTime, viewerTime } = await import('./event-time.ts');
    expect(viewerTime(paris, null, 'en-GB')).toBeNull();
    expect(viewerTime(paris, 'Europe/Brussels', 'en-GB')).toEqual({ same: true });
    expect(viewerTime(paris, 'Asia/Tokyo', 'en-GB')).toEqual({
      same: false,
      time: 'Tuesday, 12 January 2027 at 17:00 GMT+9\u2009–\u2009Wednesday, 13 January 2027 at 01:00 GMT+9',
      zone: 'Japan Standard Time',
    });
    expect(cardTime(paris, 'Europe/Brussels', 'en-GB')).toEqual({
      when: 'Tue, 12 Jan 2027, 09:00–17:00 CET',
      venue: null,
    });
    expect(cardTime(lateLondon, 'Asia/Tokyo', 'en-GB').venue).toBe('Thu 28 Jan, 23:45 GMT');
  });
});
