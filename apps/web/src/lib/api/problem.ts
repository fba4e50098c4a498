/**
 * The one reading of an API refusal. Every error the API sends has the shape
 * `{error: {code, message, details?}}` (API.md "Errors"); `details` lists what went wrong, field by
 * field. This turns any answer that is not a success (or no answer at all) into an `ApiError`:
 * the error code, the message, the problems by field with their own code and parameters, and how
 * long to wait before trying again. The web app words its messages from codes and parameters.
 */
import { ErrorCodes, type ErrorCode } from '@opsi/contracts/common';

/** One thing the API refused: the field it names ('' for none), and what it says about it. */
export interface Problem {
  field: string;
  /** The API's own words (English): for logs, never shown as they are. */
  message: string;
  code?: string;
  /**
   * What the words are made of: the problem's `params`, and whatever else the API said about it
   * (a limit's `limit`, `max` and `retryAfter`; a co-organiser's `reason` and `value`).
   */
  params?: Record<string, unknown>;
}

export interface ApiProblem {
  /** The HTTP status; 0 when the API could not be reached. */
  status: number;
  code: ErrorCode;
  message: string;
  problems: Problem[];
  /** Seconds to wait before trying again (Retry-After, or the limit's own `retryAfter`). */
  retryAfter?: number;
}

/** A non-2xx answer from the API, or none at all (status 0, code `service_unavailable`). */
export class ApiError extends Error implements ApiProblem {
  readonly status: number;
  readonly code: ErrorCode;
  readonly problems: Problem[];
  readonly retryAfter?: number;

  constructor(problem: ApiProblem) {
    super(problem.message);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problems = problem.problems;
    if (problem.retryAfter !== undefined) this.retryAfter = problem.retryAfter;
  }
}

/** What the web app concludes when the API did not answer. */
export function unreachable(): ApiError {
  return new ApiError({
    status: 0,
    code: 'service_unavailable',
    message: 'The API could not be reached',
    problems: [],
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorCode(value: unknown): value is ErrorCode {
  return (ErrorCodes as readonly unknown[]).includes(value);
}

/** The code for an answer that does not say one (a proxy's page, an empty body). */
function codeOfStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'internal_error' : 'validation_failed';
}

function problemOf(detail: unknown): Problem | null {
  if (!isRecord(detail)) return null;
  const { field, message, code, params, ...rest } = detail;
  const problem: Problem = {
    field: typeof field === 'string' ? field : '',
    message: typeof message === 'string' ? message : '',
  };
  if (typeof code === 'string') problem.code = code;
  const all = { ...rest, ...(isRecord(params) ? params : {}) };
  if (Object.keys(all).length > 0) problem.params = all;
  return problem;
}

function seconds(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? Math.ceil(number) : undefined;
}

/**
 * An API refusal as the web app reads it, from the answer's status and headers and its body
 * (parsed JSON, or the text when it was not JSON, or null).
 */
export function parseApiProblem(
  response: Pick<Response, 'status' | 'statusText' | 'headers'>,
  body: unknown,
): ApiProblem {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const problems = (Array.isArray(error?.details) ? error.details : [])
    .map(problemOf)
    .filter((problem): problem is Problem => problem !== null);
  const message = typeof error?.message === 'string' && error.message ? error.message : response.statusText;
  const retryAfter =
    seconds(response.headers.get('retry-after')) ??
    problems.map((problem) => seconds(problem.params?.retryAfter)).find((value) => value !== undefined);
  return {
    status: response.status,
    code: isErrorCode(error?.code) ? error.code : codeOfStatus(response.status),
    message: message || 'Unexpected API response',
    problems,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/** The refusal in an answer whose body has not been read yet. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text || null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: a proxy's error page, or nothing
  }
  return new ApiError(parseApiProblem(response, body));
}
