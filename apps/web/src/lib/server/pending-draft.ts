/**
 * A reply written by someone whose session ended before they sent it: the case page's `post`
 * action keeps it in a short-lived cookie and sends them to sign in; back on the thread, the page
 * reads it once and puts it in the composer it came from (a new post, or the reply to one post),
 * to send again.
 * Drafts too long for a cookie are not kept (the sign-in page still brings them back).
 */
import type { Cookies } from '@sveltejs/kit';

const COOKIE = 'pending_draft';
/** Browsers keep cookies of about 4 KB; the draft's JSON, percent-encoded, stays under it. */
const MAX_ENCODED = 3500;
const KEEP_SECONDS = 60 * 60;

export interface PendingDraft {
  slug: string;
  parentId: string;
  body: string;
}

/** The cookie's value for `draft`, or null when it is too long to keep. */
export function encodeDraft(draft: PendingDraft): string | null {
  const value = encodeURIComponent(JSON.stringify([draft.slug, draft.parentId, draft.body]));
  return value.length <= MAX_ENCODED ? value : null;
}

/** The draft in `value` if it is one for `slug`, else null. */
export function decodeDraft(value: string | undefined, slug: string): PendingDraft | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(value));
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string')) return null;
    const [forSlug, parentId, body] = parsed as [string, string, string];
    if (forSlug !== slug || !body.trim() || (parentId && !/^[1-9]\d{0,18}$/.test(parentId))) return null;
    return { slug, parentId, body };
  } catch {
    return null;
  }
}

export function keepDraft(event: { cookies: Cookies; url: URL }, draft: PendingDraft): void {
  const value = encodeDraft(draft);
  if (!value) return;
  event.cookies.set(COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    // Secure only where the site is served over HTTPS (the local and test servers are not).
    secure: event.url.protocol === 'https:',
    maxAge: KEEP_SECONDS,
  });
}

/** The kept draft for this thread, if any, cleared as it is read (like the event notices). */
export function takeDraft(cookies: Cookies, slug: string): PendingDraft | null {
  const draft = decodeDraft(cookies.get(COOKIE), slug);
  if (draft) cookies.delete(COOKIE, { path: '/' });
  return draft;
}

export function dropDraft(cookies: Cookies): void {
  if (cookies.get(COOKIE)) cookies.delete(COOKIE, { path: '/' });
}

/** Where the draft's composer is on the thread page (a reply's is opened by `?reply=`). */
export function draftAnchor(pathname: string, draft: Pick<PendingDraft, 'parentId'>): string {
  return draft.parentId ? `${pathname}?reply=${draft.parentId}#reply-${draft.parentId}-body` : `${pathname}#new-post`;
}
