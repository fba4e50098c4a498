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

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(ErrorCodes),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'The one error shape of the API' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** A field-level validation problem, as listed in `error.details` on a 400. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The per-member limits against floods (README, configuration: POSTS_PER_MINUTE and the others). */
export const MemberLimitNames = [
  'posts_per_minute',
  'edits_per_minute',
  'reactions_per_minute',
  'follows_per_hour',
  'mentions_per_post',
] as const;
export type MemberLimitName = (typeof MemberLimitNames)[number];

/**
 * `error.details[]` of a refusal by a per-member limit: a 429 `rate_limited` (with `retryAfter`,
 * the seconds also in the Retry-After header), or a 422 `rule_violation` for mentions per post.
 */
export interface LimitProblem extends FieldProblem {
  limit: MemberLimitName;
  max: number;
  retryAfter?: number;
}

export const Slug = Type.String({ pattern: '^[a-z0-9-]{2,40}$', description: 'lowercase letters, digits and dashes' });
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const Cursor = Type.String({ maxLength: 200, description: 'opaque cursor from nextCursor' });
export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });
}

export type PageOf<T> = { items: T[]; nextCursor: string | null };
