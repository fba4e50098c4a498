import { describe, expect, it } from 'vitest';
import { availability, rsvpOptions, seatsLeft } from './event-status.ts';

const now = new Date('2027-01-01T12:00:00Z').getTime();
const base = {
  status: 'published' as const,
  startsAt: '2027-01-12T08:00:00Z',
  endsAt: '2027-01-12T16:00:00Z',
  rsvpDeadline: null,
  capacity: 2,
  goingCount: 0,
  waitlistCount: 0,
  rsvpOpen: true,
};

describe('seatsLeft', () => {
  it('counts seats, never below zero, and none without a capacity', () => {
    expect(seatsLeft({ capacity: 2, goingCount: 1 })).toBe(1);
    expect(seatsLeft({ capacity: 2, goingCount: 3 })).toBe(0);
    expect(seatsLeft({ capacity: null, goingCount: 40 })).toBeNull();
  });
});

describe('availability', () => {
  it('reports seats left, full with the waitlist, or no limit', () => {
    expect(availability({ ...base, goingCount: 1 }, now)).toEqual({ kind: 'seats', left: 1, capacity: 2 });
    expect(availability({ ...base, goingCount: 2, waitlistCount: 3 }, now)).toEqual({
      kind: 'full',
      capacity: 2,
      waitlist: 3,
    });
    expect(availability({ ...base, capacity: null }, now)).toEqual({ kind: 'unlimited' });
  });

  it('puts cancelled before ended, and ended before a passed deadline', () => {
    expect(availability({ ...base, status: 'cancelled' }, now)).toEqual({ kind: 'cancelled' });
    expect(availability(base, new Date('2027-01-13T00:00:00Z').getTime())).toEqual({ kind: 'ended' });
    expect(availability({ ...base, rsvpDeadline: '2026-12-31T00:00:00Z' }, now)).toEqual({ kind: 'closed' });
  });
});

describe('rsvpOptions', () => {
  it('lets a newcomer answer, and only join the waitlist when the event is full', () => {
    expect(rsvpOptions(base, null, now)).toEqual({ answer: true, withdraw: false, waitlistOnly: false });
    expect(rsvpOptions({ ...base, goingCount: 2 }, null, now)).toEqual({
      answer: true,
      withdraw: false,
      waitlistOnly: true,
    });
  });

  it('lets those going, waiting or interested withdraw; a full event does not bar those holding a seat', () => {
    expect(rsvpOptions({ ...base, goingCount: 2 }, { status: 'going' }, now)).toEqual({
      answer: true,
      withdraw: true,
      waitlistOnly: false,
    });
    expect(rsvpOptions({ ...base, goingCount: 2 }, { status: 'waitlisted' }, now).withdraw).toBe(true);
    expect(rsvpOptions(base, { status: 'interested' }, now).withdraw).toBe(true);
    expect(rsvpOptions(base, { status: 'declined' }, now).withdraw).toBe(false);
  });

  it('after the deadline, still lets people give their seat back', () => {
    const closed = { ...base, rsvpOpen: false, rsvpDeadline: '2026-12-31T00:00:00Z' };
    expect(rsvpOptions(closed, { status: 'going' }, now)).toEqual({
      answer: false,
      withdraw: true,
      waitlistOnly: false,
    });
    expect(rsvpOptions(closed, { status: 'interested' }, now).withdraw).toBe(false);
  });

  it('offers nothing once the event is cancelled or over', () => {
    expect(rsvpOptions({ ...base, status: 'cancelled', rsvpOpen: false }, { status: 'going' }, now)).toEqual({
      answer: false,
      withdraw: false,
      waitlistOnly: false,
    });
    const later = new Date('2027-01-13T00:00:00Z').getTime();
    expect(rsvpOptions({ ...base, rsvpOpen: false }, { status: 'going' }, later).withdraw).toBe(false);
  });
});
