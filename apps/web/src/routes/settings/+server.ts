/**
 * The settings were one page with four forms; each has its own page now (/settings/profile,
 * /settings/email, /settings/password, /settings/sessions). The old address still leads there:
 * a visit goes to the profile (keeping `?welcome=1`), and a form sent to the old page (one
 * rendered before the change) is passed on with its body (307) to the page that now has it.
 */
import { error, redirect, type RequestHandler } from '@sveltejs/kit';
import { href } from '#lib/i18n.ts';

/** The old page's form actions, and the pages that have them now (under the same names). */
const MOVED: Record<string, string> = {
  '/profile': '/settings/profile',
  '/email': '/settings/email',
  '/password': '/settings/password',
  '/revoke': '/settings/sessions',
};

export const GET: RequestHandler = ({ url, locals }) => {
  redirect(307, href('/settings/profile', locals.locale) + url.search);
};

export const POST: RequestHandler = ({ url, locals }) => {
  const action = [...url.searchParams.keys()].find((key) => Object.hasOwn(MOVED, key));
  if (!action) error(404, 'Not Found');
  redirect(307, `${href(MOVED[action] ?? '/settings/profile', locals.locale)}?${action}`);
};
