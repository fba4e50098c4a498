/**
 * Where to go after signing in or up, or after opening a notification: a path on this site, or
 * nothing, so a parameter cannot send people elsewhere (an open redirect). The value is normalised
 * first (dot segments resolved, percent-encoding undone once, doubled slashes collapsed), then
 * checked: whatever a browser or a server might read as another site (`//host`, `/\host`, a
 * scheme, their encoded spellings such as `/%2F%2Fhost` or `/%5Chost`) is refused.
 */
import type { ResolvedPathname } from '$app/types';

const MAX_LENGTH = 1000;
const BASE = 'http://same.invalid';
/** Pages that make no sense to land on after signing in. */
const NOT_A_DESTINATION = /^(?:\/fr)?\/(?:login|signup|logout|reset)(?:\/|$)/;
// eslint-disable-next-line no-control-regex -- control characters and backslashes never belong in a path
const UNSAFE = /[\u0000-\u001f\u007f\\]/;
/** Two slashes (or a slash and a backslash) at the start: another host, for browsers. */
const OTHER_HOST = /^[/\\]{2}/;

/** `value` resolved against this site (dot segments removed), or null when it is not a path here. */
function resolve(value: string): URL | null {
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? url : null;
  } catch {
    return null;
  }
}

export function safeRedirect(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || OTHER_HOST.test(value) || UNSAFE.test(value)) return null;
  const url = resolve(value);
  if (!url || OTHER_HOST.test(url.pathname)) return null;
  // Decoded once, the path must still be a plain path here: `/%2F%2Fhost`, `/%5Chost` and
  // `/x/..%2F%2Fhost` are what a server that decodes before routing would see.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (UNSAFE.test(decoded) || OTHER_HOST.test(decoded)) return null;
  const again = resolve(decoded);
  if (!again || OTHER_HOST.test(again.pathname)) return null;
  const path = url.pathname.replace(/\/{2,}/g, '/');
  if (NOT_A_DESTINATION.test(path) || NOT_A_DESTINATION.test(again.pathname)) return null;
  return path + url.search + url.hash;
}

/**
 * The one address of an odd request path, or null when `pathname` already is it: doubled slashes
 * collapsed (`//host` is a path here, never another site) and the English `/en` prefix dropped
 * (English pages live at the bare path). Always a single-slash path on this site.
 */
export function canonicalPath(pathname: string): string | null {
  let path = `/${pathname.replace(/\\/g, '/').replace(/^\/+/, '')}`.replace(/\/{2,}/g, '/');
  if (/^\/en(?:\/|$)/.test(path)) path = path.slice(3) || '/';
  return path === pathname ? null : path;
}

/** `path` with `?redirectTo=` back to `from` (the current page), when that is a page worth returning to. */
export function withRedirect(path: ResolvedPathname, from: string | null | undefined): ResolvedPathname {
  const target = safeRedirect(from);
  if (!target || target === '/' || target === '/fr' || target === '/fr/') return path;
  return `${path}?${new URLSearchParams({ redirectTo: target }).toString()}` as ResolvedPathname;
}

/**
 * Where to come back to after signing in from a form on this page: its path and query, less a form
 * action's `?/name` and any earlier intent, with `intent` added (what the page then offers to
 * finish, e.g. `{ follow: 'case:slug' }`).
 */
export function backHere(url: URL, intent: Record<string, string> = {}): string {
  const query = new URLSearchParams(url.search);
  for (const name of [...query.keys()]) if (name.startsWith('/') || name in intent) query.delete(name);
  for (const [name, value] of Object.entries(intent)) query.set(name, value);
  const search = query.toString();
  return `${url.pathname}${search ? `?${search}` : ''}`;
}
