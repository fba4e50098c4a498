import { AsyncLocalStorage } from 'node:async_hooks';
import type { Handle, HandleFetch, HandleServerError } from '@sveltejs/kit/hooks';
import { redirect } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { INTERNAL_API_ORIGIN } from '$app/env/private';
import { apiFor, must } from '#lib/api/client.ts';
import { ApiError } from '#lib/api/problem.ts';
import { pickFormatLocale } from '#lib/i18n.ts';
import { formatsElement, keepFormatsIn } from '#lib/intl.ts';
import { canonicalPath } from '#lib/redirect.ts';
import { lowPriorityPreloads, stylesFirst } from '#lib/server/styles-first.ts';
import { SESSION_COOKIES } from '#lib/server/session.ts';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

/** The dates and lists formatted while rendering each page, left in it for hydration (#lib/intl.ts). */
const pageFormats = new AsyncLocalStorage<Map<string, string>>();
keepFormatsIn(() => pageFormats.getStore());

/**
 * The page as sent: `<html lang>`, stylesheets asked for before scripts and the scripts' preloads at
 * low priority (#lib/server/styles-first.ts), and once it is whole, what was formatted for it.
 */
function finishPage(html: string, done: boolean, locale: string, formats: Map<string, string>): string {
  const page = lowPriorityPreloads(stylesFirst(html.replace('%paraglide.lang%', locale)));
  const end = done && formats.size > 0 ? page.lastIndexOf('</body>') : -1;
  return end < 0 ? page : `${page.slice(0, end)}${formatsElement(formats)}${page.slice(end)}`;
}

/** Language from the URL (English bare, French under /fr), `<html lang>` to match. */
const i18n: Handle = ({ event, resolve }) => {
  // Every page has one address: /en/cases is /cases, and /cases//x is /cases/x. The redirect is
  // built from the normalised path, which always starts with a single slash: `//host` is never
  // sent back as a Location (another site), whatever the request path looked like.
  const canonical = canonicalPath(event.url.pathname);
  if (canonical !== null) redirect(308, `${canonical}${event.url.search}`);
  // Routing ignores the prefix through the `reroute` hook (src/hooks.ts), so the original
  // request is resolved; the middleware provides the locale to message functions.
  const formats = new Map<string, string>();
  return pageFormats.run(formats, () =>
    paraglideMiddleware(event.request, ({ locale }) => {
      event.locals.locale = locale;
      event.locals.formatLocale = pickFormatLocale(locale, event.request.headers.get('accept-language'));
      return resolve(event, {
        transformPageChunk: ({ html, done }) => finishPage(html, done, locale, formats),
      });
    }),
  );
};

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  try {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
  } catch {
    // a response with immutable headers (e.g. a redirect): leave it as it is
  }
  return response;
};

/**
 * Who is signed in: with a session cookie, the API is asked once per request (GET /api/v1/me)
 * and the answer kept in `event.locals.me` for `load` functions and actions.
 */
const auth: Handle = async ({ event, resolve }) => {
  event.locals.me = null;
  if (SESSION_COOKIES.some((name) => event.cookies.get(name))) {
    try {
      event.locals.me = await must(apiFor(event).GET('/api/v1/me'));
    } catch (e) {
      // 401: the session ended (the API also clears the cookie, see handleFetch). An unreachable
      // API shows on the page's own data; the visitor is treated as signed out meanwhile.
      if (!(e instanceof ApiError)) throw e;
    }
  }
  return resolve(event);
};

/** Pages that only ever show a person their own things (or send them to sign in first). */
const PERSONAL_PAGES = /^(?:\/fr)?\/(?:feed|notifications|settings|events\/[^/]+\/ticket)(?:\/|$)/;

/**
 * Nothing shown to a signed-in person, and no personal page, is kept by a cache (a shared
 * computer's browser, a proxy): `Cache-Control: private, no-store`. Public pages for anonymous
 * readers keep whatever caching they have.
 */
const privatePages: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  if (event.locals.me || PERSONAL_PAGES.test(event.url.pathname)) {
    try {
      response.headers.set('cache-control', 'private, no-store');
    } catch {
      // a response with immutable headers: it carries no page
    }
  }
  return response;
};

export const handle = sequence(i18n, auth, privatePages, securityHeaders);

/**
 * `fetch('/api/...')` in server `load` functions goes to the API server itself, with the
 * caller's cookie, language and address, so the API sees the same person as the browser would.
 * The global fetch is used (not SvelteKit's) so the request always leaves this process.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);

  const target = new URL(url.pathname + url.search, INTERNAL_API_ORIGIN);
  const proxied = new Request(target, request);
  // The cookies as this request now has them: a session set or cleared earlier in the same
  // request (signing in, then rendering the page) is what the API sees next.
  const cookie = event.cookies
    .getAll({ decode: (value) => value })
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
  if (cookie) proxied.headers.set('cookie', cookie);
  else proxied.headers.delete('cookie');
  const language = event.request.headers.get('accept-language');
  if (language) proxied.headers.set('accept-language', language);
  // The API lists sessions by device ("Firefox on Windows"): it needs the browser's User-Agent.
  const agent = event.request.headers.get('user-agent');
  if (agent) proxied.headers.set('user-agent', agent);
  // Over loopback, compressing the API's JSON would only cost time on both ends (the page itself is compressed).
  proxied.headers.set('accept-encoding', 'identity');
  try {
    proxied.headers.set('x-forwarded-for', event.getClientAddress());
  } catch {
    // the client address is unknown (e.g. during prerendering)
  }

  const response = await globalThis.fetch(proxied, { redirect: 'manual' });
  // Pass on cookies the API sets (e.g. a renewed session) to the browser.
  for (const header of response.headers.getSetCookie()) {
    const { name, value, ...options } = event.cookies.parse(header);
    event.cookies.set(name, value ?? '', { path: '/', ...options, secure: options.secure ?? false });
  }
  return response;
};

/** An unreachable or failing API is a 503 "try again later", not a bare 500. */
export const handleError: HandleServerError = ({ kind, error, event }) => {
  if (kind !== 'unknown') return;
  if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) {
    return { status: 503, message: 'Service Unavailable', code: 'service_unavailable' };
  }
  console.error(`Error while rendering ${event.url.pathname}:`, error);
};
