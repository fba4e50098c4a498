import { describe, expect, it } from 'vitest';
import { timeAgo } from './time-ago.ts';

const now = Date.parse('2026-03-10T12:00:00Z');

describe('timeAgo', () => {
  it('says how long ago in the largest whole unit', () => {
    expect(timeAgo('2026-03-10T11:59:30Z', now, 'en-GB')).toBe('now');
    expect(timeAgo('2026-03-10T11:55:00Z', now, 'en-GB')).toBe('5 minutes ago');
    expect(timeAgo('2026-03-10T09:00:00Z', now, 'en-GB')).toBe('3 hours ago');
    expect(timeAgo('2026-03-09T10:00:00Z', now, 'en-GB')).toBe('yesterday');
    expect(timeAgo('2026-03-06T12:00:00Z', now, 'en-GB')).toBe('4 days ago');
    expect(timeAgo('2026-02-20T12:00:00Z', now, 'en-GB')).toBe('2 weeks ago');
    expect(timeAgo('2025-12-01T12:00:00Z', now, 'en-GB')).toBe('3 months ago');
    expect(timeAgo('2023-01-01T12:00:00Z', now, 'en-GB')).toBe('3 years ago');
  });

  it('speaks French', () => {
    expect(timeAgo('2026-03-10T09:00:00Z', now, 'fr-FR')).toBe('il y a 3 heures');
    expect(timeAgo('2026-03-09T10:00:00Z', now, 'fr-FR')).toBe('hier');
  });

  it('reads a clock slightly ahead as now, and leaves an unreadable date as it is', () => {
    expect(timeAgo('2026-03-10T12:00:20Z', now, 'en-GB')).toBe('now');
    expect(timeAgo('not a date', now, 'en-GB')).toBe('not a date');
  });
});
