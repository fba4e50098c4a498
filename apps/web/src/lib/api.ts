/**
 * Typed client of the public REST API (/api/v1). The web app never touches the database:
 * server `load` functions pass their `fetch` (rewritten to the API by `handleFetch`), and
 * the browser uses its own `fetch` against the same origin.
 */
import { error } from '@sveltejs/kit';
import type {
  AccountEmail,
  EmailChangeBody,
  LoginBody,
  PasswordChangeBody,
  ResetConfirmBody,
  SessionInfo,
  SignupBody,
  User,
} from '@opsi/contracts/accounts';
import type { CaseDetail, CaseFacets, CaseList } from '@opsi/contracts/cases';
import type { ErrorBody, ErrorCode, FieldProblem } from '@opsi/contracts/common';
import type {
  NewPost,
  Post,
  PostList,
  PostRevisions,
  Preview,
  ReactionKind,
  ReactionState,
} from '@opsi/contracts/discussions';
import type {
  Feed,
  FollowState,
  FollowType,
  MarkRead,
  NotificationList,
  NotificationPrefs,
  NotificationPrefsPatch,
} from '@opsi/contracts/follows';
import type { Me, PeopleList, Profile, ProfilePatch } from '@opsi/contracts/profiles';
import type { Country, Theme } from '@opsi/contracts/reference';

type Fetch = typeof fetch;

/** A non-2xx answer from the API (or no answer at all: status 0, code `service_unavailable`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: FieldProblem[];
  /** Seconds to wait before trying again (from `Retry-After`, on a 429), or null. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    details: FieldProblem[] = [],
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const inner = (value as { error: unknown }).error;
  return typeof inner === 'object' && inner !== null && 'code' in inner && 'message' in inner;
}

function retryAfterOf(response: Response): number | null {
  const value = Number(response.headers.get('retry-after') ?? '');
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : null;
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (isErrorBody(body)) {
    const details = Array.isArray(body.error.details) ? (body.error.details as FieldProblem[]) : [];
    return new ApiError(response.status, body.error.code, body.error.message, details, retryAfterOf(response));
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

/** A GET that answers null for a 404 instead of showing the error page. */
async function find<T>(fetch: Fetch, path: string): Promise<T | null> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'service_unavailable', 'The API could not be reached');
  }
  if (response.status === 404) return null;
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

