/** The admin pages are for admins: anyone signed out signs in first; other members get a 403 page. */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { Me } from '@opsi/contracts/profiles';
import { signedIn } from './signed-in.ts';

export function adminOnly(event: Pick<RequestEvent, 'url' | 'locals'>): Me {
  const me = signedIn(event);
  if (me.user.role !== 'admin') error(403, 'For admins only', { code: 'forbidden' });
  return me;
}
