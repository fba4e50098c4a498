/**
 * Where to go after signing in or up: a `redirectTo` path on this site, or nothing. Only a
 * path starting with a single `/` is accepted (never `//host` or `/\host`, which browsers read as
 * another site), so the parameter cannot send people elsewhere (an open redirect).
 */
import type { ResolvedPathname } from '$app/types';

const MAX_LENGTH = 1000;
/** Pages that make no sense to land on after signing in. */
const NOT_A_DESTINATION = /^(?:\/fr)?\/(?:login|signup|logout|reset)(?:\/|$)/;

export function safeRedirect(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // eslint-disable-next-line no-control-regex -- control characters never belong in a path
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://same.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://same.invalid') return null;
  if (NOT_A_DESTINATION.test(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}

/** `path` with `?redirectTo=` back to `from` (the current page), when that is a page worth returning to. */
export function withRedirect(path: ResolvedPathname, from: string | null | undefined): ResolvedPathname {
  const target = safeRedirect(from);
  if (!target || target === '/' || target === '/fr' || target === '/fr/') return path;
  return `${path}?${new URLSearchParams({ redirectTo: target }).toString()}` as ResolvedPathname;
}
