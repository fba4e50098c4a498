/**
 * Typed client of the public REST API (/api/v1). The web app never touches the database:
 * server `load` functions pass their `fetch` (rewritten to the API by `handleFetch`), and
 * the browser uses its own `fetch` against the same origin.
 */
import { error } from '@sveltejs/kit';
import type { CaseDetail, CaseFacets, CaseList } from '@opsi/contracts/cases';
import type { ErrorBody, ErrorCode, FieldProblem } from '@opsi/contracts/common';
import type { Country, Theme } from '@opsi/contracts/reference';

type Fetch = typeof fetch;

/** A non-2xx answer from the API (or no answer at all: status 0, code `service_unavailable`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: FieldProblem[];

  constructor(status: number, code: ErrorCode, message: string, details: FieldProblem[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const inner = (value as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null && 'code' in inner && 'message' in inner;
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isErrorBody(body)) {
    const details = Array.isArray(body.error.details) ? (body.error.details as FieldProblem[]) : [];
    return new ApiError(response.status, body.error.code, body.error.message, details);
  }
  const code: ErrorCode = response.status >= 500 ? 'internal_error' : 'validation_failed';
  return new ApiError(response.status, code, response.statusText || 'Unexpected API response');
}

async function get<T>(fetch: Fetch, path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'service_unavailable', 'The API could not be reached');
  }
  if (response.status === 404) {
    const problem = await toApiError(response);
    error(404, problem.message, { code: problem.code });
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

/** The API, bound to a `fetch` (a `load` function's, or the browser's). */
export function createApi(fetch: Fetch) {
  return {
    countries: () => get<Country[]>(fetch, '/api/v1/countries'),
    themes: () => get<Theme[]>(fetch, '/api/v1/themes'),
    /** `query` is a query string built by `#lib/case-query` (already validated). */
    listCases: (query: URLSearchParams) => get<CaseList>(fetch, withQuery('/api/v1/cases', query)),
    caseFacets: (query: URLSearchParams) => get<CaseFacets>(fetch, withQuery('/api/v1/cases/facets', query)),
    getCase: (slug: string) => get<CaseDetail>(fetch, `/api/v1/cases/${encodeURIComponent(slug)}`),
  };
}

export type Api = ReturnType<typeof createApi>;

function withQuery(path: string, query: URLSearchParams): string {
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
