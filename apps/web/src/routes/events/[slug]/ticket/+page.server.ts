import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { apiFor, or404 } from '#lib/api/client.ts';
import { SLUG } from '#lib/input-rules.ts';
import type { PageServerLoad } from './$types';

/**
 * The QR code of a ticket code, as SVG drawn here on the server: the page needs no script and no
 * other file to show it, so it keeps working offline. The payload is the plain code, which the
 * organisers' check-in accepts as typed or scanned. Black on white whatever the theme, with the
 * quiet zone scanners need.
 */
function qrSvg(code: string): Promise<string> {
  return QRCode.toString(code, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 4,
    color: { dark: '#000000', light: '#ffffff' },
  });
}

export const load: PageServerLoad = async (request) => {
  const { params, locals, setHeaders } = request;
  if (!SLUG.test(params.slug)) error(404, 'Not Found', { code: 'not_found' });
  // A ticket is personal: never kept by a shared cache.
  setHeaders({ 'cache-control': 'private, no-cache' });
  const event = await or404(apiFor(request).GET('/api/v1/events/{slug}', { params: { path: { slug: params.slug } } }));
  const mine = event.myRsvp;
  const code = mine?.status === 'going' ? mine.ticketCode : null;
  return {
    event,
    signedIn: locals.me !== null,
    attendee: locals.me?.user.displayName ?? null,
    ticket: code ? { code, qr: await qrSvg(code), checkedInAt: mine?.checkedInAt ?? null } : null,
  };
};