/** A state change (POST, PATCH, DELETE) with an optional JSON body; 204 answers undefined. */
async function send<T = void>(
  fetch: Fetch,
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'service_unavailable', 'The API could not be reached');
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
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

    // Accounts and sessions. Server-side, the session cookie the API sets reaches the browser
    // through `handleFetch` (hooks.server.ts).
    /** Who is signed in; a 401 (ApiError) when nobody is. */
    me: () => get<Me>(fetch, '/api/v1/me'),
    signup: (body: SignupBody) => send<{ user: User }>(fetch, 'POST', '/api/v1/auth/signup', body),
    login: (body: LoginBody) => send<{ user: User }>(fetch, 'POST', '/api/v1/auth/login', body),
    logout: () => send(fetch, 'POST', '/api/v1/auth/logout'),
    /** Always accepted, whether or not the email has an account. */
    requestPasswordReset: (email: string, lang: 'en' | 'fr') =>
      send<{ status: string }>(fetch, 'POST', '/api/v1/auth/password-reset', { email, lang }),
    passwordResetIsValid: async (token: string) =>
      (await get<{ valid: boolean }>(fetch, `/api/v1/auth/password-reset/${encodeURIComponent(token)}`)).valid,
    confirmPasswordReset: (body: ResetConfirmBody) => send(fetch, 'POST', '/api/v1/auth/password-reset/confirm', body),
    sessions: () => get<{ items: SessionInfo[] }>(fetch, '/api/v1/me/sessions'),
    revokeSession: (id: string) => send(fetch, 'DELETE', `/api/v1/me/sessions/${encodeURIComponent(id)}`),
    changePassword: (body: PasswordChangeBody) => send(fetch, 'POST', '/api/v1/me/password', body),
    /** Asks for the change: nothing changes until the new address confirms the emailed link. */
    changeEmail: (body: EmailChangeBody) => send<{ pendingEmail: string }>(fetch, 'POST', '/api/v1/me/email', body),
    accountEmail: () => get<AccountEmail>(fetch, '/api/v1/me/email'),
    confirmEmail: (token: string) => send<{ email: string }>(fetch, 'POST', '/api/v1/auth/email-confirm', { token }),

    // Profiles and the member directory.
    /** `query` is a query string built by `#lib/people-query` (already validated). */
    listPeople: (query: URLSearchParams) => get<PeopleList>(fetch, withQuery('/api/v1/people', query)),
    getPerson: (handle: string) => get<Profile>(fetch, `/api/v1/people/${encodeURIComponent(handle)}`),
    /** The profile with this handle, or null when there is none. */
    findPerson: (handle: string) => find<Profile>(fetch, `/api/v1/people/${encodeURIComponent(handle)}`),
    updateProfile: (patch: ProfilePatch) => send<Profile>(fetch, 'PATCH', '/api/v1/me/profile', patch),

    // Discussions.
    listPosts: (slug: string, after = '0', limit = 100) =>
      get<PostList>(fetch, `/api/v1/cases/${encodeURIComponent(slug)}/posts?after=${after}&limit=${limit}`),
    createPost: (slug: string, body: NewPost) =>
      send<Post>(fetch, 'POST', `/api/v1/cases/${encodeURIComponent(slug)}/posts`, body),
    editPost: (id: string, body: string) =>
      send<Post>(fetch, 'PATCH', `/api/v1/posts/${encodeURIComponent(id)}`, { body }),
    deletePost: (id: string) => send(fetch, 'DELETE', `/api/v1/posts/${encodeURIComponent(id)}`),
    findPost: (id: string) => find<Post>(fetch, `/api/v1/posts/${encodeURIComponent(id)}`),
    postRevisions: (id: string) => get<PostRevisions>(fetch, `/api/v1/posts/${encodeURIComponent(id)}/revisions`),
    /** Moderators and admins: blank the text of an earlier version, for good. */
    redactRevision: (id: string, revisionId: string, reason: string) =>
      send<PostRevisions>(
        fetch,
        'POST',
        `/api/v1/posts/${encodeURIComponent(id)}/revisions/${encodeURIComponent(revisionId)}/redaction`,
        { reason },
      ),
    react: (id: string, kind: ReactionKind, on: boolean) =>
      send<ReactionState>(fetch, on ? 'PUT' : 'DELETE', `/api/v1/posts/${encodeURIComponent(id)}/reactions/${kind}`),
    preview: (body: string) => send<Preview>(fetch, 'POST', '/api/v1/posts/preview', { body }),
    markRead: (slug: string, lastReadPostId: string) =>
      send(fetch, 'PUT', `/api/v1/cases/${encodeURIComponent(slug)}/read`, { lastReadPostId }),

    // Follows, the feed and notifications.
    followState: (type: FollowType, key: string) =>
      get<FollowState>(fetch, `/api/v1/follows/${type}/${encodeURIComponent(key)}`),
    follow: (type: FollowType, key: string, on: boolean) =>
      send<FollowState>(fetch, on ? 'PUT' : 'DELETE', `/api/v1/follows/${type}/${encodeURIComponent(key)}`),
    feed: (cursor?: string) =>
      get<Feed>(fetch, `/api/v1/me/feed${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
    notifications: (query: { unread?: boolean; cursor?: string; limit?: number } = {}) => {
      const search = new URLSearchParams();
      if (query.unread) search.set('unread', 'true');
      if (query.cursor) search.set('cursor', query.cursor);
      if (query.limit) search.set('limit', String(query.limit));
      return get<NotificationList>(fetch, withQuery('/api/v1/me/notifications', search));
    },
    markNotificationsRead: (body: MarkRead) =>
      send<{ unreadCount: number }>(fetch, 'POST', '/api/v1/me/notifications/read', body),
    notificationPrefs: () => get<NotificationPrefs>(fetch, '/api/v1/me/notification-prefs'),
    setNotificationPrefs: (patch: NotificationPrefsPatch) =>
      send<NotificationPrefs>(fetch, 'PATCH', '/api/v1/me/notification-prefs', patch),
    /** `on`: unsubscribe; otherwise the undo (`subscribed` says whether anything was put back). */
    unsubscribe: (token: string, kind: string | null, on: boolean) =>
      send<{ kind: string; subscribed: boolean }>(
        fetch,
        on ? 'POST' : 'DELETE',
        `/api/v1/unsubscribe/${encodeURIComponent(token)}${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`,
      ),
  };
}

export type Api = ReturnType<typeof createApi>;

function withQuery(path: string, query: URLSearchParams): string {
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}
