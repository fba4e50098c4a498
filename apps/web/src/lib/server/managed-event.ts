/** The organiser's pages of an event (edit, cancel, manage, check-in) start the same way. */
import { error, type RequestEvent } from '@sveltejs/kit';
import { apiFor, or404 } from '#lib/api/client.ts';
import { SLUG } from '#lib/input-rules.ts';
import { signedIn } from '#lib/server/signed-in.ts';

/**
 * The event of `params.slug`, for its organisers and admins: 404 for a slug that cannot be one or
 * no such event, anyone signed out is sent to sign in (and brought back), others are refused (403).
 */
export async function managedEvent(event: Pick<RequestEvent<{ slug: string }>, 'url' | 'locals' | 'params' | 'fetch'>) {
  if (!SLUG.test(event.params.slug)) error(404, 'Not Found', { code: 'not_found' });
  signedIn(event);
  const found = await or404(
    apiFor(event).GET('/api/v1/events/{slug}', { params: { path: { slug: event.params.slug } } }),
  );
  if (!found.canManage) error(403, 'Forbidden', { code: 'forbidden' });
  return found;
}
