/** Translated labels for events: formats, availability and the viewer's answer. */
import type { EventMode, MyRsvp } from '@opsi/contracts/events';
import type { Availability } from '#lib/event-status.ts';
import { m } from '#lib/paraglide/messages.js';

export function modeLabel(mode: EventMode): string {
  switch (mode) {
    case 'in_person':
      return m.events_mode_in_person();
    case 'online':
      return m.events_mode_online();
    case 'hybrid':
      return m.events_mode_hybrid();
  }
}

/** A short line for cards: "12 seats left", "Full — waitlist open", "Cancelled"... */
export function availabilityLabel(availability: Availability): string {
  switch (availability.kind) {
    case 'cancelled':
      return m.events_cancelled();
    case 'ended':
      return m.events_ended();
    case 'closed':
      return m.events_rsvp_closed_short();
    case 'full':
      return m.events_full_waitlist();
    case 'seats':
      return m.events_seats_left({ count: availability.left });
    case 'unlimited':
      return m.events_no_limit();
  }
}

/** The viewer's answer as a sentence: "You’re on the waitlist — position 3." */
export function rsvpStateLabel(rsvp: Pick<MyRsvp, 'status' | 'waitlistPosition'> | null): string {
  switch (rsvp?.status) {
    case 'going':
      return m.events_rsvp_state_going();
    case 'waitlisted':
      return m.events_rsvp_state_waitlisted({ position: rsvp.waitlistPosition ?? '?' });
    case 'interested':
      return m.events_rsvp_state_interested();
    case 'declined':
      return m.events_rsvp_state_declined();
    case undefined:
      return m.events_rsvp_state_none();
  }
}

/** What a card says of the viewer's answer: "You’re going", their place in line, or nothing. */
export function cardRsvpLabel(rsvp: Pick<MyRsvp, 'status' | 'waitlistPosition'> | null | undefined): string | null {
  switch (rsvp?.status) {
    case 'going':
      return m.events_card_going();
    case 'waitlisted':
      return m.events_card_waitlisted({ position: rsvp.waitlistPosition ?? '?' });
    case 'interested':
      return m.events_card_interested();
    default:
      return null;
  }
}
