import { Type, type Static, type TSchema } from 'typebox';

/**
 * Every error the API sends carries one of these codes (API.md "Errors"): the server's error
 * handler answers with nothing else, and the OpenAPI document lists exactly these.
 */
export const ErrorCodes = [
  'validation_failed',
  'invalid_json',
  'unauthorized',
  'forbidden',
  'account_suspended',
  'csrf_rejected',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rule_violation',
  'rate_limited',
  'internal_error',
  'service_unavailable',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/**
 * What is wrong with one field, as a machine-readable code: clients translate the code (with its
 * `params`) and never parse `message`, which is English for people reading logs and raw answers.
 * The first group comes from the request schemas (one per JSON Schema keyword); the rest are the
 * platform's own rules.
 */
export const ProblemCodes = [
  // from the schemas
  'required',
  'unknown_field',
  'wrong_type',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'too_few',
  'too_many',
  'duplicate',
  'bad_pattern',
  'bad_format',
  'not_allowed',
  'invalid',
  // from the parser and the door
  'invalid_json',
  'control_characters',
  // the platform's rules
  'blank',
  'taken',
  'unchanged',
  'stale_version',
  'reserved',
  'not_web_link',
  'unknown_country',
  'unknown_theme',
  'unknown_member',
  'invalid_cursor',
  'cannot_follow_self',
  'cannot_block_self',
  'blocked',
  'password_too_short',
  'password_too_long',
  'password_common',
  'password_personal',
  'password_incorrect',
  'last_admin',
  'link_invalid',
  'nothing_to_undo',
  'parent_missing',
  'parent_other_thread',
  'parent_deleted',
  'limit_reached',
  'unknown_case',
  'same_language',
  'capacity_below_going',
  'event_cancelled',
  'event_over',
  'rsvp_closed',
  'ends_before_start',
  'deadline_after_end',
  'venue_required',
  'unknown_time_zone',
  'not_going',
  'invitation_declined',
  'cannot_organise',
  'account_suspended',
  'cannot_moderate',
  'cannot_report_self',
  'action_not_applicable',
  // introductions
  'cannot_introduce_self',
  'not_open_to_introductions',
  'already_asked',
  'introduction_declined',
  'qa_closed',
  'poll_closed',
  'unknown_option',
] as const;
export type ProblemCode = (typeof ProblemCodes)[number];

/** Values a problem's text needs (`max` for too_long, `value` for an unknown theme, …). */
export const ProblemParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]));
export type ProblemParams = Static<typeof ProblemParams>;

export const FieldProblem = Type.Object(
  {
    field: Type.String({
      description: 'the field, dotted for nested ones (`body`, `query`, `params` for the whole part)',
    }),
    code: Type.Enum(ProblemCodes),
    message: Type.String({ description: 'English, for people; clients translate `code`' }),
    params: Type.Optional(ProblemParams),
  },
  { additionalProperties: true, description: 'what is wrong with one field' },
);
/** A field-level problem, as listed in `error.details`. */
export interface FieldProblem {
  field: string;
  code: ProblemCode;
  message: string;
  params?: ProblemParams;
}

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(ErrorCodes),
      message: Type.String(),
      details: Type.Optional(Type.Array(FieldProblem)),
    }),
  },
  { description: 'The one error shape of the API' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** The per-member limits against floods (README, configuration: POSTS_PER_MINUTE and the others). */
export const MemberLimitNames = [
  'posts_per_minute',
  'edits_per_minute',
  'reactions_per_minute',
  'follows_per_hour',
  'reports_per_hour',
  'proposals_per_day',
  'questions_per_minute',
  'live_votes_per_minute',
  'mentions_per_post',
  'new_member_posts_per_day',
  'new_member_links_per_post',
  'new_member_mentions_per_post',
  'pending_introductions',
] as const;
export type MemberLimitName = (typeof MemberLimitNames)[number];

/**
 * `error.details[]` of a refusal by a per-member limit: a 429 `rate_limited` (with `retryAfter`,
 * the seconds also in the Retry-After header), or a 422 `rule_violation` for mentions per post (and
 * a new member's links and mentions per post).
 */
export interface LimitProblem extends FieldProblem {
  code: 'limit_reached';
  limit: MemberLimitName;
  max: number;
  retryAfter?: number;
}

export const Slug = Type.String({ pattern: '^[a-z0-9-]{2,40}$', description: 'lowercase letters, digits and dashes' });
/** Words that name pages beside the cases and events (`/cases/new`, `/events/mine`): never a slug. */
export const ReservedSlugs = ['new', 'mine'] as const;
/** A slug someone chooses (a new case or event, a rename): a Slug that is not a reserved word. */
export const ChosenSlug = Type.String({
  pattern: `^(?!(?:${ReservedSlugs.join('|')})$)[a-z0-9-]{2,40}$`,
  description: `lowercase letters, digits and dashes; not ${ReservedSlugs.map((w) => `"${w}"`).join(' or ')}`,
});
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const Language = Type.String({
  pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  maxLength: 35,
  description: 'BCP 47 language tag (en, fr, pt-BR, …)',
});
export const Cursor = Type.String({ maxLength: 200, description: 'opaque cursor from nextCursor' });
export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

export type PageOf<T> = { items: T[]; nextCursor: string | null };
