/**
 * What an event's counts and dates mean for someone about to answer: seats left, full with a
 * waitlist, closed, cancelled or over. Pure, so the cards, the RSVP panel and tests agree.
 */
import type { EventSummary, MyRsvp } from '@opsi/contracts/events';
import { eventPhase } from '#lib/event-time.ts';

export type Availability =
  | { kind: 'cancelled' }
  | { kind: 'ended' }
  | { kind: 'closed' }
  | { kind: 'full'; capacity: number; waitlist: number }
  | { kind: 'seats'; left: number; capacity: number }
  | { kind: 'unlimited' };

type Counts = Pick<
  EventSummary,
  'status' | 'startsAt' | 'endsAt' | 'rsvpDeadline' | 'capacity' | 'goingCount' | 'waitlistCount'
>;

/** Seats left by the counts (never below zero), or null without a capacity. */
export function seatsLeft(event: Pick<EventSummary, 'capacity' | 'goingCount'>): number | null {
  return event.capacity === null ? null : Math.max(0, event.capacity - event.goingCount);
}

export function availability(event: Counts, now: number = Date.now()): Availability {
  if (event.status === 'cancelled') return { kind: 'cancelled' };
  if (eventPhase(event.startsAt, event.endsAt, now) === 'ended') return { kind: 'ended' };
  if (event.rsvpDeadline !== null && new Date(event.rsvpDeadline).getTime() <= now) return { kind: 'closed' };
  const left = seatsLeft(event);
  if (left === null || event.capacity === null) return { kind: 'unlimited' };
  if (left === 0) return { kind: 'full', capacity: event.capacity, waitlist: event.waitlistCount };
  return { kind: 'seats', left, capacity: event.capacity };
}

/** The answers a member can give now, given the event and their current answer. */
export interface RsvpOptions {
  /** Going, interested, not going. */
  answer: boolean;
  /** Withdraw a seat, a waitlist place or an interest; a seat can be given back even once RSVPs close. */
  withdraw: boolean;
  /** "Going" puts you on the waitlist (the event is full and you have no seat yet). */
  waitlistOnly: boolean;
}

export function rsvpOptions(
  event: Counts & { rsvpOpen: boolean },
  mine: Pick<MyRsvp, 'status'> | null,
  now: number = Date.now(),
): RsvpOptions {
  const status = mine?.status ?? null;
  const holding = status === 'going' || status === 'waitlisted';
  const over = event.status === 'cancelled' || eventPhase(event.startsAt, event.endsAt, now) === 'ended';
  const left = seatsLeft(event);
  return {
    answer: event.rsvpOpen && !over,
    withdraw: !over && (holding || (status === 'interested' && event.rsvpOpen)),
    waitlistOnly: !holding && left === 0,
  };
}
