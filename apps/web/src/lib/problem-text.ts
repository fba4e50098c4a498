/**
 * The words for a problem the API named, in the UI language: every code of the contracts'
 * closed list (`ProblemCodes`) has its sentence here, filled from the problem's `params`. The
 * record is exhaustive, so a code added to the contracts fails the type check until it is worded.
 * Forms may still choose a sentence of their own for a field (`field_handle_taken`…); this is
 * what every other problem says, never the API's English `message`.
 */
import type { ProblemCode } from '@opsi/contracts/common';
import { m } from '#lib/paraglide/messages.js';

type Params = Record<string, unknown>;

function num(params: Params, key: string): number {
  const value = params[key];
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

function str(params: Params, key: string): string {
  const value = params[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

const TEXT: Record<ProblemCode, (params: Params) => string> = {
  required: () => m.problem_required(),
  unknown_field: () => m.problem_unknown_field(),
  wrong_type: () => m.problem_wrong_type(),
  too_short: (p) => m.problem_too_short({ min: num(p, 'min') }),
  too_long: (p) => m.problem_too_long({ max: num(p, 'max') }),
  too_small: (p) => m.problem_too_small({ min: num(p, 'min') }),
  too_large: (p) => m.problem_too_large({ max: num(p, 'max') }),
  too_few: (p) => m.problem_too_few({ min: num(p, 'min') }),
  too_many: (p) => m.problem_too_many({ max: num(p, 'max') }),
  duplicate: () => m.problem_duplicate(),
  bad_pattern: () => m.problem_bad_pattern(),
  bad_format: () => m.problem_bad_format(),
  not_allowed: () => m.problem_not_allowed(),
  invalid: () => m.problem_invalid(),
  invalid_json: () => m.problem_invalid_json(),
  control_characters: () => m.problem_control_characters(),
  blank: () => m.problem_blank(),
  taken: () => m.problem_taken(),
  unchanged: () => m.problem_unchanged(),
  stale_version: () => m.problem_stale_version(),
  reserved: () => m.problem_reserved(),
  not_web_link: () => m.problem_not_web_link(),
  unknown_country: (p) => m.problem_unknown_country({ value: str(p, 'value') }),
  unknown_theme: (p) => m.problem_unknown_theme({ value: str(p, 'value') }),
  unknown_member: (p) => m.problem_unknown_member({ value: str(p, 'value') }),
  unknown_case: (p) => m.problem_unknown_case({ value: str(p, 'value') }),
  same_language: () => m.problem_same_language(),
  invalid_cursor: () => m.problem_invalid_cursor(),
  cannot_follow_self: () => m.problem_cannot_follow_self(),
  cannot_block_self: () => m.problem_cannot_block_self(),
  blocked: () => m.problem_blocked(),
  password_too_short: (p) => m.password_too_short({ min: num(p, 'min') }),
  password_too_long: (p) => m.password_too_long({ max: num(p, 'max') }),
  password_common: () => m.password_common(),
  password_personal: () => m.password_personal(),
  password_incorrect: () => m.field_current_password_wrong(),
  last_admin: () => m.problem_last_admin(),
  link_invalid: () => m.problem_link_invalid(),
  nothing_to_undo: () => m.problem_nothing_to_undo(),
  parent_missing: () => m.problem_parent_missing(),
  parent_other_thread: () => m.problem_parent_other_thread(),
  parent_deleted: () => m.problem_parent_deleted(),
  limit_reached: () => m.problem_limit_reached(),
  capacity_below_going: (p) => m.problem_capacity_below_going({ going: num(p, 'going') }),
  event_cancelled: () => m.problem_event_cancelled(),
  event_over: () => m.problem_event_over(),
  rsvp_closed: () => m.problem_rsvp_closed(),
  ends_before_start: () => m.problem_ends_before_start(),
  deadline_after_end: () => m.problem_deadline_after_end(),
  venue_required: () => m.problem_venue_required(),
  unknown_time_zone: () => m.problem_unknown_time_zone(),
  not_going: () => m.problem_not_going(),
  invitation_declined: (p) => m.problem_invitation_declined({ value: str(p, 'value') }),
  cannot_organise: (p) => m.problem_cannot_organise({ value: str(p, 'value') }),
  account_suspended: (p) =>
    str(p, 'until')
      ? m.problem_account_suspended_until({ until: str(p, 'until').slice(0, 10) })
      : m.problem_account_suspended(),
  cannot_moderate: (p) => m.problem_cannot_moderate({ value: str(p, 'value') }),
  cannot_report_self: () => m.problem_cannot_report_self(),
  action_not_applicable: () => m.problem_action_not_applicable(),
  cannot_introduce_self: () => m.problem_cannot_introduce_self(),
  not_open_to_introductions: () => m.problem_not_open_to_introductions(),
  already_asked: () => m.problem_already_asked(),
  introduction_declined: () => m.problem_introduction_declined(),
  qa_closed: () => m.problem_qa_closed(),
  poll_closed: () => m.problem_poll_closed(),
  unknown_option: () => m.problem_unknown_option(),
};

export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === 'string' && Object.hasOwn(TEXT, code);
}

/** The sentence for a problem, or undefined when its code is not one the contracts list. */
export function problemText(problem: { code?: string; params?: Record<string, unknown> }): string | undefined {
  return isProblemCode(problem.code) ? TEXT[problem.code](problem.params ?? {}) : undefined;
}
