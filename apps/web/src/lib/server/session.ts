/**
 * The session cookie, as the API names it: `__Host-session` when the public origin is https,
 * `session` otherwise. The API sets and clears it; `handleFetch` (hooks.server.ts) passes its
 * Set-Cookie headers on to the browser, so form actions only call the API.
 */
import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIES = ['__Host-session', 'session'] as const;

/**
 * Forgets the session in this response whatever the API answered (signing out must always
 * work in the browser, even when the API could not be reached).
 */
export function dropSessionCookies(cookies: Cookies, url: URL): void {
  for (const name of SESSION_COOKIES) {
    if (cookies.get(name) !== undefined) {
      cookies.delete(name, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
    }
  }
}
