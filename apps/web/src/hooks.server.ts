import type { Handle, HandleFetch, HandleServerError } from '@sveltejs/kit/hooks';
import { redirect } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { INTERNAL_API_ORIGIN } from '$app/env/private';
import { ApiError } from '#lib/api.ts';
import { pickFormatLocale } from '#lib/i18n.ts';
import { paraglideMiddleware } from '#lib/paraglide/server.js';

/** Language from the URL (English bare, French under /fr), `<html lang>` to match. */
const i18n: Handle = ({ event, resolve }) => {
  // English pages have one address: /en/cases is /cases.
  if (/^\/en(\/|$)/.test(event.url.pathname)) redirect(308, `${event.url.pathname.slice(3) || '/'}${event.url.search}`);
  // Routing ignores the prefix through the `reroute` hook (src/hooks.ts), so the original
  // request is resolved; the middleware provides the locale to message functions.
  return paraglideMiddleware(event.request, ({ locale }) => {
    event.locals.locale = locale;
    event.locals.formatLocale = pickFormatLocale(locale, event.request.headers.get('accept-language'));
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale),
    });
  });
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

export const handle = sequence(i18n, securityHeaders);

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
  const cookie = event.request.headers.get('cookie');
  if (cookie) proxied.headers.set('cookie', cookie);
  const language = event.request.headers.get('accept-language');
  if (language) proxied.headers.set('accept-language', language);
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
