/**
 * The one error shape of the API (`{error:{code,message,details?}}`) and the AppError class that
 * services throw for expected errors: a code from the closed union in the contracts, its status,
 * details naming the fields, and headers (such as Retry-After).
 */
import type { ErrorCode, FieldProblem, ProblemCode, ProblemParams } from '@opsi/contracts/common';

export const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  account_suspended: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rule_violation: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, details?: FieldProblem[], headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = STATUS[code];
    this.details = details;
    this.headers = headers;
  }
}

/** One field's problem: a code clients translate, its params, and the English message. */
export function problem(field: string, code: ProblemCode, message: string, params?: ProblemParams): FieldProblem {
  return params === undefined ? { field, code, message } : { field, code, message, params };
}

/** An error listing several fields' problems; its message joins theirs. */
export function problemsError(code: ErrorCode, problems: FieldProblem[]): AppError {
  return new AppError(code, problems.map((p) => p.message).join('; '), problems);
}

export function errorBody(code: ErrorCode, message: string, details?: FieldProblem[]) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
